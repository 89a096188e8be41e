// The JS twin of the fused narrowStep kernel: the same step spelled as the unfused
// ops the engine would otherwise emit, so the fused kernel is held against the
// definition of a step, not against a second fused implementation.

import type { Kernels } from './kernels.js';
import { Act, LossKind, STEP_LAYER_WORDS } from './ops.js';

const bits = new Int32Array(1);
const bitsF = new Float32Array(bits.buffer);

/** Table words of a layer record (see Op.narrowStep). */
const X = 0, W = 1, B = 2, Y = 3, DY = 4, DW = 5, DB = 6, IN = 7, OUT = 8, ACT = 9, ALPHA = 10;

export function narrowStepByOps(
  k: Kernels, table: number, layers: number, lossKind: number, t: number, lossSum: number, correct: number, reduction: number, lr: number,
): void {
  const words = k.heap.i32;
  const at = (l: number) => (table >> 2) + l * STEP_LAYER_WORDS;
  const top = at(layers - 1);
  // The cross-entropies apply the top layer's activation themselves.
  const act = (r: number) => (r === top && lossKind !== LossKind.mse ? Act.linear : words[r + ACT]);
  const alpha = (r: number) => {
    bits[0] = words[r + ALPHA];
    return bitsF[0];
  };
  for (let l = 0; l < layers; l++) {
    const r = at(l);
    k.denseForward(words[r + X], words[r + W], words[r + B], words[r + Y], 1, words[r + IN], words[r + OUT], act(r), alpha(r));
  }
  const y = words[top + Y], dy = words[top + DY], cols = words[top + OUT];
  if (lossKind === LossKind.mse) k.meanSquaredError(y, t, dy, 1, cols, lossSum, reduction);
  else if (lossKind === LossKind.sigmoidCrossEntropy) k.sigmoidCrossEntropy(y, t, y, dy, 1, cols, lossSum, reduction);
  else k.softmaxCrossEntropy(y, t, y, dy, 1, cols, lossSum, reduction);
  if (correct !== 0) k.countCorrect(y, t, 1, cols, correct);
  // The input gradient is taken before the update, from the weights the forward pass used.
  for (let l = layers - 1; l >= 0; l--) {
    const r = at(l), inDim = words[r + IN], outDim = words[r + OUT];
    k.denseBackwardEpilogue(words[r + Y], words[r + DY], words[r + DB], 1, outDim, act(r), alpha(r), 0);
    k.matmulTN(words[r + X], words[r + DY], words[r + DW], 1, inDim, outDim, 0);
    if (l > 0) k.matmulNT(words[r + DY], words[r + W], words[at(l - 1) + DY], 1, outDim, inDim, 0);
    k.sgdUpdate(words[r + W], words[r + DW], inDim * outDim, lr);
    k.sgdUpdate(words[r + B], words[r + DB], outDim, lr);
  }
}
