// simdnet/infer: run a trained model, nothing else. A forward-only WASM build and a
// reader of the .simdnet format, for apps that ship a model and predict with it.
//
//   import { loadInference } from 'simdnet/infer';
//   const net = await loadInference(await fetch('/model.simdnet'));
//   net.predict([[5.1, 3.5, 1.4, 0.2]]);   // synchronous from here on

import { decodeModel } from '../io/format.js';
import { modelBytes } from '../io/source.js';
import { InferenceModel } from './model.js';
import { planInference } from './plan.js';
import { inferenceKernels } from './wasm.js';

export { InferenceModel } from './model.js';
export type { Matrix, MatrixInput } from '../data.js';
export type { ModelSource } from '../io/source.js';
export { SimdnetError, InputError, DisposedError, ModelFormatError, ResourceError } from '../errors.js';
export { setKernelSource, KERNEL_FILES, type KernelBuild, type KernelSource } from '../backend/kernel-source.js';

/**
 * A model for prediction from a .simdnet file: its bytes (Uint8Array, ArrayBuffer or a
 * view), a fetch Response, or a URL to fetch. Every layer type the trainer saves runs;
 * the loss, the optimizer and any training state in the file are not read.
 */
export async function loadInference(source: unknown): Promise<InferenceModel> {
  const { header, weights, state } = decodeModel(await modelBytes(source));
  const plan = planInference(header, weights, state);
  return new InferenceModel(await inferenceKernels(), plan, header.metadata);
}
