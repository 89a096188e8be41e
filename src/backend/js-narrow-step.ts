// The JS twin of the fused narrowStep kernel: the same step spelled as the unfused
// ops the engine would otherwise emit, so the fused kernel is held against the
// definition of a step, not against a second fused implementation.

import type { Kernels } from './kernels.js';
import { Act, Hyper, LossKind, STEP_LAYER_WORDS, fromF32Bits } from './ops.js';

/** Table words of a layer record (see Op.narrowStep). */
const X = 0, W = 1, B = 2, Y = 3, DY = 4, DW = 5, DB = 6, IN = 7, OUT = 8, ACT = 9, ALPHA = 10;

export function narrowStepByOps(
  k: Kernels, table: number, layers: number, lossKind: number, t: number, lossSum: number, correct: number, reduction: number, hyper: number,
): void {
  const words = k.heap.i32;
  const top = (table >> 2) + (layers - 1) * STEP_LAYER_WORDS;
  // The cross-entropies apply the top layer's activation themselves.
  const topAct = lossKind === LossKind.mse ? words[top + ACT] : Act.linear;
  for (let l = 0, r = table >> 2; l < layers; l++, r += STEP_LAYER_WORDS) {
    const act = r === top ? topAct : words[r + ACT];
    k.denseForward(words[r + X], words[r + W], words[r + B], words[r + Y], 1, words[r + IN], words[r + OUT], act, fromF32Bits(words[r + ALPHA]));
  }
  const y = words[top + Y], dy = words[top + DY], cols = words[top + OUT];
  if (lossKind === LossKind.mse) k.meanSquaredError(y, t, dy, 1, cols, lossSum, reduction);
  else if (lossKind === LossKind.sigmoidCrossEntropy) k.sigmoidCrossEntropy(y, t, y, dy, 1, cols, lossSum, reduction);
  else k.softmaxCrossEntropy(y, t, y, dy, 1, cols, lossSum, reduction);
  if (correct !== 0) k.countCorrect(y, t, 1, cols, correct);
  // A non-finite loss refuses the step, as the guard op does.
  if (!Number.isFinite(k.heap.f64[lossSum >> 3])) {
    k.heap.i32[(hyper + Hyper.status) >> 2] = 1;
    return;
  }
  k.beginStep(hyper);
  const lr = hyper + Hyper.lrNow;
  // The input gradient is taken before the update, from the weights the forward pass used.
  for (let r = top; r >= table >> 2; r -= STEP_LAYER_WORDS) {
    const inDim = words[r + IN], outDim = words[r + OUT];
    const act = r === top ? topAct : words[r + ACT];
    k.denseBackwardEpilogue(words[r + Y], words[r + DY], words[r + DB], 1, outDim, act, fromF32Bits(words[r + ALPHA]), 0);
    k.matmulTN(words[r + X], words[r + DY], words[r + DW], 1, inDim, outDim, 0);
    if (r > table >> 2) k.matmulNT(words[r + DY], words[r + W], words[r - STEP_LAYER_WORDS + DY], 1, outDim, inDim, 0);
    k.sgdUpdate(words[r + W], words[r + DW], inDim * outDim, lr);
    k.sgdUpdate(words[r + B], words[r + DB], outDim, lr);
  }
}
