// Losses inside a model: which output activation each needs, how targets are
// encoded, and the op that computes loss and gradient in one pass. Softmax and
// sigmoid with cross-entropy are absorbed into the loss op (stable log-sum-exp,
// gradient p − t), so the output layer emits its product without the activation.

import { LossKind, Op, Reduction } from './backend/ops.js';
import { isFlat, oneHot, column, toMatrix } from './data.js';
import { InputError, describe } from './errors.js';
import type { ResolvedActivation } from './layers/activations.js';
import type { ProgramBuilder } from './program.js';

export type LossName = 'mse' | 'crossEntropy' | 'binaryCrossEntropy';
export type ReductionName = keyof typeof Reduction;
export type LossOption = LossName | { name: LossName; reduction?: ReductionName };

const ALIASES: Record<string, LossName> = {
  mse: 'mse',
  meansquarederror: 'mse',
  crossentropy: 'crossEntropy',
  categoricalcrossentropy: 'crossEntropy',
  binarycrossentropy: 'binaryCrossEntropy',
};

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
    const spec = typeof option === 'object' && option !== null ? (option as { name?: unknown; reduction?: unknown }) : { name: option };
    const name = typeof spec.name === 'string' ? ALIASES[spec.name.toLowerCase().replace(/[_\s-]/g, '')] : undefined;
    if (!name) throw new InputError(`loss: expected one of mse, crossEntropy, binaryCrossEntropy, got ${describe(spec.name)}`);
    const reduction = spec.reduction ?? 'mean';
    if (reduction !== 'mean' && reduction !== 'sum') throw new InputError(`loss.reduction: expected 'mean' or 'sum', got ${describe(reduction)}`);
    this.name = name;
    this.reduction = reduction;
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
