// The inference build of the kernels (assembly/infer.ts: the forward ops only), relaxed
// SIMD where the engine validates it, else plain SIMD128, as the trainer chooses; only
// that build is imported (or taken from setKernelSource's source). Compiled once per
// process and source, warmed up once.

import { SimdnetError } from '../errors.js';
import { hasKernelSource, kernelSourceGeneration, providedBytes } from '../backend/kernel-source.js';
import { hasGunzip, hasRelaxedSimd, hasSimd, moduleBytes, refusedByPolicy } from '../backend/probe.js';
import { Act, OP_WORDS, Op } from '../backend/ops.js';
import type { SimdVariant } from '../backend/wasm.js';

export interface InferenceExports {
  run(program: number, nOps: number, rows: number): void;
  firstNonFinite(at: number, n: number): number;
}

export interface InferenceKernels {
  readonly module: WebAssembly.Module;
  readonly simd: SimdVariant;
}

let compiled: Promise<InferenceKernels> | undefined;
let compiledFrom = 0;

export function inferenceKernels(): Promise<InferenceKernels> {
  if (compiledFrom !== kernelSourceGeneration()) {
    compiled = undefined;
    compiledFrom = kernelSourceGeneration();
  }
  compiled ??= compile();
  // A failure (no SIMD, a CSP) is not kept: the next load asks again.
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

async function compile(): Promise<InferenceKernels> {
  if (!hasSimd() || (!hasGunzip() && !hasKernelSource())) {
    throw new SimdnetError(`simdnet/infer: expected an engine with WebAssembly SIMD and DecompressionStream (Chrome 91, Firefox 113, Safari 16.4, Node 18 or later), got one without ${hasSimd() ? 'DecompressionStream' : 'WebAssembly SIMD'}; the full library ('simdnet') falls back to JavaScript there`);
  }
  const simd: SimdVariant = hasRelaxedSimd() ? 'relaxed-simd' : 'simd128';
  const bytes = (await providedBytes(simd === 'relaxed-simd' ? 'infer-relaxed-simd' : 'infer-simd128')) ?? (await embedded(simd));
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    const why = (e as Error)?.message ?? String(e);
    throw new SimdnetError(`simdnet/infer: expected to compile its WebAssembly, got ${refusedByPolicy(e) ? "a refusal by this page's Content Security Policy (its script-src needs 'wasm-unsafe-eval')" : 'an error'}: ${why}`);
  }
  warmUp(module);
  return { module, simd };
}

async function embedded(simd: SimdVariant): Promise<Uint8Array> {
  const { GZIP_BASE64 } = simd === 'relaxed-simd' ? await import('../generated/infer-relaxed.js') : await import('../generated/infer-simd.js');
  return moduleBytes(GZIP_BASE64);
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): InferenceExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as InferenceExports;
}

/**
 * V8 optimizes a wasm function only once it has run for a while, and `run` is called
 * once per prediction: a few thousand runs of a small program here (~5 ms) move that
 * out of an app's first predictions.
 */
function warmUp(module: WebAssembly.Module): void {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const k = instantiate(module, memory);
  const program = 64, x = 1024, w = x + 256, b = w + 64 * 10 * 4, y = b + 64;
  const words = new Int32Array(memory.buffer);
  words.set([Op.denseForward, x, w, b, y, 64, 10, Act.softmax, 0], program >> 2);
  words.set([Op.activationForward, y, y, 10, Act.relu, 0], (program >> 2) + OP_WORDS);
  for (let rep = 0; rep < 4000; rep++) k.run(program, 2, 1 + (rep & 3));
}
