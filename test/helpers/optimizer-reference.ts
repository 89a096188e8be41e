// A float64 reference of the update rules, written from the conventions stated at the
// top of src/optimizers.ts and assembly/optimizers.ts (PyTorch's), for tests that run
// the float32 kernels beside it. Nothing here imports the library's update code.
//
// The hyperparameters are taken as the block holds them: rounded to float32 (the
// kernels cannot be given 0.9 itself), or as doubles for a float64 heap, whose block
// holds them unrounded; every other quantity is a double. The step
// count and β1ᵗ, β2ᵗ are running products of those float32 values, as in the block.
//
// A `flaw` turns the reference into a plausible wrong convention (another library's,
// or a common slip), so a test can show its tolerance tells such a rule apart.

import type { Heap } from '../../src/backend/kernels.js';
import { Hyper } from '../../src/backend/ops.js';

export type RuleName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

export interface RuleSpec {
  readonly rule: RuleName;
  /** The base learning rate (a test may pass another rate to each step). */
  readonly lr: number;
  readonly weightDecay?: number;
  /** Global-norm clip; 0 or absent: none. */
  readonly clipNorm?: number;
  /** SGD's and RMSProp's momentum. */
  readonly momentum?: number;
  readonly nesterov?: boolean;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly rho?: number;
}

export type Flaw =
  /** TensorFlow's SGD momentum: the rate inside the velocity (v = μv + lr·g; w −= v). */
  | 'rateInsideMomentum'
  /** Adam without bias correction. */
  | 'noBiasCorrection'
  /** Keras's Adam: ε added to √v̂ after scaling ε by √(1−β2ᵗ), i.e. w −= lr_t·m/(√v + ε̂). */
  | 'kerasEpsilon'
  /** AdamW decaying by λ·w rather than lr·λ·w. */
  | 'decayWithoutRate'
  /** RMSProp with ε inside the root (TensorFlow's). */
  | 'epsilonInsideRoot'
  /** Clipping each element to ±clip instead of scaling by the global norm. */
  | 'clipByValue'
  /** The global-norm clip without PyTorch's + 1e-6: s = min(1, clip/‖g‖). */
  | 'clipWithoutOffset';

/** What a reference step leaves behind, for the kernels' block to be compared with. */
export interface StepFacts {
  /** Σg² of the step's gradients, in float64. */
  gradSq: number;
  /** The clip factor s. */
  scale: number;
  /** The float32 rate the block held for this step. */
  lr: number;
}

const f = Math.fround;

/** How the block holds a hyperparameter: 'float32' rounds it, 'float64' (a float64 heap) keeps it. */
export type BlockPrecision = 'float32' | 'float64';

export class ReferenceOptimizer {
  /** SGD's velocity, Adam's first moment, RMSProp's momentum buffer. */
  readonly m: Float64Array;
  /** Adam's second moment, RMSProp's mean square. */
  readonly v: Float64Array;
  steps = 0;
  beta1Pow = 1;
  beta2Pow = 1;

  constructor(
    readonly spec: RuleSpec,
    readonly n: number,
    readonly flaw: Flaw | null = null,
    readonly block: BlockPrecision = 'float32',
  ) {
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  /**
   * One update of w (all parameters, one region) from gradients g, at rate `lr` (default:
   * the spec's). The clip norm is over all of g, as the guard computes it.
   */
  step(w: Float64Array, g: ArrayLike<number>, lr = this.spec.lr): StepFacts {
    const { spec, m, v, n } = this;
    const f = this.block === 'float32' ? Math.fround : (x: number) => x;
    if (w.length !== n || g.length !== n) throw new Error(`reference: expected ${n} weights and gradients, got ${w.length} and ${g.length}`);
    const rate = f(lr);
    const decay = f(spec.weightDecay ?? 0), clip = f(spec.clipNorm ?? 0);
    let gradSq = 0;
    for (let i = 0; i < n; i++) gradSq += g[i] * g[i];
    const offset = this.flaw === 'clipWithoutOffset' ? 0 : 1e-6;
    const scale = clip > 0 && this.flaw !== 'clipByValue' ? Math.min(1, clip / (Math.sqrt(gradSq) + offset)) : 1;
    const grad = (i: number): number => (clip > 0 && this.flaw === 'clipByValue' ? Math.max(-clip, Math.min(clip, g[i])) : scale * g[i]);
    this.steps++;

    if (spec.rule === 'sgd') {
      const mu = f(spec.momentum ?? 0), nesterov = spec.nesterov ?? false;
      for (let i = 0; i < n; i++) {
        const gi = grad(i) + decay * w[i];
        if (mu === 0) {
          w[i] -= rate * gi;
        } else if (this.flaw === 'rateInsideMomentum') {
          m[i] = mu * m[i] + rate * gi;
          w[i] -= nesterov ? rate * gi + mu * m[i] : m[i];
        } else {
          m[i] = mu * m[i] + gi;
          w[i] -= rate * (nesterov ? gi + mu * m[i] : m[i]);
        }
      }
    } else if (spec.rule === 'rmsprop') {
      const rho = f(spec.rho ?? 0.99), eps = f(spec.epsilon ?? 1e-8), mu = f(spec.momentum ?? 0);
      for (let i = 0; i < n; i++) {
        const gi = grad(i) + decay * w[i];
        v[i] = rho * v[i] + (1 - rho) * gi * gi;
        const denom = this.flaw === 'epsilonInsideRoot' ? Math.sqrt(v[i] + eps) : Math.sqrt(v[i]) + eps;
        let s = gi / denom;
        if (mu !== 0) s = m[i] = mu * m[i] + s;
        w[i] -= rate * s;
      }
    } else {
      const b1 = f(spec.beta1 ?? 0.9), b2 = f(spec.beta2 ?? 0.999), eps = f(spec.epsilon ?? 1e-8);
      this.beta1Pow *= b1;
      this.beta2Pow *= b2;
      const c1 = this.flaw === 'noBiasCorrection' ? 1 : 1 - this.beta1Pow;
      const c2 = this.flaw === 'noBiasCorrection' ? 1 : 1 - this.beta2Pow;
      const decoupled = spec.rule === 'adamw';
      for (let i = 0; i < n; i++) {
        let gi = grad(i);
        if (decoupled) w[i] *= this.flaw === 'decayWithoutRate' ? 1 - decay : 1 - rate * decay;
        else gi += decay * w[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        if (this.flaw === 'kerasEpsilon') {
          w[i] -= ((rate * Math.sqrt(c2)) / c1) * (m[i] / (Math.sqrt(v[i]) + eps));
        } else {
          w[i] -= (rate / c1) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(c2) + eps));
        }
      }
    }
    return { gradSq, scale, lr: rate };
  }
}

/** The coefficient by which the rule's moment carries a rounding error into later steps (0: none). */
export function carry(spec: RuleSpec): number {
  if (spec.rule === 'sgd' || spec.rule === 'rmsprop') return f(spec.momentum ?? 0);
  return f(spec.beta1 ?? 0.9);
}

/** The block's fields of a fresh optimizer with this spec: every field written, so no earlier test's block shows through. */
export function writeBlock(heap: Heap, at: number, spec: RuleSpec): void {
  const f32 = (o: number, x: number) => (heap.f32[(at + o) >> 2] = x);
  const f64 = (o: number, x: number) => (heap.f64[(at + o) >> 3] = x);
  const i32 = (o: number, x: number) => (heap.i32[(at + o) >> 2] = x);
  const first = spec.rule === 'sgd' ? spec.momentum ?? 0 : spec.rule === 'rmsprop' ? spec.rho ?? 0.99 : spec.beta1 ?? 0.9;
  f32(Hyper.lr, f(spec.lr));
  f32(Hyper.beta1, f(first));
  f32(Hyper.beta2, spec.rule === 'adam' || spec.rule === 'adamw' ? f(spec.beta2 ?? 0.999) : 0);
  f32(Hyper.eps, spec.rule === 'sgd' ? 0 : f(spec.epsilon ?? 1e-8));
  f32(Hyper.decay, f(spec.weightDecay ?? 0));
  f32(Hyper.clip, f(spec.clipNorm ?? 0));
  i32(Hyper.nesterov, spec.nesterov ? 1 : 0);
  f32(Hyper.momentum, spec.rule === 'rmsprop' ? f(spec.momentum ?? 0) : 0);
  f64(Hyper.step, 0);
  f64(Hyper.beta1Pow, 1);
  f64(Hyper.beta2Pow, 1);
  f64(Hyper.gradSq, 0);
  i32(Hyper.table, 0);
  i32(Hyper.tableLength, 0);
  f64(Hyper.tableFirst, 0);
  f32(Hyper.lrNow, 0);
  i32(Hyper.status, 0);
}

/** The block's counters and the fields the kernels write, read through the heap's own views. */
export function readBlock(heap: Heap, at: number): { step: number; beta1Pow: number; beta2Pow: number; gradSq: number; lrNow: number; status: number; lr: number } {
  return {
    step: heap.f64[(at + Hyper.step) >> 3],
    beta1Pow: heap.f64[(at + Hyper.beta1Pow) >> 3],
    beta2Pow: heap.f64[(at + Hyper.beta2Pow) >> 3],
    gradSq: heap.f64[(at + Hyper.gradSq) >> 3],
    lrNow: heap.f32[(at + Hyper.lrNow) >> 2],
    status: heap.i32[(at + Hyper.status) >> 2],
    lr: heap.f32[(at + Hyper.lr) >> 2],
  };
}

/**
 * The error budget of a float32 run against this reference. Each step may add a few
 * float32 roundings relative to what it touches: the weight itself (the store of
 * w − lr·step) and the step's arithmetic (a handful of operations on the gradient,
 * the moments, the root and the division), the latter carried on by a moment with
 * coefficient c for about 1/(1 − c) further steps. So step t adds
 *   k · 2⁻²⁴ · (max|w_t| + max|Δw_t| / (1 − c)),
 * and the bound after T steps is the sum: linear growth, as for rounding errors that
 * nothing amplifies (given the same gradients, a weight enters its own update only
 * through the decay λ·w, which shrinks an error rather than growing it).
 */
export class Budget {
  total = 0;

  constructor(
    /** float32 roundings allowed per step and unit of scale. */
    readonly k: number,
    readonly carried: number,
    /** The unit roundoff: 2⁻²⁴ for float32, 2⁻⁵³ for float64. */
    readonly unit = 2 ** -24,
  ) {}

  /** Add step t's share, from the reference's weights before and after it. */
  add(before: ArrayLike<number>, after: ArrayLike<number>): number {
    let w = 0, dw = 0;
    for (let i = 0; i < after.length; i++) {
      w = Math.max(w, Math.abs(before[i]), Math.abs(after[i]));
      dw = Math.max(dw, Math.abs(after[i] - before[i]));
    }
    this.total += this.k * this.unit * (w + dw / (1 - this.carried));
    return this.total;
  }
}

/** max_i |a_i − b_i| and where. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; at: number } {
  if (a.length !== b.length) throw new Error(`maxDiff: lengths ${a.length} and ${b.length}`);
  let diff = 0, at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Number.isNaN(a[i]) || Number.isNaN(b[i]) ? Infinity : Math.abs(a[i] - b[i]);
    if (d > diff || at < 0) {
      diff = d;
      at = i;
    }
  }
  return { diff, at };
}
