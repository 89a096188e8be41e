// Truncated Newton (Newton-CG; Nocedal & Wright, alg. 7.1) in float64: each step
// solves H·d = −∇f approximately by conjugate gradients preconditioned with
// diag H, then backtracks along d. Why besides L-BFGS: a weakly penalised,
// nearly separable problem (raw 0–16 pixels, C = 1) is so ill-conditioned that
// L-BFGS needs ~700 gradients to reach 1e-5, while Newton's quadratic convergence
// gets there in 11 steps and 143 Hessian products (each costs about a gradient).

import type { Curvature } from './logistic-curvature.js';
import { FTOL, type MinimizeResult, type StopReason, dot, maxAbs } from './lbfgs.js';

export interface NewtonOptions {
  /** Stop when gradientNorm(∇f) ≤ tol. */
  tol: number;
  /** Stop after this many Newton steps. */
  maxIterations: number;
  /** Conjugate-gradient steps per Newton step at most; 200, as scikit-learn's newton-cg. */
  maxInner?: number;
  /** The gradient size tol bounds; default max |gᵢ|. A reparameterised problem measures the gradient of the original one here. */
  gradientNorm?: (g: Float64Array) => number;
}

export interface NewtonResult extends MinimizeResult {
  /** Hessian-vector products spent by conjugate gradients. */
  hessianProducts: number;
}

const C1 = 1e-4;
const MAX_HALVINGS = 40;

/** Minimise f (value, gradient into g) given its curvature at any point. */
export function newtonCG(
  f: (x: Float64Array, g: Float64Array) => number,
  curvature: (x: Float64Array) => Curvature,
  x0: Float64Array,
  options: NewtonOptions,
): NewtonResult {
  const { tol, maxIterations, maxInner = 200, gradientNorm = maxAbs } = options;
  const size = x0.length;
  let x = Float64Array.from(x0), g = new Float64Array(size);
  let xNext = new Float64Array(size), gNext = new Float64Array(size);
  let value = f(x, g);
  let evaluations = 1, iterations = 0, hessianProducts = 0;
  const d = new Float64Array(size);
  let stop: StopReason | undefined;
  while (stop === undefined) {
    if (gradientNorm(g) <= tol) {
      stop = 'gradient';
      break;
    }
    if (iterations >= maxIterations) {
      stop = 'maxIterations';
      break;
    }
    hessianProducts += solve(curvature(x), g, d, maxInner, tol);
    const slope = dot(g, d);
    let t = 1, accepted = false;
    for (let k = 0; k < MAX_HALVINGS && !accepted; k++, t /= 2) {
      for (let i = 0; i < size; i++) xNext[i] = x[i] + t * d[i];
      const v = f(xNext, gNext);
      evaluations++;
      if (Number.isFinite(v) && v <= value + C1 * t * slope) {
        accepted = true;
        const previous = value;
        [x, xNext, g, gNext, value] = [xNext, x, gNext, g, v];
        iterations++;
        if (previous - value <= FTOL * Math.max(Math.abs(previous), Math.abs(value), 1)) stop = gradientNorm(g) <= tol ? 'gradient' : 'noProgress';
      }
    }
    if (!accepted) stop = 'lineSearch';
  }
  return { x, value, gradientNorm: gradientNorm(g), iterations, evaluations, converged: stop === 'gradient', stop, hessianProducts };
}

/**
 * d ≈ −H⁻¹g by preconditioned conjugate gradients from d = 0, to the relative
 * residual η = min(0.5, √‖g‖) (the forcing sequence that keeps Newton superlinear
 * without solving exactly far from the optimum), but no further than tol/2.
 * Returns the products spent.
 */
function solve(h: Curvature, g: Float64Array, d: Float64Array, maxInner: number, tol: number): number {
  const size = g.length;
  const m = new Float64Array(size);
  h.diagonal(m);
  const r = new Float64Array(size), z = new Float64Array(size), p = new Float64Array(size), hp = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    d[i] = 0;
    r[i] = -g[i];
    z[i] = r[i] / m[i];
    p[i] = z[i];
  }
  const gNorm = Math.sqrt(dot(g, g));
  // Near the end, a residual below tol/2 already lets the next gradient pass the test (|r|∞ ≤ ‖r‖₂): solving further is wasted.
  const target = Math.max(Math.min(0.5, Math.sqrt(gNorm)) * gNorm, tol / 2);
  let rz = dot(r, z);
  let k = 0;
  while (k < maxInner) {
    h.times(p, hp);
    k++;
    const curvature = dot(p, hp);
    // Only a direction the objective is flat along (the softmax's shared bias shift) can get here: stop with what we have.
    if (!(curvature > 0)) break;
    const alpha = rz / curvature;
    for (let i = 0; i < size; i++) {
      d[i] += alpha * p[i];
      r[i] -= alpha * hp[i];
    }
    if (Math.sqrt(dot(r, r)) <= target) break;
    for (let i = 0; i < size; i++) z[i] = r[i] / m[i];
    const next = dot(r, z);
    const beta = next / rz;
    rz = next;
    for (let i = 0; i < size; i++) p[i] = z[i] + beta * p[i];
  }
  // No step taken (flat from the start): fall back on the preconditioned gradient.
  if (dot(d, d) === 0) for (let i = 0; i < size; i++) d[i] = -g[i] / m[i];
  return k;
}
