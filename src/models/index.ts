// The lecture's classic models, each in its own file.

export { LinearRegression, type LinearRegressionOptions, type LinearSolver, type RegressionScores } from './linear-regression.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export { Perceptron, type PerceptronOptions, type PerceptronResult } from './perceptron.js';
export type { TrainingOptions } from './inputs.js';
