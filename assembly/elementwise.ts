// Element-wise passes over n floats: products (dropout's mask, a gradient through it),
// sums (a residual skip and its gradient), and plain copies.
import { loadN, storeN } from "./vec";

/** y = a ⊙ b. */
export function multiply(a: usize, b: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2, rem = n - n4;
    storeN(y + o, f32x4.mul(loadN(a + o, rem), loadN(b + o, rem)), rem);
  }
}

/** y = a + b; or, with accumulate, y += a (b unused). */
export function add(a: usize, b: usize, y: usize, n: i32, accumulate: i32): void {
  const other = accumulate != 0 ? y : b;
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(a + o), v128.load(other + o)));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2, rem = n - n4;
    storeN(y + o, f32x4.add(loadN(a + o, rem), loadN(other + o, rem)), rem);
  }
}

/** dst = src over n floats (non-overlapping). */
export function copy(src: usize, dst: usize, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2, rem = n - n4;
    storeN(dst + o, loadN(src + o, rem), rem);
  }
}
