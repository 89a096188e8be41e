// One row of X times W (batch 1 and the odd rows of a batch). W is read once, so the
// product is bound by the instructions each W vector costs: 32-column strips keep 8
// accumulators in registers over all of W's rows, two rows a trip, loading W at
// constant offsets; 8-row sweeps through y take the columns past the last strip and
// rows too long for strips. 784×128 on a cache-line-aligned W: 6.4 µs in strips, 8.0
// in sweeps. Every output sums its rows in order, so in the plain build a row's bits
// are those of the register tiles' rows. The relaxed build fuses the strips as the
// tiles do (8 independent chains hide the longer latency: 6.5–9.1 vs 6.6–11.7 µs) but
// not the sweeps, where each output is one dependent chain and fusing measured 15%
// slower.
import { ACT_LINEAR } from "./ops";
import { loadN, storeN, loadUpTo4, storeUpTo4, mulAdd, madd } from "./vec";
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

/**
 * y[0..32) += Σ_p x[p·xk]·W[p, 0..32) over an even k2 rows. binaryen inlines it into
 * gemvRow; V8 keeps the 8 accumulators, 2 splats and 2 loads in registers there (read off
 * --print-wasm-code). Four rows a trip measured slower: V8 hoisted their 32 loads and
 * spilled, and one row a trip spilled an accumulator into the loop-carried chain.
 */
function strip32(x: usize, xk: usize, w: usize, ld: usize, k2: i32, y: usize): void {
  let a0 = v128.load(y, 0), a1 = v128.load(y, 16), a2 = v128.load(y, 32), a3 = v128.load(y, 48);
  let a4 = v128.load(y, 64), a5 = v128.load(y, 80), a6 = v128.load(y, 96), a7 = v128.load(y, 112);
  const step = xk << 1;
  for (let p = 0; p < k2; p += 2) {
    const s = v128.load32_splat(x), t = v128.load32_splat(x + xk);
    const w2 = w + ld;
    a0 = madd(madd(a0, s, v128.load(w, 0)), t, v128.load(w2, 0));
    a1 = madd(madd(a1, s, v128.load(w, 16)), t, v128.load(w2, 16));
    a2 = madd(madd(a2, s, v128.load(w, 32)), t, v128.load(w2, 32));
    a3 = madd(madd(a3, s, v128.load(w, 48)), t, v128.load(w2, 48));
    a4 = madd(madd(a4, s, v128.load(w, 64)), t, v128.load(w2, 64));
    a5 = madd(madd(a5, s, v128.load(w, 80)), t, v128.load(w2, 80));
    a6 = madd(madd(a6, s, v128.load(w, 96)), t, v128.load(w2, 96));
    a7 = madd(madd(a7, s, v128.load(w, 112)), t, v128.load(w2, 112));
    w = w2 + ld;
    x += step;
  }
  v128.store(y, a0, 0); v128.store(y, a1, 16); v128.store(y, a2, 32); v128.store(y, a3, 48);
  v128.store(y, a4, 64); v128.store(y, a5, 80); v128.store(y, a6, 96); v128.store(y, a7, 112);
}

/** The longest W row, in bytes, read in strips. */
const STRIP_ROWS_UP_TO: usize = 1024;

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
  // Strips up to the last whole 32 columns; W's odd last row then goes over them as
  // a sweep, after the rows before it, as the order of the sums requires. Rows longer
  // than 1 KiB sweep whole: a strip then touches a page per row (1024×1024: 151 µs in
  // strips, 110 in sweeps; 300×512 and 200×1024 a little slower too).
  const k2 = kLen & ~1;
  const strips = ld <= STRIP_ROWS_UP_TO ? n4 & ~127 : 0;
  for (let o: usize = 0; o < strips; o += 128) strip32(x, xk, w + o, ld, k2, y + o);
  if (k2 < kLen && strips > 0) {
    const s = v128.load32_splat(x + <usize>k2 * xk), wl = w + <usize>k2 * ld;
    for (let o: usize = 0; o < strips; o += 16) v128.store(y + o, madd(v128.load(y + o), s, v128.load(wl + o)));
  }
  const rest = n4 - strips;
  if (rest > 0 || cnt > 0) {
    const wr = w + strips, yr = y + strips;
    let p = 0;
    for (; p + 8 <= kLen; p += 8) {
      sweep8(x + <usize>p * xk, xk, wr + <usize>p * ld, ld, yr, rest, cnt);
    }
    for (; p < kLen; p++) sweep1(x + <usize>p * xk, wr + <usize>p * ld, yr, rest, cnt);
  }
  if (act != ACT_LINEAR) activationForward(y, y, 1, n, act, alpha);
}
