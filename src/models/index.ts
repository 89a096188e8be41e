// The lecture's classic models, each in its own file.

export { LinearRegression, type LinearRegressionOptions, type LinearSolver, type RegressionScores } from './linear-regression.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export type { LogisticSolver } from './logistic-options.js';
export type { Convergence } from './logistic-solvers.js';
export { Perceptron, type PerceptronOptions, type PerceptronResult } from './perceptron.js';
export type { TrainingOptions } from './inputs.js';
