// Maxout (Goodfellow et al. 2013): each output unit is the largest of k linear
// pieces, y_j = max_m (x·W_jm + b_jm). It learns its own piecewise-linear
// activation. Pieces of unit j are the columns j·k … j·k+k−1 of one dense product.

import type { FloatArray } from '../backend/kernels.js';
import { Act, Op } from '../backend/ops.js';
import { InputError } from '../errors.js';
import { MAX_WIDTH, checkCount, checkParameterCount } from '../limits.js';
import { readOptions } from '../options.js';
import type { Arena, ParamSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import { type Initializer, checkInitializer, initializeWeights } from './init.js';
import { Layer, type LayerConfig, type LayerIO, type Mode, type Scratch } from './layer.js';

export interface MaxoutOptions {
  /** Linear pieces per unit (k); default 2. */
  pieces?: number;
  init?: Initializer;
}

export class Maxout extends Layer {
  readonly activation = null;
  readonly units: number;
  readonly pieces: number;
  readonly init: Initializer;
  readonly declaredInputSize: number;

  constructor(inputSize: number, units: number, options: MaxoutOptions = {}) {
    super();
    this.declaredInputSize = checkCount(inputSize, 'Maxout inputSize');
    this.units = checkCount(units, 'Maxout units');
    const o = readOptions(options, 'Maxout options', ['pieces', 'init']);
    this.pieces = checkCount(o.pieces ?? 2, 'Maxout pieces', MAX_WIDTH, 2);
    checkCount(units * this.pieces, 'Maxout units × pieces');
    const width = units * this.pieces;
    checkParameterCount(inputSize * width + width, 'Maxout units', `${inputSize} × ${units}·${this.pieces} weights + ${width} biases`);
    this.init = o.init === undefined ? 'glorotUniform' : checkInitializer(o.init, 'Maxout init');
  }

  bind(inputSize: number, position: string): void {
    if (inputSize !== this.declaredInputSize) {
      throw new InputError(`${position} (Maxout ${this.declaredInputSize}→${this.units}): expected an input of width ${this.declaredInputSize}, got ${inputSize} from the layer before`);
    }
    this.inputSize = inputSize;
    this.outputSize = this.units;
  }

  private get width(): number {
    return this.units * this.pieces;
  }

  paramSpecs(): ParamSpec[] {
    return [
      { name: 'kernel', length: this.inputSize * this.width },
      { name: 'bias', length: this.width },
    ];
  }

  initialize(f: FloatArray, rng: Random): void {
    const [w, b] = this.paramRefs;
    // Fan-out per piece is `units`: each piece set is an ordinary dense layer.
    initializeWeights(f, w.value.offset >> 2, this.inputSize, this.width, this.init, rng);
    f.fill(0, b.value.offset >> 2, (b.value.offset >> 2) + this.width);
  }

  /** The pieces z, their gradient dz, and which piece won (arg) for each unit. */
  claimScratch(arena: Arena, capacity: number): Scratch {
    return { offsets: [arena.claim(capacity * this.width).offset, arena.claim(capacity * this.width).offset, arena.claim(capacity * this.units).offset], inner: [] };
  }

  forward(p: ProgramBuilder, io: LayerIO, _mode: Mode): void {
    const [w, b] = this.paramRefs;
    const [z, , arg] = io.scratch.offsets;
    p.emit(Op.denseForward, io.x, w.value.offset, b.value.offset, z, this.inputSize, this.width, Act.linear, 0);
    p.emit(Op.maxoutForward, z, io.y, arg, this.units, this.pieces);
  }

  backward(p: ProgramBuilder, io: LayerIO): void {
    const [w, b] = this.paramRefs;
    const [z, dz, arg] = io.scratch.offsets;
    p.emit(Op.maxoutBackward, io.dy, arg, dz, this.units, this.pieces);
    p.emit(Op.denseBackwardEpilogue, z, dz, b.grad.offset, this.width, Act.linear, 0, 0);
    p.emit(Op.matmulTN, io.x, dz, w.grad.offset, this.inputSize, this.width, 0);
    if (io.dx !== null) p.emit(Op.matmulNT, dz, w.value.offset, io.dx, this.width, this.inputSize, 0);
  }

  config(): LayerConfig {
    return { type: 'Maxout', inputSize: this.inputSize, units: this.units, pieces: this.pieces, init: this.init };
  }
}
