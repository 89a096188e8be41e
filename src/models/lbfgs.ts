// L-BFGS (Nocedal & Wright, Numerical Optimization, alg. 7.4 and 3.5–3.6) in
// float64, for the small smooth convex problems of the classic models: a few
// hundred parameters, where a full Hessian would be wasteful and plain gradient
// descent needs thousands of steps on an ill-conditioned objective.

/** f(x), writing ∇f(x) into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

export interface MinimizeOptions {
  /** Stop when gradientNorm(∇f) ≤ tol. */
  tol: number;
  /** Stop after this many accepted steps. */
  maxIterations: number;
  /** Correction pairs kept; 10 is scipy's and most libraries' default. */
  memory?: number;
  /** The gradient size tol bounds; default max |gᵢ|. A preconditioned problem measures the gradient of the original one here. */
  gradientNorm?: (g: Float64Array) => number;
}

export type StopReason = 'gradient' | 'maxIterations' | 'noProgress' | 'lineSearch';

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  /** gradientNorm (default max |∂f/∂xᵢ|) at x. */
  gradientNorm: number;
  iterations: number;
  /** Evaluations of f (with its gradient), line searches included. */
  evaluations: number;
  /** The gradient test passed. */
  converged: boolean;
  /** 'gradient': converged; 'noProgress': f stopped falling at float64 resolution first; 'lineSearch': no step decreased f. */
  stop: StopReason;
}

/** Strong Wolfe constants: c1 asks a real decrease, c2 = 0.9 a loose curvature test that keeps sᵀy > 0. */
const C1 = 1e-4, C2 = 0.9;
const MAX_LINE_EVALUATIONS = 40;
/** Relative decrease of f below which a step is no progress: 64·eps, scikit-learn's ftol for lbfgs. */
export const FTOL = 64 * 2 ** -52;

export function minimize(f: Objective, x0: Float64Array, options: MinimizeOptions): MinimizeResult {
  const { tol, maxIterations, memory = 10, gradientNorm = maxAbs } = options;
  const size = x0.length;
  let x = Float64Array.from(x0), g = new Float64Array(size);
  let xNext = new Float64Array(size), gNext = new Float64Array(size);
  let value = f(x, g);
  let evaluations = 1, iterations = 0;
  const pairs: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const d = new Float64Array(size);
  let stop: StopReason;
  for (;;) {
    if (gradientNorm(g) <= tol) {
      stop = 'gradient';
      break;
    }
    if (iterations >= maxIterations) {
      stop = 'maxIterations';
      break;
    }
    direction(d, g, pairs);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in the memory): restart from steepest descent.
      pairs.length = 0;
      for (let i = 0; i < size; i++) d[i] = -g[i];
      slope = -dot(g, g);
    }
    // The first step is scaled to length 1; later ones take the unit step BFGS's scaling makes natural.
    const first = pairs.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
    const found = lineSearch(f, x, value, d, slope, first, xNext, gNext);
    evaluations += found.evaluations;
    if (!found.ok) {
      stop = 'lineSearch';
      break;
    }
    iterations++;
    const s = new Float64Array(size), y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = xNext[i] - x[i];
      y[i] = gNext[i] - g[i];
    }
    const sy = dot(s, y);
    // The curvature guard keeps the implicit inverse Hessian positive definite.
    if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (pairs.length === memory) pairs.shift();
      pairs.push({ s, y, rho: 1 / sy });
    }
    const previous = value;
    [x, xNext, g, gNext, value] = [xNext, x, gNext, g, found.value];
    if (previous - value <= FTOL * Math.max(Math.abs(previous), Math.abs(value), 1)) {
      stop = gradientNorm(g) <= tol ? 'gradient' : 'noProgress';
      break;
    }
  }
  return { x, value, gradientNorm: gradientNorm(g), iterations, evaluations, converged: stop === 'gradient', stop };
}

/** d = −H·g by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair. */
function direction(d: Float64Array, g: Float64Array, pairs: readonly { s: Float64Array; y: Float64Array; rho: number }[]): void {
  d.set(g);
  const alpha = new Float64Array(pairs.length);
  for (let k = pairs.length - 1; k >= 0; k--) {
    const { s, y, rho } = pairs[k];
    alpha[k] = rho * dot(s, d);
    axpy(-alpha[k], y, d);
  }
  if (pairs.length > 0) {
    const { s, y } = pairs[pairs.length - 1];
    const gamma = dot(s, y) / dot(y, y);
    for (let i = 0; i < d.length; i++) d[i] *= gamma;
  }
  for (let k = 0; k < pairs.length; k++) {
    const { s, y, rho } = pairs[k];
    axpy(alpha[k] - rho * dot(y, d), s, d);
  }
  for (let i = 0; i < d.length; i++) d[i] = -d[i];
}

/**
 * A step t along d meeting the strong Wolfe conditions: bracket, then zoom by
 * safeguarded cubic interpolation. On success xt, gt hold x + t·d and its gradient.
 * Falls back to the best sufficient-decrease point when the curvature test cannot be met.
 */
function lineSearch(f: Objective, x: Float64Array, f0: number, d: Float64Array, slope0: number, t: number, xt: Float64Array, gt: Float64Array): { ok: boolean; value: number; evaluations: number } {
  let evaluations = 0;
  const at = (step: number): { v: number; s: number } => {
    for (let i = 0; i < x.length; i++) xt[i] = x[i] + step * d[i];
    evaluations++;
    const v = f(xt, gt);
    return { v, s: dot(gt, d) };
  };
  let lo = 0, fLo = f0, sLo = slope0;
  let hi = Infinity, fHi = NaN, sHi = NaN;
  while (evaluations < MAX_LINE_EVALUATIONS) {
    const { v, s } = at(t);
    if (!Number.isFinite(v) || v > f0 + C1 * t * slope0 || v >= fLo) {
      [hi, fHi, sHi] = [t, v, s];
    } else {
      if (Math.abs(s) <= -C2 * slope0) return { ok: true, value: v, evaluations };
      if (s * (hi - lo) >= 0) [hi, fHi, sHi] = [lo, fLo, sLo];
      [lo, fLo, sLo] = [t, v, s];
    }
    if (hi === Infinity) {
      t *= 2;
    } else {
      if (Math.abs(hi - lo) <= 2 ** -52 * Math.max(1, Math.abs(lo))) break;
      t = interpolate(lo, fLo, sLo, hi, fHi, sHi);
    }
  }
  if (lo === 0) return { ok: false, value: f0, evaluations };
  return { ok: true, value: at(lo).v, evaluations };
}

/** The minimiser of the cubic through (a, fa, sa), (b, fb, sb), kept 10 % inside [a, b]; bisection when it is not defined. */
function interpolate(a: number, fa: number, sa: number, b: number, fb: number, sb: number): number {
  const low = Math.min(a, b), width = Math.abs(b - a);
  const d1 = sa + sb - (3 * (fa - fb)) / (a - b);
  const root = d1 * d1 - sa * sb;
  let t = NaN;
  if (Number.isFinite(fb) && Number.isFinite(sb) && root >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(root);
    t = b - ((b - a) * (sb + d2 - d1)) / (sb - sa + 2 * d2);
  }
  if (!Number.isFinite(t)) return low + width / 2;
  return Math.min(Math.max(t, low + 0.1 * width), low + 0.9 * width);
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
