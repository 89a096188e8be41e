// Losses inside a model: which output activation each needs, how targets are
// encoded, and the op that computes loss and gradient in one pass. Softmax and
// sigmoid with cross-entropy are absorbed into the loss op (stable log-sum-exp,
// gradient p − t), so the output layer emits its product without the activation.

import { LossKind, Op, Reduction } from './backend/ops.js';
import { isFlat, oneHot, column, toMatrix } from './data.js';
import { InputError } from './errors.js';
import { readOptions } from './options.js';
import { Registry } from './registry.js';
import type { ResolvedActivation } from './layers/activations.js';
import type { ProgramBuilder } from './program.js';

export type LossName = 'mse' | 'crossEntropy' | 'binaryCrossEntropy';
export type ReductionName = keyof typeof Reduction;
export type LossOption = LossName | { name: LossName; reduction?: ReductionName };

const LOSSES = new Registry<LossName>(
  'loss',
  [
    ['mse', 'mse'],
    ['crossEntropy', 'crossEntropy'],
    ['binaryCrossEntropy', 'binaryCrossEntropy'],
  ],
  [
    ['meanSquaredError', 'mse'],
    ['categoricalCrossEntropy', 'crossEntropy'],
  ],
  // Keras and PyTorch spellings alike: case, underscores, spaces and dashes do not matter.
  (name) => name.toLowerCase().replace(/[_\s-]/g, ''),
);

const REDUCTIONS = new Registry<ReductionName>('reduction', [
  ['mean', 'mean'],
  ['sum', 'sum'],
]);

/** How far a row of class probabilities may sum from 1 (float32 rounding of soft labels). */
const SUM_TOLERANCE = 1e-4;

export interface LossSlots {
  readonly y: number;
  readonly t: number;
  readonly dy: number;
  readonly cols: number;
  readonly lossSum: number;
}

export class Loss {
  readonly name: LossName;
  readonly reduction: ReductionName;

  constructor(option: unknown) {
    const spec = typeof option === 'object' && option !== null ? readOptions(option, 'loss', ['name', 'reduction']) : { name: option, reduction: undefined };
    this.name = LOSSES.get(spec.name, 'loss');
    this.reduction = REDUCTIONS.get(spec.reduction ?? 'mean', 'loss.reduction');
  }

  /** The loss as a fused narrowStep applies it. */
  get kind(): number {
    return this.name === 'crossEntropy' ? LossKind.softmaxCrossEntropy : this.name === 'binaryCrossEntropy' ? LossKind.sigmoidCrossEntropy : LossKind.mse;
  }

  get isClassification(): boolean {
    return this.name !== 'mse';
  }

  /** Check the output layer suits this loss; true when the loss op takes over its activation. */
  absorbs(activation: ResolvedActivation | null, outputs: number): boolean {
    const act = activation?.name ?? 'none (maxout)';
    if (this.name === 'crossEntropy') {
      if (act !== 'softmax' || outputs < 2) {
        const hint = act === 'sigmoid' ? "; for one sigmoid output use loss 'binaryCrossEntropy'" : '';
        throw new InputError(`loss 'crossEntropy': expected the last layer to be softmax over ≥ 2 outputs, got ${act} over ${outputs}${hint}`);
      }
      return true;
    }
    if (this.name === 'binaryCrossEntropy') {
      if (act !== 'sigmoid') throw new InputError(`loss 'binaryCrossEntropy': expected the last layer's activation to be sigmoid, got ${act}`);
      return true;
    }
    return false;
  }

  /** Targets as a rows×outputs matrix: class indices become one-hot rows for cross-entropy. */
  encodeTargets(y: unknown, rows: number, outputs: number, argument: string): Float32Array {
    let data: Float32Array;
    if (this.name === 'crossEntropy' && isFlat(y)) {
      data = oneHot(y, outputs, argument);
    } else if (isFlat(y)) {
      if (outputs !== 1) throw new InputError(`${argument}: expected ${outputs} targets per row (a ${rows}×${outputs} matrix), got a flat list`);
      data = column(y, argument).data;
    } else {
      data = toMatrix(y, argument, outputs).data;
    }
    const got = data.length / outputs;
    if (got !== rows) throw new InputError(`${argument}: expected ${rows} rows (one per row of x), got ${got}`);
    if (this.isClassification) {
      const bad = data.findIndex((v) => v < 0 || v > 1);
      if (bad >= 0) {
        throw new InputError(`${argument}: expected probabilities in [0, 1] for ${this.name}, got ${data[bad]} at row ${Math.floor(bad / outputs)}, column ${bad % outputs}`);
      }
    }
    if (this.name === 'crossEntropy') {
      // Softmax outputs sum to one: so must the targets, one-hot or soft.
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let c = 0; c < outputs; c++) sum += data[r * outputs + c];
        if (Math.abs(sum - 1) > SUM_TOLERANCE) throw new InputError(`${argument}: expected each row of class probabilities to sum to 1 for crossEntropy, got ${Number(sum.toPrecision(6))} at row ${r}`);
      }
    }
    return data;
  }

  emit(p: ProgramBuilder, s: LossSlots): void {
    const r = Reduction[this.reduction];
    if (this.name === 'crossEntropy') p.emit(Op.softmaxCrossEntropy, s.y, s.t, s.y, s.dy, s.cols, s.lossSum, r);
    else if (this.name === 'binaryCrossEntropy') p.emit(Op.sigmoidCrossEntropy, s.y, s.t, s.y, s.dy, s.cols, s.lossSum, r);
    else p.emit(Op.meanSquaredError, s.y, s.t, s.dy, s.cols, s.lossSum, r);
  }

  /** The reported loss from the summed per-element losses of `rows` rows. */
  reduce(sum: number, rows: number, cols: number): number {
    if (this.reduction === 'sum') return sum;
    return this.name === 'crossEntropy' ? sum / rows : sum / (rows * cols);
  }

  config(): LossOption {
    return this.reduction === 'mean' ? this.name : { name: this.name, reduction: this.reduction };
  }
}
