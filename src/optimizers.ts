// Update rules. An optimizer appends its update ops to the training program,
// over the parameter region and the gradient region as wholes; hyperparameters
// live in heap scalars so they can change between steps without a new program.

import { Op } from './backend/ops.js';
import { InputError, describe } from './errors.js';
import { readOptions } from './options.js';
import { Registry } from './registry.js';
import type { Slot } from './plan.js';
import type { ProgramBuilder } from './program.js';

export interface SGDOptions {
  /** Learning rate α in w ← w − α·∂L/∂w. */
  lr?: number;
}

export type OptimizerOption = ({ type: 'sgd' } & SGDOptions) | SGD;

/** A parameter outside a model: its values and the gradient to apply. */
export interface Parameter {
  value: Float32Array;
  grad: Float32Array;
}

/** Plain (stochastic) gradient descent: w ← w − lr·g. */
export class SGD {
  readonly type = 'sgd';
  private rate: number;

  constructor(options: SGDOptions = {}) {
    const o = readOptions(options, 'optimizer', ['type', 'lr']);
    if (o.type !== undefined && o.type !== 'sgd') throw new InputError(`optimizer.type: expected "sgd" for SGD, got ${describe(o.type)}`);
    this.rate = SGD.checkRate(o.lr ?? 0.01);
  }

  /** The kernels hold the rate as a float32: it must stay finite and > 0 there. */
  private static checkRate(lr: unknown): number {
    if (typeof lr !== 'number' || !(Math.fround(lr) > 0) || !Number.isFinite(Math.fround(lr))) {
      throw new InputError(`optimizer.lr: expected a finite number > 0 within float32's range, got ${describe(lr)}`);
    }
    return lr;
  }

  /** The learning rate; may be changed between steps (e.g. from a callback). */
  get lr(): number {
    return this.rate;
  }

  set lr(value: number) {
    this.rate = SGD.checkRate(value);
  }

  /** Append the update of every parameter; `lr` is the heap scalar the model keeps current. */
  emitUpdate(p: ProgramBuilder, values: Slot, grads: Slot, lr: number): void {
    p.emit(Op.sgdUpdate, values.offset, grads.offset, values.length, lr);
  }

  /** One step on parameters held outside a model, with the same float32 rule. */
  step(params: readonly Parameter[]): void {
    const lr = Math.fround(this.rate);
    for (const { value, grad } of params) {
      if (grad.length !== value.length) throw new InputError(`grad: expected ${value.length} values like value, got ${grad.length}`);
      for (let i = 0; i < value.length; i++) value[i] -= lr * grad[i];
    }
  }

  config(): { type: 'sgd'; lr: number } {
    return { type: 'sgd', lr: this.rate };
  }
}

/** Each rule by the `type` an option object or a saved model names it with. */
const OPTIMIZERS = new Registry<(options: object) => SGD>('optimizer', [['sgd', (o) => new SGD(o as SGDOptions)]]);

export function createOptimizer(option: unknown): SGD {
  if (option === undefined) return new SGD();
  if (option instanceof SGD) return option;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new InputError(`optimizer: expected { type: ${OPTIMIZERS.names.map((n) => `'${n}'`).join(' | ')}, lr } or an SGD instance, got ${describe(option)}`);
  }
  const type = Object.hasOwn(option, 'type') ? (option as { type: unknown }).type : undefined;
  return OPTIMIZERS.get(type, 'optimizer.type')(option);
}
