// Inverted dropout with masks drawn inside the kernel: four sfc32 generators, one per
// lane, advanced together for every four elements (the JS twin runs the same four
// streams), so both backends drop the same units and one seed gives one run.
import { loadN, storeN } from "./vec";

/**
 * mask = u ≥ threshold ? scale : 0 for a fresh u32 u per element, y = x ⊙ mask, over n
 * floats. `state` holds the generators as four vectors: a, b, c, d of the four lanes.
 * Keep probability 1 − threshold/2³²; scale = 1/(1 − rate).
 */
export function dropoutForward(x: usize, y: usize, mask: usize, n: i32, state: usize, threshold: u32, scale: f32): void {
  let a = v128.load(state), b = v128.load(state, 16), c = v128.load(state, 32), d = v128.load(state, 48);
  const one = i32x4.splat(1), th = i32x4.splat(threshold);
  const kept = f32x4.splat(scale), dropped = f32x4.splat(0.0);
  for (let i = 0; i < n; i += 4) {
    const t = i32x4.add(i32x4.add(a, b), d);
    d = i32x4.add(d, one);
    a = v128.xor(b, i32x4.shr_u(b, 9));
    b = i32x4.add(c, i32x4.shl(c, 3));
    c = i32x4.add(v128.or(i32x4.shl(c, 21), i32x4.shr_u(c, 11)), t);
    const m = v128.bitselect(kept, dropped, i32x4.ge_u(t, th));
    const o = <usize>i << 2, rem = n - i;
    if (rem >= 4) {
      v128.store(mask + o, m);
      v128.store(y + o, f32x4.mul(v128.load(x + o), m));
    } else {
      storeN(mask + o, m, rem);
      storeN(y + o, f32x4.mul(loadN(x + o, rem), m), rem);
    }
  }
  v128.store(state, a);
  v128.store(state, b, 16);
  v128.store(state, c, 32);
  v128.store(state, d, 48);
}
