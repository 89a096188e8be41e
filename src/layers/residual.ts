// A residual block (He et al. 2016): y = F(x) + x, or F(x) + x·P + b with a learned
// linear projection on the skip when F changes the width. The layers inside are
// built, initialized, saved and emit their ops as top-level ones do; the skip's
// gradient adds into the block's input gradient, which is why deep stacks of these
// keep their gradients from vanishing.

import type { FloatArray, Heap } from '../backend/kernels.js';
import { Act, Op } from '../backend/ops.js';
import { InputError, describe } from '../errors.js';
import { readOptions } from '../options.js';
import type { Arena, ParamRef, ParamSpec, StateRef, StateSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import { initializeWeights } from './init.js';
import { Layer, type LayerConfig, type LayerIO, type Mode, type Scratch } from './layer.js';
import { forwardLayers, layoutLayers } from './layout.js';

export interface ResidualOptions {
  /** A linear projection (kernel and bias) on the skip; needed when the block changes the width. Default false. */
  projection?: boolean;
}

export class Residual extends Layer {
  readonly activation = null;
  readonly inner: readonly Layer[];
  readonly projection: boolean;

  constructor(layers: readonly Layer[], options: ResidualOptions = {}) {
    super();
    if (!Array.isArray(layers) || layers.length === 0) throw new InputError(`Residual layers: expected a non-empty array of layers, got ${describe(layers)}`);
    for (let i = 0; i < layers.length; i++) {
      if (!(layers[i] instanceof Layer)) throw new InputError(`Residual layers[${i}]: expected a layer, got ${describe(layers[i])}`);
    }
    const o = readOptions(options, 'Residual options', ['projection']);
    const projection = o.projection ?? false;
    if (typeof projection !== 'boolean') throw new InputError(`Residual projection: expected true or false, got ${describe(projection)}`);
    this.inner = [...layers];
    this.projection = projection;
  }

  get declaredInputSize(): number | null {
    return this.inner[0].declaredInputSize;
  }

  children(): readonly Layer[] {
    return this.inner.flatMap((l) => [l, ...l.children()]);
  }

  sequence(): readonly Layer[] {
    return this.inner;
  }

  bind(inputSize: number, position: string): void {
    let width = inputSize;
    this.inner.forEach((layer, i) => {
      layer.bind(width, `${position}.layers[${i}]`);
      width = layer.outputSize;
    });
    if (width !== inputSize && !this.projection) {
      throw new InputError(`${position} (Residual): expected the block to keep the width of its input (${inputSize}), got an output of width ${width}; pass { projection: true } for a learned projection on the skip`);
    }
    this.inputSize = inputSize;
    this.outputSize = width;
  }

  paramSpecs(): ParamSpec[] {
    const inner = this.inner.flatMap((layer, j) => layer.paramSpecs().map((s) => ({ ...s, name: `${j}.${s.name}` })));
    if (!this.projection) return inner;
    return [...inner, { name: 'projection.kernel', length: this.inputSize * this.outputSize }, { name: 'projection.bias', length: this.outputSize }];
  }

  attachParams(refs: ParamRef[]): void {
    super.attachParams(refs);
    let at = 0;
    for (const layer of this.inner) {
      const n = layer.paramSpecs().length;
      layer.attachParams(refs.slice(at, at + n));
      at += n;
    }
  }

  private get projectionRefs(): [ParamRef, ParamRef] {
    const n = this.paramRefs.length;
    return [this.paramRefs[n - 2], this.paramRefs[n - 1]];
  }

  stateSpecs(): StateSpec[] {
    return this.inner.flatMap((layer, j) => layer.stateSpecs().map((s) => ({ ...s, name: `${j}.${s.name}` })));
  }

  attachState(refs: StateRef[]): void {
    super.attachState(refs);
    let at = 0;
    for (const layer of this.inner) {
      const n = layer.stateSpecs().length;
      layer.attachState(refs.slice(at, at + n));
      at += n;
    }
  }

  initialize(f: FloatArray, rng: Random): void {
    for (const layer of this.inner) layer.initialize(f, rng);
    if (!this.projection) return;
    const [kernel, bias] = this.projectionRefs;
    initializeWeights(f, kernel.value.offset >> 2, this.inputSize, this.outputSize, 'glorotUniform', rng);
    f.fill(0, bias.value.offset >> 2, (bias.value.offset >> 2) + this.outputSize);
  }

  initializeState(heap: Heap, rng: Random): void {
    for (const layer of this.inner) layer.initializeState(heap, rng);
  }

  /** The layers inside, reading the block's input; the projection's output when there is one. */
  claimScratch(arena: Arena, capacity: number, x: number, dx: number | null): Scratch {
    const inner = layoutLayers(arena, this.inner, capacity, x, dx, false);
    return { offsets: this.projection ? [arena.claim(capacity * this.outputSize).offset] : [], inner };
  }

  forward(p: ProgramBuilder, io: LayerIO, mode: Mode): void {
    const inner = io.scratch.inner;
    forwardLayers(p, this.inner, inner, mode);
    const fx = inner[inner.length - 1].y;
    if (!this.projection) return void p.emit(Op.add, fx, io.x, io.y, this.outputSize, 0);
    const [kernel, bias] = this.projectionRefs;
    const px = io.scratch.offsets[0];
    p.emit(Op.denseForward, io.x, kernel.value.offset, bias.value.offset, px, this.inputSize, this.outputSize, Act.linear, 0);
    p.emit(Op.add, fx, px, io.y, this.outputSize, 0);
  }

  backward(p: ProgramBuilder, io: LayerIO, mode: Mode): void {
    const inner = io.scratch.inner;
    // The block's output gradient reaches F whole (its layers may work on it in place)…
    p.emit(Op.copy, io.dy, inner[inner.length - 1].dy, this.outputSize);
    for (let j = this.inner.length - 1; j >= 0; j--) this.inner[j].backward(p, inner[j], mode);
    // …and the skip's part adds into the input gradient F's first layer wrote.
    if (!this.projection) {
      if (io.dx !== null) p.emit(Op.add, io.dy, 0, io.dx, this.inputSize, 1);
      return;
    }
    const [kernel, bias] = this.projectionRefs;
    p.emit(Op.denseBackwardEpilogue, io.scratch.offsets[0], io.dy, bias.grad.offset, this.outputSize, Act.linear, 0, 0);
    p.emit(Op.matmulTN, io.x, io.dy, kernel.grad.offset, this.inputSize, this.outputSize, 0);
    if (io.dx !== null) p.emit(Op.matmulNT, io.dy, kernel.value.offset, io.dx, this.outputSize, this.inputSize, 1);
  }

  update(p: ProgramBuilder, io: LayerIO): void {
    this.inner.forEach((layer, j) => layer.update(p, io.scratch.inner[j]));
  }

  config(): LayerConfig {
    return { type: 'Residual', layers: this.inner.map((l) => l.config()), projection: this.projection };
  }
}
