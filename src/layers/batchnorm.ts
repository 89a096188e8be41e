// Batch normalization (Ioffe & Szegedy 2015) of dense features: in training each
// column is normalized by the batch mean and biased variance, then scaled by γ and
// shifted by β (learned); running statistics follow with Keras's convention,
// running = momentum·running + (1 − momentum)·batch, momentum 0.9 and ε 1e-3
// (PyTorch's equivalent: momentum 0.1, eps 1e-3; PyTorch keeps the unbiased variance
// instead). Inference uses the running statistics. A training batch of one row cannot
// estimate a variance: it is normalized by the running statistics, which it leaves as
// they are (assembly/batchnorm.ts).

import type { FloatArray, Heap } from '../backend/kernels.js';
import { Op, f32Bits } from '../backend/ops.js';
import { InputError, describe } from '../errors.js';
import { readOptions } from '../options.js';
import type { Arena, ParamSpec, StateRef, StateSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import { Layer, type LayerConfig, type LayerIO, type Mode, type Scratch } from './layer.js';

export interface BatchNormOptions {
  /** Weight of the running statistics in each update; default 0.9 (Keras). */
  momentum?: number;
  /** Added to the variance before the root; default 1e-3 (Keras). */
  epsilon?: number;
}

/** Floats between the column vectors of the kernels' stats blocks: the width rounded up to a vector. */
const stride = (cols: number) => (cols + 3) & ~3;

export class BatchNorm extends Layer {
  readonly activation = null;
  readonly declaredInputSize = null;
  readonly momentum: number;
  readonly epsilon: number;

  constructor(options: BatchNormOptions = {}) {
    super();
    const o = readOptions(options, 'BatchNorm options', ['momentum', 'epsilon']);
    const momentum = o.momentum ?? 0.9, epsilon = o.epsilon ?? 1e-3;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) throw new InputError(`BatchNorm momentum: expected a number in [0, 1), got ${describe(momentum)}`);
    if (typeof epsilon !== 'number' || !(Math.fround(epsilon) > 0) || !Number.isFinite(epsilon)) {
      throw new InputError(`BatchNorm epsilon: expected a number > 0 within float32's range, got ${describe(epsilon)}`);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  bind(inputSize: number): void {
    this.inputSize = inputSize;
    this.outputSize = inputSize;
  }

  paramSpecs(): ParamSpec[] {
    return [
      { name: 'gamma', length: this.outputSize },
      { name: 'beta', length: this.outputSize },
    ];
  }

  stateSpecs(): StateSpec[] {
    return [
      { name: 'movingMean', length: this.outputSize, kind: 'model' },
      { name: 'movingVariance', length: this.outputSize, kind: 'model' },
    ];
  }

  attachState(refs: StateRef[]): void {
    // The kernels read the variance one stats stride after the mean.
    if (refs[1].slot.offset !== refs[0].slot.offset + 4 * stride(this.outputSize)) throw new Error('BatchNorm: running statistics are not laid out back to back');
    super.attachState(refs);
  }

  /** Byte offsets of γ, β and the running mean and variance. */
  get slots(): { gamma: number; beta: number; mean: number; variance: number } {
    const [gamma, beta] = this.paramRefs;
    const [mean, variance] = this.stateRefs;
    return { gamma: gamma.value.offset, beta: beta.value.offset, mean: mean.slot.offset, variance: variance.slot.offset };
  }

  initialize(f: FloatArray): void {
    const [gamma, beta] = this.paramRefs;
    f.fill(1, gamma.value.offset >> 2, (gamma.value.offset >> 2) + this.outputSize);
    f.fill(0, beta.value.offset >> 2, (beta.value.offset >> 2) + this.outputSize);
  }

  initializeState(heap: Heap, _rng: Random): void {
    const variance = this.stateRefs[1].slot.offset >> 2;
    heap.f32.fill(1, variance, variance + this.outputSize);
  }

  /** x̂ for the backward pass, and the batch's mean, variance and 1/√(σ²+ε). */
  claimScratch(arena: Arena, capacity: number): Scratch {
    return { offsets: [arena.claim(capacity * this.outputSize).offset, arena.claim(3 * stride(this.outputSize)).offset], inner: [] };
  }

  forward(p: ProgramBuilder, io: LayerIO, mode: Mode): void {
    const [gamma, beta] = this.paramRefs;
    const [xhat, stats] = io.scratch.offsets;
    const running = this.stateRefs[0].slot.offset;
    p.emit(Op.batchNormForward, io.x, io.y, xhat, gamma.value.offset, beta.value.offset, stats, running, this.outputSize, f32Bits(this.epsilon), mode === 'infer' ? 0 : 1);
  }

  backward(p: ProgramBuilder, io: LayerIO): void {
    const [gamma, beta] = this.paramRefs;
    const [xhat, stats] = io.scratch.offsets;
    p.emit(Op.batchNormBackward, io.dy, xhat, gamma.value.offset, stats, gamma.grad.offset, beta.grad.offset, io.dx ?? 0, this.outputSize);
  }

  update(p: ProgramBuilder, io: LayerIO): void {
    p.emit(Op.batchNormUpdate, io.scratch.offsets[1], this.stateRefs[0].slot.offset, this.outputSize, f32Bits(this.momentum));
  }

  config(): LayerConfig {
    return { type: 'BatchNorm', momentum: this.momentum, epsilon: this.epsilon };
  }
}
