// What the hardening tests share: a small classifier, a 3→1 linear model's header
// as the writer makes it, and ways to look at a rejected call.
import { Dense, Sequential } from '../../src/index.js';

export const BUILT_INS = ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf', 'toLocaleString', 'isPrototypeOf'];
export const X = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1, 1.1, 1.2]];
export const LABELS = [0, 1, 1, 0];

export async function classifier(backend: 'js' | 'wasm', extra: object = {}): Promise<Sequential> {
  return Sequential.create([new Dense(3, 4, { activation: 'relu' }), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy', backend, seed: 1, ...extra });
}

export function bytesOf(model: Sequential): Uint8Array[] {
  return model.getWeights().map((w) => new Uint8Array(w.buffer.slice(0)));
}

export async function rejection(call: () => unknown): Promise<unknown> {
  return Promise.resolve().then(call).then(() => null, (e: unknown) => e);
}

/** A header as the writer would make it for a 3→1 linear model, changed by `edit`. */
export function header(edit: (h: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const h: Record<string, unknown> = {
    format: 'simdnet',
    version: 1,
    layers: [{ type: 'Dense', inputSize: 3, units: 1, activation: 'linear', init: 'glorotUniform' }],
    loss: 'mse',
    optimizer: { type: 'sgd', lr: 0.01 },
    params: [{ name: '0.kernel', length: 3 }, { name: '0.bias', length: 1 }],
    metadata: {},
  };
  edit(h);
  return h;
}
export const FOUR = new Float32Array([0.5, -0.25, 1, 0]);

