// Choosing a backend: 'wasm', 'js', or 'auto' (wasm where SIMD validates).

import { InputError, describe } from '../errors.js';
import type { Precision } from './heap.js';
import { JsKernels } from './js.js';
import type { BackendKind, Kernels } from './kernels.js';
import { type SimdVariant, WasmKernels, wasmUnavailableReason } from './wasm.js';
import { threadsUnavailableReason } from './wasm-threads.js';
import { refusedByPolicy } from './probe.js';

/** More threads than this share products no better (job blocks are one page's worth, too). */
const MAX_THREADS = 64;

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
  /** Threads that share the large products: 1, or what `threads` asked for where worker threads run. */
  readonly threads: number;
}

export async function createKernels(option: unknown = 'auto', precision: Precision = 'float32', threads: unknown = 1): Promise<{ kernels: Kernels; info: BackendInfo }> {
  if (option !== 'auto' && option !== 'wasm' && option !== 'js') {
    throw new InputError(`backend: expected 'wasm', 'js' or 'auto', got ${describe(option)}`);
  }
  if (!Number.isInteger(threads) || (threads as number) < 1 || (threads as number) > MAX_THREADS) {
    throw new InputError(`threads: expected an integer from 1 to ${MAX_THREADS}, got ${describe(threads)}`);
  }
  const asked = threads as number;
  if (asked > 1 && (option === 'js' || precision === 'float64')) {
    throw new InputError(`threads: expected 1 with the JS backend, got ${asked} (only the WASM kernels run on worker threads)`);
  }
  if (precision === 'float64') {
    if (option === 'wasm') throw new InputError(`precision: expected 'float32' with backend 'wasm', got 'float64' (only the JS backend computes in float64)`);
    return { kernels: new JsKernels('float64'), info: { backend: 'js', requested: option, reason: 'float64 precision runs on the JS backend', simd: null, threads: 1 } };
  }
  if (option === 'js') return { kernels: new JsKernels(), info: { backend: 'js', requested: option, reason: "backend 'js' was requested", simd: null, threads: 1 } };
  const missing = wasmUnavailableReason();
  if (missing === null) {
    let reason = option === 'wasm' ? "backend 'wasm' was requested" : 'WebAssembly SIMD is available';
    const noThreads = asked > 1 ? threadsUnavailableReason() : null;
    if (noThreads) reason += `; one thread, since ${noThreads}`;
    let kernels: WasmKernels;
    try {
      kernels = await WasmKernels.create(noThreads ? 1 : asked);
    } catch (e) {
      if (!refusedByPolicy(e)) throw e;
      return fallBack(option, asked, CSP_REFUSAL);
    }
    return { kernels, info: { backend: 'wasm', requested: option, reason, simd: kernels.simd, threads: kernels.threads } };
  }
  return fallBack(option, asked, missing);
}

const CSP_REFUSAL = "this page's Content Security Policy forbids compiling WebAssembly (its script-src lacks 'wasm-unsafe-eval')";

/** The JS kernels where WASM cannot run; an error for an explicit 'wasm'. */
function fallBack(option: 'auto' | 'wasm', asked: number, why: string): { kernels: Kernels; info: BackendInfo } {
  if (option === 'wasm') throw new InputError(`backend: expected an engine that runs WebAssembly SIMD for 'wasm', got ${why}`);
  const oneThread = asked > 1 ? ' (on one thread)' : '';
  return { kernels: new JsKernels(), info: { backend: 'js', requested: option, reason: `${why}, so the pure-JS kernels run${oneThread}`, simd: null, threads: 1 } };
}
