// Finite-difference checks of whole models: the gradients the compiled train
// program leaves in the gradient region must match central differences of the
// loss that evaluate() reports. This covers the wiring between layers, the loss
// ops absorbing softmax/sigmoid, and both reductions.
//
// Tolerances. JS backend in float64: eps = 1e-5, so truncation (~eps²) and
// round-off (~1e-16/eps) are both far below the 1e-6 relative tolerance.
// WASM backend in float32: the loss itself carries ~1e-7 relative round-off, so
// eps must be large (1e-2) and the tolerance loose (3e-2 relative, 2e-3 absolute);
// this still catches any wrong sign, scale or wiring.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { Activation, Dense, type Layer, type LossOption, Maxout, Sequential } from '../src/index.js';
import { Random } from '../src/random.js';

const JS_EPS = 1e-5, JS_TOL = 1e-6;
const WASM_EPS = 1e-2, WASM_TOL = 3e-2, WASM_ABS = 2e-3;

interface Case {
  name: string;
  layers: () => Layer[];
  loss: LossOption;
  outputs: number;
  targets: 'classes' | 'binary' | 'real';
}

const cases: Case[] = [
  { name: 'tanh → softmax, cross-entropy', layers: () => [new Dense(3, 5, { activation: 'tanh' }), new Dense(5, 4, { activation: 'softmax' })], loss: 'crossEntropy', outputs: 4, targets: 'classes' },
  { name: 'sigmoid → sigmoid, binary cross-entropy', layers: () => [new Dense(3, 5, { activation: 'sigmoid' }), new Dense(5, 1, { activation: 'sigmoid' })], loss: 'binaryCrossEntropy', outputs: 1, targets: 'binary' },
  { name: 'elu → maxout → linear, MSE', layers: () => [new Dense(3, 6, { activation: 'elu' }), new Maxout(6, 4, { pieces: 3 }), new Dense(4, 2)], loss: 'mse', outputs: 2, targets: 'real' },
  { name: 'leaky ReLU and softmax as activation layers, summed cross-entropy', layers: () => [new Dense(3, 5), new Activation('leakyRelu'), new Dense(5, 3), new Activation('softmax')], loss: { name: 'crossEntropy', reduction: 'sum' }, outputs: 3, targets: 'classes' },
  { name: 'relu → sigmoid outputs, MSE', layers: () => [new Dense(3, 7, { activation: 'relu' }), new Dense(7, 2, { activation: 'sigmoid' })], loss: 'mse', outputs: 2, targets: 'real' },
  { name: 'softmax output under MSE (full Jacobian)', layers: () => [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 3, { activation: 'softmax' })], loss: { name: 'mse', reduction: 'sum' }, outputs: 3, targets: 'real' },
];

function data(c: Case, rows: number, rng: Random): { x: number[][]; y: number[] | number[][] } {
  const x = Array.from({ length: rows }, () => [0, 1, 2].map(() => rng.normal()));
  if (c.targets === 'classes') return { x, y: x.map(() => rng.int(c.outputs)) };
  if (c.targets === 'binary') return { x, y: x.map(() => rng.int(2)) };
  return { x, y: x.map(() => Array.from({ length: c.outputs }, () => rng.normal() * 0.5)) };
}

describe.each([
  ['js float64', 'js', 'float64', JS_EPS, JS_TOL, 0],
  ['wasm float32', 'wasm', 'float32', WASM_EPS, WASM_TOL, WASM_ABS],
] as const)('model gradients on %s', (_, backend, precision, eps, tol, abs) => {
  it.each(cases)('$name', async (c) => {
    const rng = new Random(11);
    const model = await Sequential.create(c.layers(), { loss: c.loss, backend, precision, seed: 5 });
    const engine = (model as unknown as { engine: Engine }).engine;
    const { x, y } = data(c, 6, rng);
    const f = () => engine.kernels.heap.f32;

    // Analytic: one train step leaves dL/dθ in the gradient region; restore θ afterwards.
    const values = engine.params.values;
    const saved = f().slice(values.offset >> 2, (values.offset >> 2) + values.length);
    const plan = engine.plan(x.length);
    const xs = Float32Array.from(x.flat());
    engine.stage(plan, xs, engine.loss.encodeTargets(y, x.length, c.outputs, 'y'), 0, x.length);
    engine.writeHyper();
    engine.run(plan.train, x.length);
    const grads = engine.params.grads;
    const analytic = f().slice(grads.offset >> 2, (grads.offset >> 2) + grads.length);
    f().set(saved, values.offset >> 2);

    let checked = 0;
    for (const ref of engine.params.refs) {
      for (let i = 0; i < ref.value.length; i++) {
        const at = (ref.value.offset >> 2) + i;
        const w = f()[at];
        f()[at] = w + eps;
        const up = model.evaluate(x, y).loss;
        f()[at] = w - eps;
        const down = model.evaluate(x, y).loss;
        f()[at] = w;
        const numeric = (up - down) / (2 * eps);
        const a = analytic[(ref.grad.offset - grads.offset) / 4 + i];
        expect(Math.abs(a - numeric), `${ref.name}[${i}]: analytic ${a}, numeric ${numeric}`).toBeLessThanOrEqual(abs + tol * Math.max(1, Math.abs(a), Math.abs(numeric)));
        checked++;
      }
    }
    expect(checked).toBe(values.length - padding(engine));
  });
});

/** Floats of alignment padding between parameters in the region. */
function padding(engine: Engine): number {
  return engine.params.values.length - engine.params.refs.reduce((n, r) => n + r.value.length, 0);
}
