// Choosing a backend: 'wasm', 'js', or 'auto' (wasm where SIMD validates).

import { InputError, describe } from '../errors.js';
import type { Precision } from './heap.js';
import { JsKernels } from './js.js';
import type { BackendKind, Kernels } from './kernels.js';
import { type SimdVariant, WasmKernels, wasmUnavailableReason } from './wasm.js';

export type BackendOption = BackendKind | 'auto';

export interface BackendInfo {
  /** The backend that runs this model's kernels. */
  readonly backend: BackendKind;
  /** What was asked for. */
  readonly requested: BackendOption;
  /** Why this backend runs. */
  readonly reason: string;
  /** The WASM build that runs: 'relaxed-simd' (fused multiply-add) where the engine has it, else 'simd128'; null on the JS backend. */
  readonly simd: SimdVariant | null;
}

export async function createKernels(option: unknown = 'auto', precision: Precision = 'float32'): Promise<{ kernels: Kernels; info: BackendInfo }> {
  if (option !== 'auto' && option !== 'wasm' && option !== 'js') {
    throw new InputError(`backend: expected 'wasm', 'js' or 'auto', got ${describe(option)}`);
  }
  if (precision === 'float64') {
    if (option === 'wasm') throw new InputError(`precision: expected 'float32' with backend 'wasm', got 'float64' (only the JS backend computes in float64)`);
    return { kernels: new JsKernels('float64'), info: { backend: 'js', requested: option, reason: 'float64 precision runs on the JS backend', simd: null } };
  }
  if (option === 'js') return { kernels: new JsKernels(), info: { backend: 'js', requested: option, reason: "backend 'js' was requested", simd: null } };
  const missing = wasmUnavailableReason();
  if (missing === null) {
    const reason = option === 'wasm' ? "backend 'wasm' was requested" : 'WebAssembly SIMD is available';
    const kernels = await WasmKernels.create();
    return { kernels, info: { backend: 'wasm', requested: option, reason, simd: kernels.simd } };
  }
  if (option === 'wasm') throw new InputError(`backend: expected an engine with WebAssembly SIMD for 'wasm', got ${missing}`);
  return { kernels: new JsKernels(), info: { backend: 'js', requested: option, reason: `${missing}, so the pure-JS kernels run`, simd: null } };
}
