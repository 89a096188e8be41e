// From a batch layout to the four programs a model runs: infer (forward in inference
// mode), evaluate (forward, loss, correct-count), train (forward in training mode,
// loss, backward, the divergence guard, state updates, the parameter update) and
// gradients (forward with batch statistics and no dropout, loss, backward: nothing changes).

import { Op, Reduction } from './backend/ops.js';
import type { Layer, LayerIO, Mode } from './layers/layer.js';
import { forwardLayers } from './layers/layout.js';
import type { Loss } from './losses.js';
import type { Optimizer } from './optimizers.js';
import type { Slot } from './plan.js';
import { ProgramBuilder } from './program.js';

/** Where a model's programs read and write, besides each layer's IO. */
export interface ProgramContext {
  readonly layers: readonly Layer[];
  readonly ios: readonly LayerIO[];
  readonly loss: Loss;
  /** Targets of the staged batch. */
  readonly t: number;
  readonly outputSize: number;
  /** f64 accumulators. */
  readonly lossSum: number;
  readonly correct: number;
  readonly tracksAccuracy: boolean;
  readonly values: Slot;
  readonly grads: Slot;
  /** Moment regions of the optimizer (0: unused). */
  readonly m: number;
  readonly v: number;
  /** The optimizer's hyperparameter block. */
  readonly hyper: number;
  readonly optimizer: Optimizer;
}

function forward(p: ProgramBuilder, c: ProgramContext, mode: Mode, absorbed: boolean): void {
  forwardLayers(p, c.layers, absorbed ? c.ios : c.ios.map((io) => ({ ...io, absorbed: false })), mode);
}

function lossOps(p: ProgramBuilder, c: ProgramContext, countCorrect: boolean): void {
  const last = c.ios[c.ios.length - 1];
  c.loss.emit(p, { y: last.y, t: c.t, dy: last.dy, cols: c.outputSize, lossSum: c.lossSum });
  if (countCorrect && c.tracksAccuracy) p.emit(Op.countCorrect, last.y, c.t, c.outputSize, c.correct);
}

function backward(p: ProgramBuilder, c: ProgramContext, mode: Mode): void {
  for (let i = c.layers.length - 1; i >= 0; i--) c.layers[i].backward(p, c.ios[i], mode);
}

export function inferProgram(c: ProgramContext): ProgramBuilder {
  const p = new ProgramBuilder();
  forward(p, c, 'infer', false);
  return p;
}

export function evaluateProgram(c: ProgramContext): ProgramBuilder {
  const p = new ProgramBuilder();
  forward(p, c, 'infer', true);
  lossOps(p, c, true);
  return p;
}

export function trainProgram(c: ProgramContext): ProgramBuilder {
  const p = new ProgramBuilder();
  forward(p, c, 'train', true);
  lossOps(p, c, true);
  backward(p, c, 'train');
  // Nothing below runs for a step whose loss or gradients are not finite.
  p.emit(Op.guard, c.grads.offset, c.grads.length, c.lossSum, c.hyper);
  c.layers.forEach((layer, i) => layer.update(p, c.ios[i]));
  c.optimizer.emitUpdate(p, c.values, c.grads, c.m, c.v, c.hyper);
  return p;
}

export function gradientsProgram(c: ProgramContext): ProgramBuilder {
  const p = new ProgramBuilder();
  forward(p, c, 'gradients', true);
  lossOps(p, c, false);
  backward(p, c, 'gradients');
  return p;
}

/** The train program as one fused per-sample step over `layers` narrow records at `table`. */
export function narrowTrainProgram(c: ProgramContext, table: number, layers: number): ProgramBuilder {
  const p = new ProgramBuilder();
  const correct = c.tracksAccuracy ? c.correct : 0;
  p.emit(Op.narrowStep, table, layers, c.loss.kind, c.t, c.lossSum, correct, Reduction[c.loss.reduction], c.hyper);
  return p;
}
