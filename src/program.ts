// A program under construction: fixed-size op records, written into the heap
// once the plan is laid out. Both backends run the same words.

import { Arena, type Slot } from './plan.js';
import type { Heap } from './backend/kernels.js';
import { OP_WORDS, type OpCode } from './backend/ops.js';

export class ProgramBuilder {
  private readonly words: number[] = [];

  emit(op: OpCode, ...args: number[]): void {
    if (args.length >= OP_WORDS) throw new Error(`op ${op}: ${args.length} arguments do not fit a record`);
    this.words.push(op, ...args);
    for (let i = args.length + 1; i < OP_WORDS; i++) this.words.push(0);
  }

  get length(): number {
    return this.words.length / OP_WORDS;
  }

  /** Claim a slot of the arena for the records; the returned function writes them there once the arena is committed. */
  claim(arena: Arena): (heap: Heap) => Program {
    const slot: Slot = arena.claim(Math.max(this.words.length, 1));
    return (heap) => {
      heap.i32.set(this.words, slot.offset >> 2);
      return { offset: slot.offset, ops: this.length };
    };
  }
}

export interface Program {
  readonly offset: number;
  readonly ops: number;
}
