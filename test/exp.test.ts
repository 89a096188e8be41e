// The vectorized exp every WASM transcendental is built on, against Math.exp,
// and the saturating ends of the functions built from it: large logits must
// give 0, 1 or ±1, never NaN, on both backends.

import { beforeAll, describe, expect, it } from 'vitest';
import { JsKernels } from '../src/backend/js.js';
import type { Kernels } from '../src/backend/kernels.js';
import { Act, Reduction } from '../src/backend/ops.js';
import { WasmKernels } from '../src/backend/wasm.js';
import { type BufferSpec, drawInputs, layoutBuffers, load, Rng, readBuffer } from './helpers/kernel-harness.js';

/** Relative error allowed against Math.exp of the same f32 input (f32 rounding alone is 6e-8). */
const EXP_REL_TOL = 2e-6;
const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN = 1.1754943508222875e-38;

let wasm: WasmKernels;
beforeAll(async () => {
  wasm = await WasmKernels.create();
});

/** Runs one kernel over freshly laid-out buffers and returns them all afterwards. */
function call<N extends string>(k: Kernels, specs: Record<N, BufferSpec>, f: (p: Record<N, number>) => void): Record<N, number[]> {
  const layout = layoutBuffers(specs);
  load(k, layout, drawInputs(layout, specs, new Rng(1)));
  f(layout.ptr);
  const out = {} as Record<N, number[]>;
  for (const name of Object.keys(specs) as N[]) out[name] = readBuffer(k.heap, layout.buffers[name]);
  return out;
}

function wasmExp(xs: ArrayLike<number>): { x: number[]; y: number[] } {
  const n = xs.length;
  return call(wasm, { x: { length: n, init: xs }, y: { length: n } }, (p) => wasm.exp(p.x, p.y, n));
}

/** Largest |y − e^x| / e^x, with e^x taken in double from the f32 x the kernel saw. */
function maxRelError(x: number[], y: number[]): { err: number; at: number } {
  let err = 0, at = -1;
  for (let i = 0; i < x.length; i++) {
    const ref = Math.exp(x[i]);
    const e = Math.abs(y[i] - ref) / ref;
    if (!(e <= err)) {
      err = e;
      at = x[i];
    }
  }
  return { err, at };
}

/** Each value once in every lane of a vector and once in the scalar tail. */
function everyLane(values: number[], pad = 0.5): number[] {
  return [0, 1, 2, 3].flatMap((shift) => [...new Array<number>(shift).fill(pad), ...values]).concat(values.slice(0, 3));
}

describe('WASM exp vs Math.exp', () => {
  it(`dense sweep of [-87, 88]: relative error ≤ ${EXP_REL_TOL}`, () => {
    // 2^20 + 3 points: ~1.7e-4 apart, and the +3 runs the scalar tail.
    const n = (1 << 20) + 3;
    const xs = Array.from({ length: n }, (_, i) => -87 + (175 * i) / (n - 1));
    const { x, y } = wasmExp(xs);
    const { err, at } = maxRelError(x, y);
    console.info(`exp: max relative error over [-87, 88] = ${err.toExponential(3)} at x = ${at}`);
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(EXP_REL_TOL);
  });

  it('the edges of the normal range, [-87.33, -87] and [88, 88.72], stay accurate', () => {
    const xs = [
      ...Array.from({ length: 4001 }, (_, i) => -87.33 + (0.33 * i) / 4000),
      ...Array.from({ length: 4001 }, (_, i) => 88 + (0.72 * i) / 4000),
    ];
    const { x, y } = wasmExp(xs);
    const { err, at } = maxRelError(x, y);
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(EXP_REL_TOL);
  });

  it('values near 0 (and e^±0 = 1 exactly)', () => {
    const tiny = [1e-45, 1e-38, 1e-30, 1e-20, 1e-10, 1e-7, 3e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.3466];
    const { x, y } = wasmExp(everyLane([0, -0, ...tiny, ...tiny.map((v) => -v)]));
    const { err, at } = maxRelError(x, y);
    expect(err, `worst at x = ${at}`).toBeLessThanOrEqual(EXP_REL_TOL);
    x.forEach((v, i) => {
      if (v === 0) expect(y[i], `e^${Object.is(v, -0) ? '-0' : '0'}`).toBe(1);
    });
  });

  it('saturates: e^-1000 = 0, e^1000 = +Infinity, and the infinities map to 0 and +Infinity', () => {
    const { x, y } = wasmExp(everyLane([-1000, 1000, -Infinity, Infinity]));
    x.forEach((v, i) => {
      if (v === 0.5) return;
      expect(y[i], `e^${v}`).toBe(v > 0 ? Infinity : 0);
    });
  });

  it('overflows to +Infinity above ln(FLT_MAX) ≈ 88.7228', () => {
    const xs = [88.7229, 88.75, 88.9, 89, 89.5, 90, 100, 1e4, 1e20, FLT_MAX];
    const { x, y } = wasmExp(everyLane(xs));
    x.forEach((v, i) => {
      if (v !== 0.5) expect(y[i], `e^${v}`).toBe(Infinity);
    });
  });

  it('underflows to a value in [0, FLT_MIN) below ln(FLT_MIN) ≈ -87.3365, never negative', () => {
    const xs = [-87.34, -87.5, -88, -90, -100, -103.9, -104, -150, -1e4, -1e20, -FLT_MAX];
    const { x, y } = wasmExp(everyLane(xs));
    x.forEach((v, i) => {
      if (v === 0.5) return;
      expect(y[i], `e^${v}`).toBeGreaterThanOrEqual(0);
      expect(y[i], `e^${v}`).toBeLessThan(FLT_MIN);
    });
  });

  it('no NaN for any finite input: a log-spaced sweep of both signs over the whole f32 range', () => {
    const xs: number[] = [0];
    for (let e = -45; e <= 38.5; e += 0.01) xs.push(10 ** e, -(10 ** e));
    xs.push(FLT_MAX, -FLT_MAX, FLT_MIN, -FLT_MIN);
    const { x, y } = wasmExp(xs);
    const bad = y.findIndex((v) => Number.isNaN(v));
    expect(bad, bad >= 0 ? `e^${x[bad]} is NaN` : '').toBe(-1);
    // Monotone in x at the f32 level is too strict for a polynomial, but the sign never is.
    expect(y.every((v) => v >= 0)).toBe(true);
  });
});

describe.each([
  ['wasm', () => wasm as Kernels],
  ['js', () => new JsKernels() as Kernels],
])('saturating activations on %s', (_name, kernels) => {
  const EXTREMES = [1000, -1000, 88, -88, 20, -20];

  function activate(act: number, xs: number[], alpha = 0): { x: number[]; y: number[]; dx: number[] } {
    const k = kernels();
    const n = xs.length;
    return call(k, { x: { length: n, init: xs }, y: { length: n }, dy: { length: n, init: () => 1 }, dx: { length: n } }, (p) => {
      k.activationForward(p.x, p.y, 1, n, act, alpha);
      k.activationBackward(p.y, p.dy, p.dx, 1, n, act, alpha);
    });
  }

  it('sigmoid at ±1000, ±88, ±20', () => {
    const { x, y, dx } = activate(Act.sigmoid, everyLane(EXTREMES));
    x.forEach((v, i) => {
      if (v === 0.5) return;
      if (v > 0) expect(y[i], `σ(${v})`).toBe(1);
      else if (v === -20) expect(Math.abs(y[i] - 1 / (1 + Math.exp(20))) / y[i], 'σ(-20) relative error').toBeLessThanOrEqual(EXP_REL_TOL);
      else {
        expect(y[i], `σ(${v})`).toBeGreaterThanOrEqual(0);
        expect(y[i], `σ(${v})`).toBeLessThanOrEqual(1e-30);
      }
      expect(Number.isFinite(dx[i]), `σ'(${v}) = ${dx[i]}`).toBe(true);
    });
  });

  it('tanh at ±1000, ±88, ±20', () => {
    const { x, y, dx } = activate(Act.tanh, everyLane(EXTREMES));
    x.forEach((v, i) => {
      if (v === 0.5) return;
      expect(y[i], `tanh(${v})`).toBe(Math.sign(v));
      expect(dx[i], `tanh'(${v})`).toBe(0);
    });
  });

  it('elu at -1000 is -alpha, with no NaN', () => {
    const { x, y } = activate(Act.elu, everyLane([-1000, -88, 1000]), 1);
    x.forEach((v, i) => {
      if (v === 0.5) return;
      expect(y[i], `elu(${v})`).toBe(v > 0 ? v : -1);
    });
  });

  describe.each([
    [[1000, 0, -1000], [1, 0, 0]],
    [[0, -1000, 1000, 0, 0], [0, 0, 1, 0, 0]],
    [[1000, 1000, 1000, 1000, 1000], [0.2, 0.2, 0.2, 0.2, 0.2]],
    [[-1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000], new Array<number>(9).fill(1 / 9)],
    [[-1000, 88, -88, 20, 1000, 0, -20, 1000, 3], [0, 0, 0, 0, 0.5, 0, 0, 0.5, 0]],
  ])('softmax of %j', (logits, expected) => {
    const cols = logits.length;

    function check(p: number[], label: string): void {
      p.forEach((v, j) => {
        expect(Number.isNaN(v), `${label}[${j}] is NaN`).toBe(false);
        expect(Math.abs(v - expected[j]), `${label}[${j}] = ${v}`).toBeLessThanOrEqual(1e-6);
      });
      expect(Math.abs(p.reduce((s, v) => s + v, 0) - 1), `${label} sums to 1`).toBeLessThanOrEqual(1e-6);
    }

    it('via activationForward', () => {
      const k = kernels();
      const { y } = call(k, { x: { length: cols, init: logits }, y: { length: cols } }, (p) => k.activationForward(p.x, p.y, 1, cols, Act.softmax, 0));
      check(y, 'p');
    });

    it('via denseForward (identity weights)', () => {
      const k = kernels();
      const eye = Array.from({ length: cols * cols }, (_, i) => (i % (cols + 1) === 0 ? 1 : 0));
      const { y } = call(k, {
        x: { length: cols, init: logits }, w: { length: cols * cols, init: eye }, b: { length: cols, init: () => 0 }, y: { length: cols },
      }, (p) => k.denseForward(p.x, p.w, p.b, p.y, 1, cols, cols, Act.softmax, 0));
      check(y, 'p');
    });

    it('via softmaxCrossEntropy (finite loss and gradient)', () => {
      const k = kernels();
      const t = logits.map((_, j) => (j === cols - 1 ? 1 : 0));
      const { p, dz, loss } = call(k, {
        z: { length: cols, init: logits }, t: { length: cols, init: t }, p: { length: cols }, dz: { length: cols },
        loss: { length: 1, kind: 'f64' },
      }, (q) => k.softmaxCrossEntropy(q.z, q.t, q.p, q.dz, 1, cols, q.loss, Reduction.sum));
      check(p, 'p');
      dz.forEach((v, j) => expect(v, `dz[${j}]`).toBeCloseTo(expected[j] - t[j], 6));
      // −log p of the target, from the log-sum-exp: exact even where p itself underflows to 0.
      const max = Math.max(...logits);
      const lse = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
      expect(Math.abs(loss[0] - (lse - logits[cols - 1])), `loss ${loss[0]}`).toBeLessThanOrEqual(1e-5 * Math.max(1, lse - logits[cols - 1]));
    });
  });
});
