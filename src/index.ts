// simdnet: neural networks for JavaScript on WebAssembly SIMD kernels.

export { Sequential, type ModelOptions } from './model.js';
export { Layer, type LayerConfig } from './layers/layer.js';
export { Dense, type DenseOptions } from './layers/dense.js';
export { Activation } from './layers/activation.js';
export { Maxout, type MaxoutOptions } from './layers/maxout.js';
export { Dropout } from './layers/dropout.js';
export { BatchNorm, type BatchNormOptions } from './layers/batchnorm.js';
export { Residual, type ResidualOptions } from './layers/residual.js';
export type { ActivationName, ActivationOption } from './layers/activations.js';
export { INITIALIZERS, type Initializer } from './layers/init.js';
export { Loss, type LossName, type LossOption, type ReductionName } from './losses.js';
export { meanSquaredError, crossEntropy, binaryCrossEntropy, type ReductionOption } from './loss-functions.js';
export { Optimizer, SGD, Adam, AdamW, RMSProp, type OptimizerName, type SGDOptions, type AdamOptions, type RMSPropOptions, type OptimizerOption, type Parameter } from './optimizers.js';
export type { FitOptions } from './fit-options.js';
export { earlyStopping, reduceLROnPlateau, recordGradientNorms, type Callbacks, type EpochLogs, type History, type EarlyStopping, type EarlyStoppingOptions, type ReduceLROnPlateauOptions, type ModelSnapshot } from './callbacks.js';
export { stepDecay, exponentialDecay, cosineDecay, warmup, type Schedule, type ScheduleConfig } from './schedules.js';
export type { Metrics, ClassificationMetrics, RegressionMetrics } from './metrics.js';
export { matrix, classesOf, type Matrix, type MatrixInput, type LabelInput } from './data.js';
export type { BackendInfo, BackendOption } from './backend/select.js';
export { setKernelSource, KERNEL_FILES, type KernelBuild, type KernelSource } from './backend/kernel-source.js';
export { SimdnetError, InputError, DisposedError, ModelFormatError, ResourceError, DivergenceError } from './errors.js';
export { loadModel, loadModelJSON, type LoadOptions, type ModelJSON } from './io/load.js';
export type { ModelSource } from './io/source.js';
export type { SaveOptions } from './io/save.js';
export { gradCheck, type GradCheckOptions, type GradCheckResult, type LayerCheck } from './gradcheck.js';
export type { Gradients, LayerNorm } from './gradients.js';
export { lineChart, type LineChartOptions, type Series } from './plot/index.js';
export { FORMAT_VERSION, type ModelHeader } from './io/format.js';

// The lecture's classic models
export {
  LinearRegression,
  LogisticRegression,
  Perceptron,
  type LinearRegressionOptions,
  type LinearSolver,
  type RegressionScores,
  type LogisticRegressionOptions,
  type LogisticSolver,
  type Convergence,
  type PerceptronOptions,
  type PerceptronResult,
  type TrainingOptions,
} from './models/index.js';
