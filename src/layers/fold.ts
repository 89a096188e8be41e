// Which dense layers have a batch normalization folded into them for inference
// (batchnorm-fold.ts has the arithmetic), and where the folded weights live: slots of
// their own beside the parameters, rewritten by the engine whenever the parameters or
// the statistics may have changed (Engine.run).

import type { FloatArray } from '../backend/kernels.js';
import { foldBatchNorm } from './batchnorm-fold.js';
import { Act, Op } from '../backend/ops.js';
import type { Arena, Slot } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import { BatchNorm } from './batchnorm.js';
import { Dense } from './dense.js';
import type { FoldedPair, Layer } from './layer.js';

export class DenseBatchNormFold implements FoldedPair {
  constructor(
    readonly dense: Dense,
    readonly norm: BatchNorm,
    readonly weights: Slot,
    readonly bias: Slot,
  ) {}

  emit(p: ProgramBuilder, x: number, y: number): void {
    p.emit(Op.denseForward, x, this.weights.offset, this.bias.offset, y, this.dense.inputSize, this.dense.units, Act.linear, 0);
  }

  /** W' and b' from the current values in `f`. */
  write(f: FloatArray): void {
    const { gamma, beta, mean, variance } = this.norm.slots;
    const offsets = [this.dense.weights.value.offset, this.dense.bias.value.offset, gamma, beta, mean, variance, this.weights.offset, this.bias.offset];
    foldBatchNorm(f, offsets.map((o) => o >> 2), this.norm.epsilon, this.dense.inputSize, this.dense.units);
  }
}

/** Claim the folded weights of every linear Dense followed by a BatchNorm, at any depth, and mark the pairs. */
export function claimFolds(arena: Arena, layers: readonly Layer[]): DenseBatchNormFold[] {
  const folds: DenseBatchNormFold[] = [];
  const walk = (list: readonly Layer[]) =>
    list.forEach((layer, i) => {
      const next = list[i + 1];
      if (layer instanceof Dense && layer.activation.code === Act.linear && next instanceof BatchNorm) {
        const fold = new DenseBatchNormFold(layer, next, arena.claim(layer.inputSize * layer.units), arena.claim(layer.units));
        layer.fold = fold;
        folds.push(fold);
      }
      walk(layer.sequence());
    });
  walk(layers);
  return folds;
}
