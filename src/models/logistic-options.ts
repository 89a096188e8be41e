// LogisticRegression's options: which solver, and the options each one has.
// An option of the other solver is an error, not silently ignored, like an
// unknown key. Without `solver`, giving an SGD option (lr, epochs, …) selects
// 'gradientDescent', so the calls written before the default became Newton-CG
// still train by SGD as they did.

import { InputError, describe } from '../errors.js';
import { TRAINING_KEYS, type TrainingOptions, checkOptionKeys, checkTraining, positiveInteger, positiveNumber } from './inputs.js';
import type { SecondOrderSolver, SolverOptions } from './logistic-solvers.js';

export type LogisticSolver = SecondOrderSolver | 'gradientDescent';

export interface LogisticRegressionOptions extends TrainingOptions {
  /** Number of classes; default: the largest label + 1. 2 gives the sigmoid unit, more the softmax. */
  classes?: number;
  /**
   * 'newtonCG' (default): Newton's method with conjugate gradients, float64. 'lbfgs': L-BFGS, float64.
   * 'gradientDescent': SGD through a Sequential (lr, epochs, batchSize, shuffle, seed, backend); chosen when
   * one of those is given without a solver.
   */
  solver?: LogisticSolver;
  /** newtonCG, lbfgs: inverse strength of the L2 penalty on the weights (not the intercepts); default 1, as scikit-learn. */
  C?: number;
  /** newtonCG, lbfgs: stop when every partial derivative of the objective is ≤ tol in size; default 1e-4, as scikit-learn. */
  tol?: number;
  /** newtonCG, lbfgs: the most steps; default 100 Newton steps or 1,000 L-BFGS steps. */
  maxIterations?: number;
}

const SECOND_ORDER_KEYS = ['C', 'tol', 'maxIterations'] as const;
const SOLVERS: readonly LogisticSolver[] = ['newtonCG', 'lbfgs', 'gradientDescent'];
const MAX_ITERATIONS: Record<SecondOrderSolver, number> = { newtonCG: 100, lbfgs: 1000 };

export type LogisticSettings =
  | { solver: 'gradientDescent'; classes: number | undefined; training: Required<TrainingOptions> }
  | { solver: SecondOrderSolver; classes: number | undefined; second: SolverOptions };

export function readLogisticOptions(options: unknown): LogisticSettings {
  const o = checkOptionKeys(options, ['classes', 'solver', ...SECOND_ORDER_KEYS, ...TRAINING_KEYS]);
  if (o.solver !== undefined && !SOLVERS.includes(o.solver as LogisticSolver)) {
    throw new InputError(`options.solver: expected 'newtonCG', 'lbfgs' or 'gradientDescent', got ${describe(o.solver)}`);
  }
  const sgdKey = TRAINING_KEYS.find((k) => o[k] !== undefined);
  const solver = (o.solver as LogisticSolver | undefined) ?? (sgdKey ? 'gradientDescent' : 'newtonCG');
  const why = o.solver === undefined && sgdKey ? `, chosen because options.${sgdKey} was given` : '';
  const foreign = (solver === 'gradientDescent' ? SECOND_ORDER_KEYS : TRAINING_KEYS).find((k) => o[k] !== undefined);
  if (foreign) {
    const owner = solver === 'gradientDescent' ? "'newtonCG' and 'lbfgs'" : "'gradientDescent'";
    throw new InputError(`options.${foreign}: expected no ${foreign} with solver '${solver}'${why} (it is an option of ${owner}), got ${describe(o[foreign])}`);
  }
  const classes = o.classes === undefined ? undefined : positiveInteger(o.classes, 'options.classes', 2);
  if (solver === 'gradientDescent') return { solver, classes, training: checkTraining(o, { lr: 0.1, epochs: 100, batchSize: 32 }) };
  return {
    solver,
    classes,
    second: {
      solver,
      C: positiveNumber(o.C ?? 1, 'options.C'),
      tol: positiveNumber(o.tol ?? 1e-4, 'options.tol'),
      maxIterations: positiveInteger(o.maxIterations ?? MAX_ITERATIONS[solver], 'options.maxIterations'),
    },
  };
}
