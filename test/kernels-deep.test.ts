// The deep-network kernels against their pure-TypeScript twins: batch normalization,
// dropout (bit-identical masks), element-wise sums and products, the divergence guard
// and the update rules, over widths 1, 3, 5, 7, 33 and 127 and random ones, every
// buffer guarded against writes past its end.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../src/backend/kernels.js';
import { Hyper, OptimizerKind } from '../src/backend/ops.js';
import { type BufferSpec, type Pair, Rng, createPair, expectClose, runTwin } from './helpers/kernel-harness.js';
import { hyperWords, readHyper } from './helpers/hyper.js';

const SIZES = [1, 3, 5, 7, 33, 127];
const shapeRng = new Rng(0xdee9);
const SHAPES: [number, number][] = [
  ...SIZES.flatMap((r) => SIZES.filter((_, i) => i % 2 === r % 2 || r === 1).map((c) => [r, c] as [number, number])),
  ...[0, 1, 2].map(() => [shapeRng.int(2, 40), shapeRng.int(2, 100)] as [number, number]),
];
const LENGTHS = [...SIZES, 4, 8, 16, shapeRng.int(2, 300)];

let pair: Pair;
beforeAll(async () => {
  pair = await createPair();
});

const f32 = (length: number, init?: BufferSpec['init']): BufferSpec => ({ length, init });
/** Floats between column vectors of a stats block: cols rounded up to a vector. */
const stride = (cols: number) => (cols + 3) & ~3;

function seeded(...parts: number[]): Rng {
  let h = 2166136261;
  for (const p of parts) h = Math.imul(h ^ (p | 0), 16777619);
  return new Rng(h >>> 0);
}

function expectAllClose(wasm: Record<string, number[]>, js: Record<string, number[]>): void {
  for (const name of Object.keys(js)) expectClose(wasm[name], js[name], name);
}

describe('batch normalization', () => {
  const specs = (rows: number, cols: number): Record<string, BufferSpec> => ({
    x: f32(rows * cols, (r) => r.uniform(-2, 3)),
    y: f32(rows * cols),
    xhat: f32(rows * cols),
    gamma: f32(cols, (r) => r.uniform(0.5, 1.5)),
    beta: f32(cols, (r) => r.uniform(-0.5, 0.5)),
    stats: f32(3 * stride(cols)),
    running: f32(2 * stride(cols), (r, i) => (i < stride(cols) ? r.uniform(-1, 1) : r.uniform(0.5, 2))),
  });

  it.each(SHAPES)('forward in training, %i×%i', (rows, cols) => {
    const { wasm, js } = runTwin(pair, seeded(1, rows, cols), specs(rows, cols), (k, p) =>
      k.batchNormForward(p.x, p.y, p.xhat, p.gamma, p.beta, p.stats, p.running, rows, cols, 1e-3, 1),
    );
    expectAllClose(wasm, js);
  });

  it.each(SHAPES)('forward in inference, %i×%i', (rows, cols) => {
    const { wasm, js } = runTwin(pair, seeded(2, rows, cols), specs(rows, cols), (k, p) =>
      k.batchNormForward(p.x, p.y, p.xhat, p.gamma, p.beta, p.stats, p.running, rows, cols, 1e-3, 0),
    );
    expectAllClose(wasm, js);
  });

  it.each(SHAPES)('backward after a training forward, %i×%i, with and without dx', (rows, cols) => {
    for (const withDx of [true, false]) {
      const s: Record<string, BufferSpec> = { ...specs(rows, cols), dy: f32(rows * cols), dgamma: f32(cols), dbeta: f32(cols), dx: f32(rows * cols) };
      const { wasm, js } = runTwin(pair, seeded(3, rows, cols, +withDx), s, (k, p) => {
        k.batchNormForward(p.x, p.y, p.xhat, p.gamma, p.beta, p.stats, p.running, rows, cols, 1e-3, 1);
        k.batchNormBackward(p.dy, p.xhat, p.gamma, p.stats, p.dgamma, p.dbeta, withDx ? p.dx : 0, rows, cols);
      });
      expectAllClose(wasm, js);
    }
  });

  it.each([[1, 5], [4, 7], [33, 3]])('running statistics move by the momentum, %i×%i (a single row moves nothing)', (rows, cols) => {
    const s = specs(rows, cols);
    const { wasm, js } = runTwin(pair, seeded(4, rows, cols), s, (k, p) => {
      k.batchNormForward(p.x, p.y, p.xhat, p.gamma, p.beta, p.stats, p.running, rows, cols, 1e-3, 1);
      k.batchNormUpdate(p.stats, p.running, rows, cols, 0.9);
    });
    expectAllClose(wasm, js);
    if (rows === 1) {
      // The training forward normalized the row by the running statistics and left them as drawn.
      const again = runTwin(pair, seeded(4, rows, cols), s, () => {});
      expect(js.running).toEqual(again.js.running);
    }
  });

  it('a training batch of one row is normalized by the running statistics, never NaN', () => {
    const cols = 6;
    const s: Record<string, BufferSpec> = { ...specs(1, cols), dy: f32(cols), dgamma: f32(cols), dbeta: f32(cols), dx: f32(cols) };
    const { wasm, js } = runTwin(pair, seeded(5), s, (k, p) => {
      k.batchNormForward(p.x, p.y, p.xhat, p.gamma, p.beta, p.stats, p.running, 1, cols, 1e-3, 1);
      k.batchNormBackward(p.dy, p.xhat, p.gamma, p.stats, p.dgamma, p.dbeta, p.dx, 1, cols);
    });
    for (const out of [wasm, js]) {
      for (let j = 0; j < cols; j++) {
        const mean = out.running[j], variance = out.running[stride(cols) + j];
        const expected = out.gamma[j] * ((out.x[j] - mean) / Math.sqrt(variance + 1e-3)) + out.beta[j];
        expect(out.y[j]).toBeCloseTo(expected, 5);
        expect(out.dx[j]).toBeCloseTo((out.gamma[j] * out.dy[j]) / Math.sqrt(variance + 1e-3), 5);
      }
    }
  });
});

describe('dropout', () => {
  const RATES = [0, 0.1, 0.5, 0.9];
  const threshold = (rate: number) => Math.min(2 ** 32 - 1, Math.floor(rate * 2 ** 32)) | 0;

  it.each(LENGTHS.flatMap((n) => RATES.map((rate) => [n, rate] as [number, number])))('n = %i, rate %d: WASM and JS drop the same units', (n, rate) => {
    const scale = Math.fround(1 / (1 - rate));
    const specs = { x: f32(n), y: f32(n), mask: f32(n), state: { length: 16, kind: 'i32' as const, init: (r: Rng) => r.int(-(2 ** 31), 2 ** 31) } };
    const { wasm, js } = runTwin(pair, seeded(6, n, rate * 10), specs, (k, p) => k.dropoutForward(p.x, p.y, p.mask, n, p.state, threshold(rate), scale));
    expect(wasm.mask).toEqual(js.mask);
    expect(wasm.y).toEqual(js.y);
    expect(wasm.state).toEqual(js.state);
    wasm.mask.forEach((m, i) => {
      expect(m === 0 || m === scale).toBe(true);
      expect(wasm.y[i]).toBe(Math.fround(wasm.x[i] * m));
    });
  });

  it.each(RATES)('rate %d keeps 1 − rate of 20,000 units (within 4.5 standard deviations)', (rate) => {
    const n = 20_000;
    const { js } = runTwin(pair, seeded(7), { x: f32(n, () => 1), y: f32(n), mask: f32(n), state: { length: 16, kind: 'i32', init: (r) => r.int(-(2 ** 31), 2 ** 31) } }, (k, p) =>
      k.dropoutForward(p.x, p.y, p.mask, n, p.state, threshold(rate), 1 / (1 - rate)),
    );
    const kept = js.mask.filter((m) => m !== 0).length;
    const sd = Math.sqrt(n * rate * (1 - rate));
    expect(Math.abs(kept - n * (1 - rate))).toBeLessThanOrEqual(4.5 * sd + 1);
  });
});

describe('element-wise', () => {
  it.each(LENGTHS)('multiply, add, accumulate and copy over %i floats', (n) => {
    const specs = { a: f32(n), b: f32(n), product: f32(n), sum: f32(n), acc: f32(n), copied: f32(n) };
    const { wasm, js } = runTwin(pair, seeded(8, n), specs, (k, p) => {
      k.multiply(p.a, p.b, p.product, n);
      k.add(p.a, p.b, p.sum, n, 0);
      k.add(p.a, 0, p.acc, n, 1);
      k.copy(p.a, p.copied, n);
    });
    expectAllClose(wasm, js);
    expect(wasm.copied).toEqual(wasm.a);
  });
});

describe('the divergence guard', () => {
  const specs = (n: number, bad: number | null, loss: number): Record<string, BufferSpec> => ({
    g: f32(n, (r, i) => (i === bad ? NaN : r.uniform(-2, 2))),
    loss: { length: 1, kind: 'f64', init: [loss] },
    hyper: { length: Hyper.bytes / 4, kind: 'i32', init: hyperWords({}) },
  });

  it.each(LENGTHS)('passes finite gradients of %i floats and leaves Σg² in the block', (n) => {
    const results: Record<string, number> = {};
    const { wasm, js } = runTwin(pair, seeded(9, n), specs(n, null, 1.5), (k, p) => {
      results[k.kind] = Number(k.guard(p.g, n, p.loss, p.hyper));
    });
    expect(results).toEqual({ wasm: 1, js: 1 });
    const sq = js.g.reduce((s, v) => s + v * v, 0);
    for (const out of [wasm, js]) {
      expect(readHyper(out.hyper).gradSq).toBeCloseTo(sq, 4);
      expect(readHyper(out.hyper).status).toBe(0);
    }
  });

  it.each([
    ['a NaN gradient', 5, 1],
    ['a NaN loss', null, NaN],
    ['an infinite loss', null, Infinity],
  ] as const)('refuses %s and says so in the status', (_, bad, loss) => {
    const results: Record<string, number> = {};
    const { wasm, js } = runTwin(pair, seeded(10), specs(7, bad, loss), (k, p) => {
      results[k.kind] = Number(k.guard(p.g, 7, p.loss, p.hyper));
    });
    expect(results).toEqual({ wasm: 0, js: 0 });
    expect(readHyper(wasm.hyper).status).toBe(1);
    expect(readHyper(js.hyper).status).toBe(1);
  });
});

describe('update rules', () => {
  const RULES = [
    ['sgd', OptimizerKind.sgd, { lr: 0.1 }],
    ['sgd, momentum and decay', OptimizerKind.sgd, { lr: 0.05, beta1: 0.9, decay: 0.01 }],
    ['sgd, nesterov, clipped', OptimizerKind.sgd, { lr: 0.05, beta1: 0.8, nesterov: 1, clip: 0.5, gradSq: 4 }],
    ['adam', OptimizerKind.adam, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, beta1Pow: 0.9 ** 3, beta2Pow: 0.999 ** 3, step: 3 }],
    ['adam, L2 decay', OptimizerKind.adam, { lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-7, decay: 0.1 }],
    ['adamw', OptimizerKind.adamw, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0.01, clip: 1, gradSq: 9 }],
    ['rmsprop', OptimizerKind.rmsprop, { lr: 0.01, beta1: 0.99, eps: 1e-8 }],
    ['rmsprop, momentum', OptimizerKind.rmsprop, { lr: 0.01, beta1: 0.9, eps: 1e-8, momentum: 0.5, decay: 0.001 }],
  ] as const;

  it.each(LENGTHS.flatMap((n) => RULES.map(([name, kind, h]) => [name, n, kind, h] as const)))('%s over %i parameters', (_, n, kind, h) => {
    const specs = {
      w: f32(n),
      g: f32(n),
      m: f32(n),
      v: f32(n, (r) => r.uniform(0, 0.5)),
      hyper: { length: Hyper.bytes / 4, kind: 'i32' as const, init: hyperWords(h) },
    };
    const { wasm, js } = runTwin(pair, seeded(11, n, kind), specs, (k: Kernels, p) => k.optimizerStep(kind, p.w, p.g, p.m, p.v, n, p.hyper));
    for (const name of ['w', 'm', 'v'] as const) expectClose(wasm[name], js[name], name);
    const a = readHyper(wasm.hyper), b = readHyper(js.hyper);
    expect(a.step).toBe((('step' in h ? h.step : 0) as number) + 1);
    expect(a).toEqual(b);
  });
});
