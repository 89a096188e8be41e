// The interpreter: one call runs a whole program of fixed-size records, so a training
// step costs one JS→wasm transition instead of one per kernel.
import {
  OP_WORDS, OP_MATMUL_NT, OP_MATMUL_TN, OP_ACTIVATION_BACKWARD, OP_DENSE_BACKWARD_EPILOGUE,
  OP_MAXOUT_BACKWARD, OP_SOFTMAX_CROSS_ENTROPY, OP_SIGMOID_CROSS_ENTROPY, OP_MEAN_SQUARED_ERROR,
  OP_COUNT_CORRECT, OP_SGD_UPDATE, OP_FILL, OP_NARROW_STEP, OP_DROPOUT_FORWARD, OP_MULTIPLY,
  OP_BATCH_NORM_BACKWARD, OP_BATCH_NORM_UPDATE, OP_GUARD, OP_OPTIMIZER_STEP,
} from "./ops";
import { runForward } from "./forward";
import { matmulTN } from "./gemm";
import { matmulNT } from "./gemm_nt";
import { activationBackward, denseBackwardEpilogue } from "./activations";
import { maxoutBackward } from "./maxout";
import { softmaxCrossEntropy, sigmoidCrossEntropy, meanSquaredError, countCorrect } from "./losses";
import { sgdUpdate, fill } from "./optim";
import { narrowStep } from "./narrow_step";
import { dropoutForward } from "./dropout";
import { multiply } from "./elementwise";
import { batchNormBackward, batchNormUpdate } from "./batchnorm";
import { guard, optimizerStep } from "./optimizers";
import { matmulNTShared, matmulTNShared } from "./parallel";
// Word 0 of a record is the opcode; P/I/F read its arguments, words 1 on.
import { P, I, F } from "./record";


/**
 * Interprets `nOps` records of OP_WORDS int32 at `program`, with the batch row count `rows`:
 * the forward ops (forward.ts), then the rest. A guard that finds the step non-finite ends
 * the program there: no update follows.
 */
export function run(program: usize, nOps: i32, rows: i32): void {
  for (let op = 0; op < nOps; op++) {
    const r = program + <usize>op * (<usize>OP_WORDS << 2);
    if (runForward(r, rows, true)) continue;
    switch (load<i32>(r)) {
      case OP_MATMUL_NT:
        if (ASC_FEATURE_THREADS) matmulNTShared(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5), I(r, 6));
        else matmulNT(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5), I(r, 6));
        break;
      case OP_MATMUL_TN:
        if (ASC_FEATURE_THREADS) matmulTNShared(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5), I(r, 6));
        else matmulTN(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5), I(r, 6));
        break;
      case OP_ACTIVATION_BACKWARD:
        activationBackward(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5), F(r, 6));
        break;
      case OP_DENSE_BACKWARD_EPILOGUE:
        denseBackwardEpilogue(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5), F(r, 6), I(r, 7));
        break;
      case OP_MAXOUT_BACKWARD:
        maxoutBackward(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5));
        break;
      case OP_SOFTMAX_CROSS_ENTROPY:
        softmaxCrossEntropy(P(r, 1), P(r, 2), P(r, 3), P(r, 4), rows, I(r, 5), P(r, 6), I(r, 7));
        break;
      case OP_SIGMOID_CROSS_ENTROPY:
        sigmoidCrossEntropy(P(r, 1), P(r, 2), P(r, 3), P(r, 4), rows, I(r, 5), P(r, 6), I(r, 7));
        break;
      case OP_MEAN_SQUARED_ERROR:
        meanSquaredError(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), P(r, 5), I(r, 6));
        break;
      case OP_COUNT_CORRECT:
        countCorrect(P(r, 1), P(r, 2), rows, I(r, 3), P(r, 4));
        break;
      case OP_SGD_UPDATE:
        sgdUpdate(P(r, 1), P(r, 2), I(r, 3), P(r, 4));
        break;
      case OP_FILL:
        fill(P(r, 1), I(r, 2), F(r, 3));
        break;
      case OP_NARROW_STEP:
        narrowStep(P(r, 1), I(r, 2), I(r, 3), P(r, 4), P(r, 5), P(r, 6), I(r, 7), P(r, 8));
        break;
      case OP_DROPOUT_FORWARD:
        dropoutForward(P(r, 1), P(r, 2), P(r, 3), rows * I(r, 4), P(r, 5), <u32>P(r, 6), F(r, 7));
        break;
      case OP_MULTIPLY:
        multiply(P(r, 1), P(r, 2), P(r, 3), rows * I(r, 4));
        break;
      case OP_BATCH_NORM_BACKWARD:
        batchNormBackward(P(r, 1), P(r, 2), P(r, 3), P(r, 4), P(r, 5), P(r, 6), P(r, 7), rows, I(r, 8));
        break;
      case OP_BATCH_NORM_UPDATE:
        batchNormUpdate(P(r, 1), P(r, 2), rows, I(r, 3), F(r, 4));
        break;
      case OP_GUARD:
        if (!guard(P(r, 1), I(r, 2), P(r, 3), P(r, 4))) return;
        break;
      case OP_OPTIMIZER_STEP:
        optimizerStep(I(r, 1), P(r, 2), P(r, 3), P(r, 4), P(r, 5), I(r, 6), P(r, 7));
        break;
      default:
        unreachable();
    }
  }
}
