// Finite-difference checks of every backward kernel, on both backends: the
// analytic gradient a kernel writes against the central difference
// (L(v+eps) − L(v−eps)) / step of a scalar loss computed by the forward kernels.
//
// Tolerances. A pass requires |a − n| ≤ TOL·max(1, |a|, |n|) for every element.
// - JS twin in float64: eps = 1e-6. Truncation error is ~eps²·f'''/6 ≈ 1e-13 and
//   double rounding of L contributes ~1e-16·|L|/eps ≈ 1e-10·|L|, so 1e-6 leaves
//   ample room while still catching any wrong factor or term.
// - WASM in float32: every stored activation and every per-element loss term is
//   rounded to f32 (relative 6e-8), and the difference L(v+eps) − L(v−eps) is
//   only ~eps·|g|, so rounding is amplified by |L|/(eps·|g|): with eps = 1e-4 that
//   is ~1e-3 for the layer-sized losses here, too close to any useful bound. With
//   eps = 1e-2 rounding falls to ~1e-5 and truncation (eps²·f'''/6 ≈ 2e-5 for
//   sigmoid, tanh, softmax) stays small, so 2e-2 separates noise from a bug.
//   The step divided by is the one actually stored (x ± eps rounded to f32).

import { beforeAll, describe, expect, it } from 'vitest';
import { JsKernels } from '../src/backend/js.js';
import type { Kernels } from '../src/backend/kernels.js';
import { Act, Reduction } from '../src/backend/ops.js';
import { WasmKernels } from '../src/backend/wasm.js';
import { type BufferSpec, type Layout, Rng, drawInputs, layoutBuffers, load, readBuffer, writeBuffer } from './helpers/kernel-harness.js';

const JS_EPS = 1e-6;
const JS_TOL = 1e-6;
const WASM_EPS = 1e-2;
const WASM_TOL = 2e-2;

/** A check whose numerical gradient is nearly zero everywhere could not fail; require some signal. */
const MIN_SIGNAL = 0.05;

interface Backend {
  readonly name: string;
  readonly kernels: () => Kernels;
  readonly eps: number;
  readonly tol: number;
}

let wasm: WasmKernels;
beforeAll(async () => {
  wasm = await WasmKernels.create();
});

const BACKENDS: Backend[] = [
  { name: 'js float64', kernels: () => new JsKernels('float64'), eps: JS_EPS, tol: JS_TOL },
  { name: 'wasm float32', kernels: () => wasm, eps: WASM_EPS, tol: WASM_TOL },
];

const ACTIVATIONS = [
  { name: 'linear', act: Act.linear, alpha: 0, kink: false },
  { name: 'sigmoid', act: Act.sigmoid, alpha: 0, kink: false },
  { name: 'tanh', act: Act.tanh, alpha: 0, kink: false },
  { name: 'relu', act: Act.relu, alpha: 0, kink: true },
  { name: 'leakyRelu', act: Act.leakyRelu, alpha: 0.1, kink: true },
  { name: 'elu', act: Act.elu, alpha: 1, kink: true },
  { name: 'softmax', act: Act.softmax, alpha: 0, kink: false },
] as const;

/** Buffers in one backend's heap, with a central-difference probe over any of them. */
class Bench<N extends string> {
  readonly layout: Layout<N>;
  readonly p: Record<N, number>;

  constructor(
    readonly k: Kernels,
    readonly specs: Record<N, BufferSpec>,
    rng: Rng,
  ) {
    this.layout = layoutBuffers(specs);
    this.p = this.layout.ptr;
    load(k, this.layout, drawInputs(this.layout, specs, rng));
  }

  get(name: N): number[] {
    return readBuffer(this.k.heap, this.layout.buffers[name]);
  }

  set(name: N, values: ArrayLike<number>): void {
    writeBuffer(this.k.heap, this.layout.buffers[name], values);
  }

  /** ∂loss/∂name[i] for every i, by central differences. */
  numeric(name: N, eps: number, loss: () => number): number[] {
    const at = this.layout.buffers[name].offset >> 2;
    return Array.from({ length: this.layout.buffers[name].length }, (_, i) => {
      const f = () => this.k.heap.f32;
      const v = f()[at + i];
      f()[at + i] = v + eps;
      const up = f()[at + i];
      const lUp = loss();
      f()[at + i] = v - eps;
      const down = f()[at + i];
      const lDown = loss();
      f()[at + i] = v;
      return (lUp - lDown) / (up - down);
    });
  }

  /** Σ g ⊙ y in double, the scalar every layer check differentiates. */
  dot(g: number[], y: N): number {
    const yv = this.get(y);
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i] * yv[i];
    return s;
  }

  lossSum(name: N): number {
    return this.k.heap.f64[this.layout.buffers[name].offset >> 3];
  }
}

function expectGradient(analytic: number[], numeric: number[], tol: number, label: string): void {
  expect(analytic.length, `${label}: length`).toBe(numeric.length);
  let signal = 0;
  for (let i = 0; i < analytic.length; i++) {
    const a = analytic[i], n = numeric[i];
    const limit = tol * Math.max(1, Math.abs(a), Math.abs(n));
    if (!(Math.abs(a - n) <= limit)) {
      expect.fail(`${label}[${i}]: analytic ${a}, numerical ${n}, |diff| ${Math.abs(a - n)} > ${limit}`);
    }
    signal = Math.max(signal, Math.abs(n));
  }
  expect(signal, `${label}: largest numerical gradient`).toBeGreaterThan(MIN_SIGNAL);
}

/** Redraws until `accept` holds, so kinks and ties are avoided without biasing any one element. */
function sample<T>(seed: number, draw: (rng: Rng) => T, accept: (t: T) => boolean): T {
  for (let s = 0; s < 500; s++) {
    const t = draw(new Rng(seed * 1009 + s));
    if (accept(t)) return t;
  }
  throw new Error('gradients: no sample away from the kinks in 500 draws');
}

const SHAPES2: [number, number][] = [[3, 5], [2, 7], [1, 3], [5, 4]];

describe.each(BACKENDS)('$name', ({ kernels, eps, tol }) => {
  describe.each(ACTIVATIONS)('activation $name', ({ act, alpha, kink }) => {
    it.each(SHAPES2)('activationBackward: rows %i, cols %i', (rows, cols) => {
      const n = rows * cols;
      const k = kernels();
      // Inputs stay 0.2 away from 0 where the derivative jumps, far beyond any step; softmax logits
      // stay close enough that no single class takes the whole row and flattens every gradient.
      const x = (rng: Rng) => (kink ? rng.awayFromZero(0.2, 2) : rng.uniform(act === Act.softmax ? -1.5 : -3, act === Act.softmax ? 1.5 : 3));
      const b = new Bench(k, { x: { length: n, init: x }, y: { length: n }, dy: { length: n, init: (r) => r.uniform(-2, 2) }, dx: { length: n } }, new Rng(act * 31 + n));
      k.activationForward(b.p.x, b.p.y, rows, cols, act, alpha);
      k.activationBackward(b.p.y, b.p.dy, b.p.dx, rows, cols, act, alpha);
      const analytic = b.get('dx');
      const g = b.get('dy');
      const numeric = b.numeric('x', eps, () => {
        k.activationForward(b.p.x, b.p.y, rows, cols, act, alpha);
        return b.dot(g, 'y');
      });
      expectGradient(analytic, numeric, tol, 'dx');
    });
  });

  describe.each([
    ['mean', Reduction.mean],
    ['sum', Reduction.sum],
  ] as const)('losses, reduction %s', (_rname, reduction) => {
    it.each(SHAPES2)('softmaxCrossEntropy: rows %i, cols %i', (rows, cols) => {
      const n = rows * cols;
      const k = kernels();
      const rng = new Rng(100 + n + reduction);
      // Rows of t sum to 1, which is what makes dz = p − t the exact gradient.
      const t = Array.from({ length: rows }, () => rng.distribution(cols)).flat();
      const b = new Bench(k, {
        z: { length: n, init: (r) => r.uniform(-3, 3) }, t: { length: n, init: t }, p: { length: n }, dz: { length: n },
        loss: { length: 1, kind: 'f64' },
      }, rng);
      const run = () => {
        b.set('loss', [0]);
        k.softmaxCrossEntropy(b.p.z, b.p.t, b.p.p, b.p.dz, rows, cols, b.p.loss, reduction);
        return b.lossSum('loss');
      };
      run();
      const scale = reduction === Reduction.mean ? 1 / rows : 1;
      const analytic = b.get('dz').map((v) => v / scale);
      expectGradient(analytic, b.numeric('z', eps, run), tol, 'dz / scale');
    });

    it.each(SHAPES2)('sigmoidCrossEntropy: rows %i, cols %i', (rows, cols) => {
      const n = rows * cols;
      const k = kernels();
      const b = new Bench(k, {
        z: { length: n, init: (r) => r.uniform(-4, 4) }, t: { length: n, init: (r) => r.random() }, p: { length: n }, dz: { length: n },
        loss: { length: 1, kind: 'f64' },
      }, new Rng(200 + n + reduction));
      const run = () => {
        b.set('loss', [0]);
        k.sigmoidCrossEntropy(b.p.z, b.p.t, b.p.p, b.p.dz, rows, cols, b.p.loss, reduction);
        return b.lossSum('loss');
      };
      run();
      const scale = reduction === Reduction.mean ? 1 / n : 1;
      const analytic = b.get('dz').map((v) => v / scale);
      expectGradient(analytic, b.numeric('z', eps, run), tol, 'dz / scale');
    });

    it.each(SHAPES2)('meanSquaredError: rows %i, cols %i', (rows, cols) => {
      const n = rows * cols;
      const k = kernels();
      const b = new Bench(k, {
        y: { length: n, init: (r) => r.uniform(-2, 2) }, t: { length: n, init: (r) => r.uniform(-2, 2) }, dy: { length: n },
        loss: { length: 1, kind: 'f64' },
      }, new Rng(300 + n + reduction));
      const run = () => {
        b.set('loss', [0]);
        k.meanSquaredError(b.p.y, b.p.t, b.p.dy, rows, cols, b.p.loss, reduction);
        return b.lossSum('loss');
      };
      run();
      const scale = reduction === Reduction.mean ? 1 / n : 1;
      const analytic = b.get('dy').map((v) => v / scale);
      expectGradient(analytic, b.numeric('y', eps, run), tol, 'dy / scale');
    });
  });

  // L = Σ G ⊙ act(X·W + b); backward as the engine emits it: epilogue (dZ, db), then dW = Xᵀ·dZ and dX = dZ·Wᵀ.
  describe.each(ACTIVATIONS)('dense layer, $name', ({ act, alpha, kink }) => {
    it.each([
      [3, 5, 7],
      [5, 6, 9],
    ])('rows %i, inDim %i, outDim %i', (rows, inDim, outDim) => {
      const k = kernels();
      const specs: Record<'x' | 'w' | 'b' | 'y' | 'z' | 'dz' | 'db' | 'dw' | 'dx', BufferSpec> = {
        x: { length: rows * inDim }, w: { length: inDim * outDim }, b: { length: outDim }, y: { length: rows * outDim },
        z: { length: rows * outDim }, dz: { length: rows * outDim, init: (r) => r.uniform(-2, 2) },
        db: { length: outDim }, dw: { length: inDim * outDim }, dx: { length: rows * inDim },
      };
      // Every pre-activation stays 3·eps from the kink: one perturbed input moves it by at most eps (|x|, |w| ≤ 1).
      const b = sample(
        act * 7 + rows,
        (rng) => new Bench(k, specs, rng),
        (bench) => {
          if (!kink) return true;
          k.denseForward(bench.p.x, bench.p.w, bench.p.b, bench.p.z, rows, inDim, outDim, Act.linear, 0);
          return bench.get('z').every((v) => Math.abs(v) > 3 * eps);
        },
      );
      const g = b.get('dz');
      k.denseForward(b.p.x, b.p.w, b.p.b, b.p.y, rows, inDim, outDim, act, alpha);
      k.denseBackwardEpilogue(b.p.y, b.p.dz, b.p.db, rows, outDim, act, alpha, 0);
      k.matmulTN(b.p.x, b.p.dz, b.p.dw, rows, inDim, outDim, 0);
      k.matmulNT(b.p.dz, b.p.w, b.p.dx, rows, outDim, inDim, 0);
      const loss = () => {
        k.denseForward(b.p.x, b.p.w, b.p.b, b.p.y, rows, inDim, outDim, act, alpha);
        return b.dot(g, 'y');
      };
      expectGradient(b.get('dw'), b.numeric('w', eps, loss), tol, 'dW');
      expectGradient(b.get('db'), b.numeric('b', eps, loss), tol, 'db');
      expectGradient(b.get('dx'), b.numeric('x', eps, loss), tol, 'dX');
    });
  });

  // L = Σ G ⊙ maxout(X·W + b); backward: maxoutBackward, the epilogue for db, then the two products.
  describe('maxout layer', () => {
    it.each([
      [3, 5, 4, 3],
      [5, 3, 3, 2],
      [2, 7, 2, 5],
    ])('rows %i, inDim %i, units %i, k %i', (rows, inDim, units, kk) => {
      const k = kernels();
      const zDim = units * kk;
      const b = sample(
        rows * 100 + kk,
        (rng) => new Bench(k, {
          x: { length: rows * inDim }, w: { length: inDim * zDim }, b: { length: zDim }, z: { length: rows * zDim },
          y: { length: rows * units }, arg: { length: rows * units, kind: 'i32' }, g: { length: rows * units, init: (r) => r.uniform(-2, 2) },
          dz: { length: rows * zDim }, db: { length: zDim }, dw: { length: inDim * zDim }, dx: { length: rows * inDim },
        }, rng),
        (bench) => {
          // Winner and runner-up each move by at most eps per probe, so a gap of 3·eps keeps every winner.
          k.denseForward(bench.p.x, bench.p.w, bench.p.b, bench.p.z, rows, inDim, zDim, Act.linear, 0);
          const z = bench.get('z');
          for (let gi = 0; gi < rows * units; gi++) {
            const group = z.slice(gi * kk, gi * kk + kk).sort((a, c) => c - a);
            if (kk > 1 && group[0] - group[1] <= 3 * eps) return false;
          }
          return true;
        },
      );
      const forward = () => {
        k.denseForward(b.p.x, b.p.w, b.p.b, b.p.z, rows, inDim, zDim, Act.linear, 0);
        k.maxoutForward(b.p.z, b.p.y, b.p.arg, rows, units, kk);
      };
      forward();
      k.maxoutBackward(b.p.g, b.p.arg, b.p.dz, rows, units, kk);
      k.denseBackwardEpilogue(b.p.z, b.p.dz, b.p.db, rows, zDim, Act.linear, 0, 0);
      k.matmulTN(b.p.x, b.p.dz, b.p.dw, rows, inDim, zDim, 0);
      k.matmulNT(b.p.dz, b.p.w, b.p.dx, rows, zDim, inDim, 0);
      const g = b.get('g');
      const loss = () => {
        forward();
        return b.dot(g, 'y');
      };
      expectGradient(b.get('dw'), b.numeric('w', eps, loss), tol, 'dW');
      expectGradient(b.get('db'), b.numeric('b', eps, loss), tol, 'db');
      expectGradient(b.get('dx'), b.numeric('x', eps, loss), tol, 'dX');
    });
  });
});
