// One row of X times W (batch 1 and the odd rows of a batch). W is read once, so the
// product is bound by how fast W streams in: sweeping 8 whole W rows at a time reads
// memory sequentially (a 4 KiB W row block is one page) with y in L1 as the
// accumulator: 62 vs 93 µs for 32-column register strips at 1024×1024, and equal at
// 784×128. Unfused even in the relaxed build: each output is one dependent chain
// here, and the fused form measured 15% slower.
import { ACT_LINEAR } from "./ops";
import { loadN, storeN, loadUpTo4, storeUpTo4, mulAdd } from "./vec";
import { INIT_BIAS, INIT_ZERO, INIT_C } from "./tiles";
import { activationForward } from "./activations";
import { activateV } from "./math";

/** y[0..n) = init + Σ_p x[p]·W[p,:] over 8 W rows; cnt-wide tail at o = n4·4. */
@inline function sweep8(x: usize, xk: usize, w: usize, ld: usize, y: usize, n4: usize, cnt: i32): void {
  const s0 = v128.load32_splat(x), s1 = v128.load32_splat(x + xk);
  const s2 = v128.load32_splat(x + 2 * xk), s3 = v128.load32_splat(x + 3 * xk);
  const s4 = v128.load32_splat(x + 4 * xk), s5 = v128.load32_splat(x + 5 * xk);
  const s6 = v128.load32_splat(x + 6 * xk), s7 = v128.load32_splat(x + 7 * xk);
  const ld3 = ld * 3, w4 = w + (ld << 2);
  for (let o: usize = 0; o < n4; o += 16) {
    const r = w + o, r4 = w4 + o;
    let a = v128.load(y + o);
    a = mulAdd(a, s0, v128.load(r)); a = mulAdd(a, s1, v128.load(r + ld));
    a = mulAdd(a, s2, v128.load(r + (ld << 1))); a = mulAdd(a, s3, v128.load(r + ld3));
    a = mulAdd(a, s4, v128.load(r4)); a = mulAdd(a, s5, v128.load(r4 + ld));
    a = mulAdd(a, s6, v128.load(r4 + (ld << 1))); a = mulAdd(a, s7, v128.load(r4 + ld3));
    v128.store(y + o, a);
  }
  if (cnt > 0) {
    const r = w + n4, r4 = w4 + n4;
    let a = loadN(y + n4, cnt);
    a = mulAdd(a, s0, loadN(r, cnt)); a = mulAdd(a, s1, loadN(r + ld, cnt));
    a = mulAdd(a, s2, loadN(r + (ld << 1), cnt)); a = mulAdd(a, s3, loadN(r + ld3, cnt));
    a = mulAdd(a, s4, loadN(r4, cnt)); a = mulAdd(a, s5, loadN(r4 + ld, cnt));
    a = mulAdd(a, s6, loadN(r4 + (ld << 1), cnt)); a = mulAdd(a, s7, loadN(r4 + ld3, cnt));
    storeN(y + n4, a, cnt);
  }
}

/** One W row: the k tail of the 8-row sweeps. */
@inline function sweep1(x: usize, w: usize, y: usize, n4: usize, cnt: i32): void {
  const s = v128.load32_splat(x);
  for (let o: usize = 0; o < n4; o += 16) v128.store(y + o, mulAdd(v128.load(y + o), s, v128.load(w + o)));
  if (cnt > 0) storeN(y + n4, mulAdd(loadN(y + n4, cnt), s, loadN(w + n4, cnt)), cnt);
}

/** n ≤ 4: one register accumulates, so tiny per-sample layers skip the sweep's passes over y. */
@inline function rowVec(x: usize, xk: usize, w: usize, ld: usize, kLen: i32, y: usize, mode: i32, bias: usize, act: i32, alpha: f32, cnt: i32): void {
  let a = f32x4.splat(0.0);
  if (mode == INIT_BIAS) a = loadUpTo4(bias, cnt);
  else if (mode == INIT_C) a = loadUpTo4(y, cnt);
  for (let p = 0; p < kLen; p++) {
    a = mulAdd(a, v128.load32_splat(x), loadUpTo4(w, cnt));
    x += xk; w += ld;
  }
  if (act != ACT_LINEAR) a = activateV(a, act, f32x4.splat(alpha));
  storeUpTo4(y, a, cnt);
}

/**
 * y[0..n) = act(init + Σ_p x[p·xk]·W[p,:]); W [kLen×n] row-major with row stride ld
 * bytes; init is zero, y itself, or the bias row.
 */
export function gemvRow(
  x: usize, xk: usize, w: usize, ld: usize, kLen: i32, y: usize, n: i32,
  mode: i32, bias: usize, act: i32, alpha: f32,
): void {
  if (n <= 4) {
    if (n == 4) rowVec(x, xk, w, ld, kLen, y, mode, bias, act, alpha, 4);
    else if (n == 3) rowVec(x, xk, w, ld, kLen, y, mode, bias, act, alpha, 3);
    else if (n == 2) rowVec(x, xk, w, ld, kLen, y, mode, bias, act, alpha, 2);
    else rowVec(x, xk, w, ld, kLen, y, mode, bias, act, alpha, 1);
    return;
  }
  const n4 = <usize>(n & ~3) << 2, cnt = n & 3;
  // Plain loops, not memory.copy/fill: V8 calls out for those, which measured slower
  // at the small widths of per-sample training.
  if (mode == INIT_BIAS) {
    for (let o: usize = 0; o < n4; o += 16) v128.store(y + o, v128.load(bias + o));
    if (cnt > 0) storeN(y + n4, loadN(bias + n4, cnt), cnt);
  } else if (mode == INIT_ZERO) {
    const z = f32x4.splat(0.0);
    for (let o: usize = 0; o < n4; o += 16) v128.store(y + o, z);
    if (cnt > 0) storeN(y + n4, z, cnt);
  }
  let p = 0;
  for (; p + 8 <= kLen; p += 8) {
    sweep8(x + <usize>p * xk, xk, w + <usize>p * ld, ld, y, n4, cnt);
  }
  for (; p < kLen; p++) sweep1(x + <usize>p * xk, w + <usize>p * ld, y, n4, cnt);
  if (act != ACT_LINEAR) activationForward(y, y, 1, n, act, alpha);
}
