// Logistic regression fitted in float64 on the exact objective of
// logistic-objective.ts (cross-entropy + ‖W‖²/(2Cn), scikit-learn's), from zero
// (the problem is convex), by Newton-CG or L-BFGS.
//
// Both run in centred coordinates (logistic-centred.ts), and L-BFGS, which has
// no preconditioner of its own, also on weights scaled by each feature's spread
// (V = s·W): the same objective and minimiser, better conditioned (raw digits:
// 939 L-BFGS steps to 1e-6 instead of 3,269). Both stop on the gradient of
// (W, b), the parameters the model reports.

import type { Matrix64 } from './inputs.js';
import { type StopReason, maxAbs, minimize } from './lbfgs.js';
import { centredObjective } from './logistic-centred.js';
import { type LogisticProblem, parameterCount } from './logistic-objective.js';
import { newtonCG } from './newton-cg.js';

export type SecondOrderSolver = 'newtonCG' | 'lbfgs';

export interface SolverOptions {
  solver: SecondOrderSolver;
  C: number;
  tol: number;
  maxIterations: number;
}

export interface Convergence {
  /** Which solver ran. */
  solver: SecondOrderSolver;
  /** The gradient test passed: max |∂f/∂θᵢ| ≤ tol. */
  converged: boolean;
  /** Newton or L-BFGS steps taken. */
  iterations: number;
  /** Evaluations of the objective and its gradient (line searches included). */
  evaluations: number;
  /** Hessian-vector products of Newton-CG's inner solves (0 for L-BFGS). */
  hessianProducts: number;
  /** max |∂f/∂θᵢ| at the result, θ = (W, b). */
  gradientNorm: number;
  /** f at the result: mean cross-entropy + ‖W‖²/(2·C·n). */
  objective: number;
  /** Why it stopped: 'gradient' (converged), 'maxIterations', 'noProgress' (f no longer falls in float64), 'lineSearch'. */
  stop: StopReason;
}

/** θ = (W [feature][unit], b) minimising the objective, and how the solver got there. */
export function fitLogistic(X: Matrix64, labels: Int32Array, units: number, options: SolverOptions): { theta: Float64Array; convergence: Convergence } {
  const { rows: n, cols: p } = X;
  const problem: LogisticProblem = { x: X.data, rows: n, features: p, labels, units, C: options.C };
  const { tol, maxIterations } = options;
  const size = parameterCount(p, units), bias = p * units;
  const centred = centredObjective(problem);
  const scratch = new Float64Array(size), original = new Float64Array(size), unscaled = new Float64Array(size);
  // V = s·W on top of the centring for L-BFGS; s = 1 for Newton-CG, whose diag-H preconditioner already sees the scales.
  const scale = options.solver === 'lbfgs' ? spread(X) : new Float64Array(p).fill(1);
  const unscale = (v: Float64Array, out: Float64Array) => {
    out.set(v);
    for (let i = 0; i < bias; i++) out[i] = v[i] / scale[Math.floor(i / units)];
  };
  const gradientNorm = (g: Float64Array): number => {
    for (let i = 0; i < size; i++) scratch[i] = i < bias ? g[i] * scale[Math.floor(i / units)] : g[i];
    centred.originalGradient(scratch, original);
    return maxAbs(original);
  };

  const start = new Float64Array(size);
  const result =
    options.solver === 'newtonCG'
      ? newtonCG(centred.value, centred.curvature, start, { tol, maxIterations, gradientNorm })
      : minimize(
          (v, g) => {
            unscale(v, unscaled);
            const f = centred.value(unscaled, g);
            for (let i = 0; i < bias; i++) g[i] /= scale[Math.floor(i / units)];
            return f;
          },
          start,
          { tol, maxIterations, gradientNorm },
        );
  const theta = new Float64Array(size);
  unscale(result.x, scratch);
  centred.toOriginal(scratch, theta);
  // Softmax is unchanged when every intercept moves by the same amount and the penalty
  // does not see intercepts: report the representative whose intercepts sum to zero.
  if (units > 1) {
    let mean = 0;
    for (let c = 0; c < units; c++) mean += theta[bias + c] / units;
    for (let c = 0; c < units; c++) theta[bias + c] -= mean;
  }
  const { value, iterations, evaluations, converged, stop } = result;
  const hessianProducts = 'hessianProducts' in result ? (result.hessianProducts as number) : 0;
  return { theta, convergence: { solver: options.solver, converged, iterations, evaluations, hessianProducts, gradientNorm: result.gradientNorm, objective: value, stop } };
}

/** Each feature's standard deviation; 1 where a column is constant (its weight only meets the penalty). */
function spread(X: Matrix64): Float64Array {
  const { rows: n, cols: p, data } = X;
  const mean = new Float64Array(p), scale = new Float64Array(p);
  for (let i = 0; i < n * p; i++) mean[i % p] += data[i] / n;
  for (let i = 0; i < n * p; i++) scale[i % p] += (data[i] - mean[i % p]) ** 2 / n;
  for (let j = 0; j < p; j++) scale[j] = scale[j] > 0 ? Math.sqrt(scale[j]) : 1;
  return scale;
}
