// Parameter update and buffer fill.
import { loadN, storeN } from "./vec";

/** w −= lr·g over n floats; lr is an f32 read from the heap at byte offset `lr`. */
export function sgdUpdate(w: usize, g: usize, n: i32, lr: usize): void {
  const k = f32x4.splat(load<f32>(lr));
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(k, v128.load(g + o))));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2, rem = n - n4;
    storeN(w + o, f32x4.sub(loadN(w + o, rem), f32x4.mul(k, loadN(g + o, rem))), rem);
  }
}

/** ptr[0..n) = value. */
export function fill(ptr: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) v128.store(ptr + (<usize>i << 2), v);
  if (n4 < n) storeN(ptr + (<usize>n4 << 2), v, n - n4);
}
