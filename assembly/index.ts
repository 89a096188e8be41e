// The module's exports: `run` and every kernel, named and ordered as in src/backend/kernels.ts.
export { run } from "./program";
export { denseForward, matmulTN } from "./gemm";
export { matmulNT } from "./gemm_nt";
export { activationForward, activationBackward, denseBackwardEpilogue } from "./activations";
export { maxoutForward, maxoutBackward } from "./maxout";
export { softmaxCrossEntropy, sigmoidCrossEntropy, meanSquaredError, countCorrect } from "./losses";
export { sgdUpdate, fill } from "./optim";
export { narrowStep } from "./narrow_step";
export { firstNonFinite } from "./checks";
export { expArray as exp } from "./math";
export { shuffle, trainBatches, trainEpochs } from "./epoch";
export { dropoutForward } from "./dropout";
export { multiply, add, copy } from "./elementwise";
export { batchNormForward, batchNormBackward, batchNormUpdate } from "./batchnorm";
export { guard, beginStep, optimizerStep } from "./optimizers";
