// Y = act(X·W + b), W stored [in][out]. One fused op forward; backward is the
// activation-derivative + bias-gradient pass, then dW = Xᵀ·dZ and dX = dZ·Wᵀ.

import type { FloatArray } from '../backend/kernels.js';
import { Act, Op, f32Bits } from '../backend/ops.js';
import { InputError } from '../errors.js';
import { checkCount, checkParameterCount } from '../limits.js';
import { readOptions } from '../options.js';
import type { ParamSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import { type ActivationOption, type ResolvedActivation, activationConfig, resolveActivation } from './activations.js';
import { type Initializer, checkInitializer, defaultInitializer, initializeWeights } from './init.js';
import { Layer, type LayerConfig, type LayerIO, type Mode } from './layer.js';

export interface DenseOptions {
  activation?: ActivationOption;
  /** Weight initializer; default heNormal for the ReLU family, glorotUniform otherwise. Biases start at 0. */
  init?: Initializer;
}

export class Dense extends Layer {
  readonly activation: ResolvedActivation;
  readonly init: Initializer;
  readonly units: number;
  readonly declaredInputSize: number;

  constructor(inputSize: number, units: number, options: DenseOptions = {}) {
    super();
    this.declaredInputSize = checkCount(inputSize, 'Dense inputSize');
    this.units = checkCount(units, 'Dense units');
    checkParameterCount(inputSize * units + units, 'Dense units', `${inputSize} × ${units} weights + ${units} biases`);
    const o = readOptions(options, 'Dense options', ['activation', 'init']);
    this.activation = resolveActivation(o.activation ?? 'linear', 'Dense activation');
    this.init = o.init === undefined ? defaultInitializer(this.activation.name) : checkInitializer(o.init, 'Dense init');
  }

  bind(inputSize: number, position: string): void {
    if (inputSize !== this.declaredInputSize) {
      throw new InputError(`${position} (Dense ${this.declaredInputSize}→${this.units}): expected an input of width ${this.declaredInputSize}, got ${inputSize} from the layer before`);
    }
    this.inputSize = inputSize;
    this.outputSize = this.units;
  }

  paramSpecs(): ParamSpec[] {
    return [
      { name: 'kernel', length: this.inputSize * this.units },
      { name: 'bias', length: this.units },
    ];
  }

  get weights() {
    return this.paramRefs[0];
  }

  get bias() {
    return this.paramRefs[1];
  }

  initialize(f: FloatArray, rng: Random): void {
    initializeWeights(f, this.weights.value.offset >> 2, this.inputSize, this.units, this.init, rng);
    const b = this.bias.value.offset >> 2;
    f.fill(0, b, b + this.units);
  }

  forward(p: ProgramBuilder, io: LayerIO, _mode: Mode): void {
    const act = io.absorbed ? Act.linear : this.activation.code;
    p.emit(Op.denseForward, io.x, this.weights.value.offset, this.bias.value.offset, io.y, this.inputSize, this.units, act, f32Bits(this.activation.alpha));
  }

  backward(p: ProgramBuilder, io: LayerIO): void {
    const act = io.absorbed ? Act.linear : this.activation.code;
    p.emit(Op.denseBackwardEpilogue, io.y, io.dy, this.bias.grad.offset, this.units, act, f32Bits(this.activation.alpha), 0);
    p.emit(Op.matmulTN, io.x, io.dy, this.weights.grad.offset, this.inputSize, this.units, 0);
    if (io.dx !== null) p.emit(Op.matmulNT, io.dy, this.weights.value.offset, io.dx, this.units, this.inputSize, 0);
  }

  narrowStepRecord(io: LayerIO): number[] | null {
    // Up to four units sit in one vector; softmax is row-wise, so only the loss may apply it.
    if (this.units > 4 || (this.activation.name === 'softmax' && !io.absorbed)) return null;
    return [
      io.x, this.weights.value.offset, this.bias.value.offset, io.y, io.dy, this.weights.grad.offset, this.bias.grad.offset,
      this.inputSize, this.units, this.activation.code, f32Bits(this.activation.alpha),
    ];
  }

  config(): LayerConfig {
    return { type: 'Dense', inputSize: this.inputSize, units: this.units, activation: activationConfig(this.activation), init: this.init };
  }
}
