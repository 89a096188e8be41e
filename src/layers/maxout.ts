// Maxout (Goodfellow et al. 2013): each output unit is the largest of k linear
// pieces, y_j = max_m (x·W_jm + b_jm). It learns its own piecewise-linear
// activation. Pieces of unit j are the columns j·k … j·k+k−1 of one dense product.

import type { FloatArray } from '../backend/kernels.js';
import { Act, Op } from '../backend/ops.js';
import { InputError, describe } from '../errors.js';
import type { Arena, ParamSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import { checkUnits } from './dense.js';
import { type Initializer, checkInitializer, initializeWeights } from './init.js';
import { Layer, type LayerConfig, type LayerIO } from './layer.js';

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
  private z = 0;
  private dz = 0;
  private arg = 0;

  constructor(inputSize: number, units: number, options: MaxoutOptions = {}) {
    super();
    this.declaredInputSize = checkUnits(inputSize, 'Maxout inputSize');
    this.units = checkUnits(units, 'Maxout units');
    const k = options.pieces ?? 2;
    if (!Number.isInteger(k) || k < 2) throw new InputError(`Maxout pieces: expected an integer ≥ 2, got ${describe(k)}`);
    this.pieces = k;
    this.init = options.init === undefined ? 'glorotUniform' : checkInitializer(options.init, 'Maxout init');
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

  claimScratch(arena: Arena, capacity: number): void {
    this.z = arena.claim(capacity * this.width).offset;
    this.dz = arena.claim(capacity * this.width).offset;
    this.arg = arena.claim(capacity * this.units).offset;
  }

  forward(p: ProgramBuilder, io: LayerIO): void {
    const [w, b] = this.paramRefs;
    p.emit(Op.denseForward, io.x, w.value.offset, b.value.offset, this.z, this.inputSize, this.width, Act.linear, 0);
    p.emit(Op.maxoutForward, this.z, io.y, this.arg, this.units, this.pieces);
  }

  backward(p: ProgramBuilder, io: LayerIO): void {
    const [w, b] = this.paramRefs;
    p.emit(Op.maxoutBackward, io.dy, this.arg, this.dz, this.units, this.pieces);
    p.emit(Op.denseBackwardEpilogue, this.z, this.dz, b.grad.offset, this.width, Act.linear, 0, 0);
    p.emit(Op.matmulTN, io.x, this.dz, w.grad.offset, this.inputSize, this.width, 0);
    if (io.dx !== null) p.emit(Op.matmulNT, this.dz, w.value.offset, io.dx, this.width, this.inputSize, 0);
  }

  config(): LayerConfig {
    return { type: 'Maxout', inputSize: this.inputSize, units: this.units, pieces: this.pieces, init: this.init };
  }
}
