// Inverted dropout (Srivastava et al. 2014): in training each unit is kept with
// probability 1 − rate and scaled by 1/(1 − rate), so inference is the identity. The
// masks are drawn inside the kernel from the layer's own seeded generators (state of
// the model, saved with the training state), so one seed gives one run on either backend.

import type { Heap } from '../backend/kernels.js';
import { Op, f32Bits } from '../backend/ops.js';
import { InputError, describe } from '../errors.js';
import type { Arena, StateSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import { Layer, type LayerConfig, type LayerIO, type Mode, type Scratch } from './layer.js';

/** Words of generator state: four sfc32 streams of four words (assembly/dropout.ts). */
const STATE_WORDS = 16;

export class Dropout extends Layer {
  readonly activation = null;
  readonly declaredInputSize = null;
  readonly rate: number;

  constructor(rate: number) {
    super();
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new InputError(`Dropout rate: expected a number in [0, 1), got ${describe(rate)}`);
    this.rate = rate;
  }

  bind(inputSize: number): void {
    this.inputSize = inputSize;
    this.outputSize = inputSize;
  }

  stateSpecs(): StateSpec[] {
    return [{ name: 'generator', length: STATE_WORDS, kind: 'training' }];
  }

  initializeState(heap: Heap, rng: Random): void {
    const at = this.stateRefs[0].slot.offset >> 2;
    for (let i = 0; i < STATE_WORDS; i++) heap.i32[at + i] = rng.uint32() | 0;
  }

  claimScratch(arena: Arena, capacity: number): Scratch {
    return { offsets: [arena.claim(capacity * this.outputSize).offset], inner: [] };
  }

  /** Units with a draw below it are dropped: ⌊rate·2³²⌋ as an int32 bit pattern. */
  private get threshold(): number {
    return Math.min(2 ** 32 - 1, Math.floor(this.rate * 2 ** 32)) | 0;
  }

  private drops(mode: Mode): boolean {
    return mode === 'train' && this.rate > 0;
  }

  get passesThrough(): boolean {
    return true;
  }

  forward(p: ProgramBuilder, io: LayerIO, mode: Mode): void {
    if (!this.drops(mode)) return void p.emit(Op.copy, io.x, io.y, this.outputSize);
    const [mask] = io.scratch.offsets;
    p.emit(Op.dropoutForward, io.x, io.y, mask, this.outputSize, this.stateRefs[0].slot.offset, this.threshold, f32Bits(1 / (1 - this.rate)));
  }

  backward(p: ProgramBuilder, io: LayerIO, mode: Mode): void {
    if (io.dx === null) return;
    if (!this.drops(mode)) return void p.emit(Op.copy, io.dy, io.dx, this.outputSize);
    p.emit(Op.multiply, io.dy, io.scratch.offsets[0], io.dx, this.outputSize);
  }

  config(): LayerConfig {
    return { type: 'Dropout', rate: this.rate };
  }
}
