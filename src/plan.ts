// The static memory plan. One arena per model, laid out once:
//   [scalars][params][grads][optimizer state] | [staging][activations][programs][data]
// Everything left of the bar is planned when the model is built and never
// moves; everything right of it depends on the batch capacity and is planned
// again (parameters kept) when a larger batch arrives.

import type { Heap } from './backend/kernels.js';
import { ResourceError } from './errors.js';
import { MAX_HEAP_BYTES, formatBytes } from './limits.js';

/**
 * Byte alignment of every slot: a cache line. The row kernel reads W in 128-byte strips
 * (two lines when aligned, three when not: 784×128 batch 1 took 7.7 µs at 16 bytes off a
 * line, 6.8 µs on one).
 */
const ALIGN = 64;
/**
 * Byte alignment of state tensors and of a model file's optimizer moments: one v128.
 * BatchNorm's kernels read the running variance one 16-byte-aligned row after the mean,
 * and files lay out moments as the heap did before slots took whole lines.
 */
export const VECTOR_ALIGN = 16;

/** A region of the heap: byte offset and length in elements. */
export interface Slot {
  readonly offset: number;
  readonly length: number;
}

/** A trainable tensor: its values and its gradient, laid out identically in two regions. */
export interface ParamRef {
  readonly name: string;
  readonly value: Slot;
  readonly grad: Slot;
}

export class Arena {
  private top: number;

  /** `heap` null: an arena that only measures (commit is then an error). */
  constructor(
    private readonly heap: Heap | null,
    start = ALIGN,
  ) {
    this.top = start;
  }

  /**
   * Claim `length` elements of `elementBytes`. Claims only reserve: nothing may be
   * written to a slot until commit() has made the heap hold it.
   */
  claim(length: number, elementBytes = 4, alignment = ALIGN): Slot {
    const offset = align(this.top, alignment);
    this.top = align(offset + length * elementBytes, VECTOR_ALIGN);
    return { offset, length };
  }

  get mark(): number {
    return this.top;
  }

  /** Forget every slot claimed after `mark` (their bytes are reused by the next claims). */
  release(mark: number): void {
    this.top = mark;
  }

  /**
   * Make the heap hold every slot claimed so far. When it cannot — past the limit, or
   * refused by the engine — the claims after `mark` are forgotten and a ResourceError
   * says that `argument` asked for `what`; what was committed before stays as it was.
   */
  commit(mark: number, argument: string, what: string): void {
    const bytes = this.top;
    if (bytes > MAX_HEAP_BYTES) {
      this.release(mark);
      throw new ResourceError(`${argument}: expected what fits one model's heap (${formatBytes(MAX_HEAP_BYTES)}, see the README's Limits), got ${what}, which needs ${formatBytes(bytes)}`);
    }
    try {
      if (!this.heap) throw new Error('a measuring arena has no heap');
      this.heap.ensure(bytes);
    } catch (e) {
      this.release(mark);
      throw new ResourceError(`${argument}: ${what} needs ${formatBytes(bytes)} of memory, which this engine refused (${(e as Error).message})`);
    }
  }
}

function align(bytes: number, to = ALIGN): number {
  return Math.ceil(bytes / to) * to;
}

export interface ParamSpec {
  readonly name: string;
  readonly length: number;
}

/** The values and gradients of every parameter, each region contiguous so one update call covers them all. */
export interface ParamLayout {
  readonly values: Slot;
  readonly grads: Slot;
  readonly refs: ParamRef[];
}

/** Where each parameter starts in a region of them aligned to `to` bytes, in floats, and the region's length. */
function regionStarts(specs: readonly ParamSpec[], to: number): { starts: number[]; length: number } {
  const starts: number[] = [];
  let bytes = 0;
  for (const spec of specs) {
    starts.push(bytes / 4);
    bytes = align(bytes + spec.length * 4, to);
  }
  return { starts, length: bytes / 4 };
}

/** A model file's layout of one optimizer moment: where each parameter starts in it, in floats, and its length. */
export const fileMomentLayout = (specs: readonly ParamSpec[]) => regionStarts(specs, VECTOR_ALIGN);

/** Lay out all parameters in one region and their gradients in a second region of the same shape. */
export function layoutParams(arena: Arena, specs: readonly ParamSpec[]): ParamLayout {
  const { starts, length } = regionStarts(specs, ALIGN);
  const values = arena.claim(length);
  const grads = arena.claim(length);
  const refs = specs.map((spec, i) => ({
    name: spec.name,
    value: { offset: values.offset + starts[i] * 4, length: spec.length },
    grad: { offset: grads.offset + starts[i] * 4, length: spec.length },
  }));
  return { values, grads, refs };
}

/**
 * State a layer keeps that no gradient moves. 'model' state belongs to what the model
 * computes and is saved with it (running statistics); 'training' state only matters to
 * training further (a dropout generator) and is saved with the optimizer state.
 */
export interface StateSpec {
  readonly name: string;
  readonly length: number;
  readonly kind: 'model' | 'training';
}

export interface StateRef {
  readonly name: string;
  readonly slot: Slot;
  readonly kind: 'model' | 'training';
}

/** Each state in its own aligned slot. */
export function layoutState(arena: Arena, specs: readonly StateSpec[]): StateRef[] {
  return specs.map((spec) => ({ name: spec.name, kind: spec.kind, slot: arena.claim(spec.length, 4, VECTOR_ALIGN) }));
}

/** Rows of prediction per call when there is no larger batch plan… */
const PREDICT_ROWS = 256;
/** …unless rows are so wide that this many bytes of the heap hold fewer. */
const PREDICT_BYTES = 64 * 2 ** 20;

/** The batch capacity to plan for predictions whose rows take `rowBytes` each. */
export function predictRows(rowBytes: number): number {
  return Math.max(1, Math.min(PREDICT_ROWS, Math.floor(PREDICT_BYTES / rowBytes)));
}

/**
 * Rows per inference call in a batch plan of `capacity` rows: a multiple of 4 where it
 * can be. The products compute blocks of four rows and the rows left over differently
 * (fused or not in the relaxed build), so with every call but the last a multiple of 4,
 * a row's result depends only on the input, not on how calls split it: the trainer's
 * predict and the inference entry give the same bits.
 */
export function chunkRows(capacity: number): number {
  return capacity >= 4 ? capacity & ~3 : capacity;
}

/** `count` values from `from[at…]` into `to[start…]`: a loop below a few dozen, where a view would cost more than the copy. */
export function copyOut(from: ArrayLike<number>, at: number, to: Float32Array | Float64Array, start: number, count: number): void {
  if (count > 64) to.set((from as Float32Array).subarray(at, at + count), start);
  else for (let i = 0; i < count; i++) to[start + i] = from[at + i];
}
