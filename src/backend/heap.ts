// The kinds of heap: a WebAssembly.Memory (grown in 64 KiB pages, which
// detaches the old buffer) and a plain ArrayBuffer for the pure-JS backend
// (grown by copying). Both re-create their views after growing. The JS heap has
// a float64 mode for gradient checks: there every 4-byte slot holds a double and
// the int and accumulator views are separate arrays rather than aliases.

import { MAX_HEAP_BYTES } from '../limits.js';
import type { FloatArray, Heap } from './kernels.js';

const PAGE = 65536;

abstract class ViewHeap implements Heap {
  f32!: FloatArray;
  i32!: Int32Array;
  f64!: Float64Array;
  u8!: Uint8Array;

  protected refresh(buffer: ArrayBuffer): void {
    this.f32 = new Float32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.u8 = new Uint8Array(buffer);
  }

  get byteLength(): number {
    return this.u8.byteLength;
  }

  abstract ensure(bytes: number): void;
}

export class MemoryHeap extends ViewHeap {
  constructor(readonly memory: WebAssembly.Memory) {
    super();
    this.refresh(memory.buffer);
  }

  ensure(bytes: number): void {
    if (bytes <= this.memory.buffer.byteLength) return;
    const pages = Math.ceil((bytes - this.memory.buffer.byteLength) / PAGE);
    this.memory.grow(pages);
    this.refresh(this.memory.buffer);
  }
}

export type Precision = 'float32' | 'float64';

export class ArrayHeap extends ViewHeap {
  constructor(
    readonly precision: Precision = 'float32',
    bytes = PAGE,
  ) {
    super();
    this.allocate(bytes);
  }

  /** New views of `bytes`; the old ones stay in place until every new one exists, so a failed allocation changes nothing. */
  private allocate(bytes: number): void {
    if (this.precision === 'float32') {
      this.refresh(new ArrayBuffer(bytes));
      return;
    }
    const f32 = new Float64Array(bytes / 4), i32 = new Int32Array(bytes / 4), f64 = new Float64Array(bytes / 8), u8 = new Uint8Array(bytes);
    this.f32 = f32;
    this.i32 = i32;
    this.f64 = f64;
    this.u8 = u8;
  }

  ensure(bytes: number): void {
    if (bytes <= this.u8.byteLength) return;
    // Grow geometrically, in whole pages like the WASM heap, so repeated small growth stays cheap.
    const size = Math.max(Math.ceil(bytes / PAGE), Math.min(Math.ceil((this.u8.byteLength * 1.5) / PAGE), MAX_HEAP_BYTES / PAGE)) * PAGE;
    const { f32, i32, f64, u8 } = this;
    this.allocate(size);
    if (this.precision === 'float32') {
      this.u8.set(u8);
      return;
    }
    this.f32.set(f32);
    this.i32.set(i32);
    this.f64.set(f64);
  }
}
