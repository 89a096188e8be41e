// A stand-alone activation layer: y = act(x), same width in and out.

import { Act, Op, f32Bits } from '../backend/ops.js';
import type { ProgramBuilder } from '../program.js';
import { type ActivationOption, type ResolvedActivation, activationConfig, resolveActivation } from './activations.js';
import { Layer, type LayerConfig, type LayerIO, type Mode } from './layer.js';

export class Activation extends Layer {
  readonly activation: ResolvedActivation;
  readonly declaredInputSize = null;

  constructor(activation: ActivationOption) {
    super();
    this.activation = resolveActivation(activation, 'Activation');
  }

  bind(inputSize: number): void {
    this.inputSize = inputSize;
    this.outputSize = inputSize;
  }

  forward(p: ProgramBuilder, io: LayerIO, _mode: Mode): void {
    const act = io.absorbed ? Act.linear : this.activation.code;
    p.emit(Op.activationForward, io.x, io.y, this.outputSize, act, f32Bits(this.activation.alpha));
  }

  backward(p: ProgramBuilder, io: LayerIO): void {
    if (io.dx === null) return;
    const act = io.absorbed ? Act.linear : this.activation.code;
    p.emit(Op.activationBackward, io.y, io.dy, io.dx, this.outputSize, act, f32Bits(this.activation.alpha));
  }

  config(): LayerConfig {
    return { type: 'Activation', activation: activationConfig(this.activation) };
  }
}
