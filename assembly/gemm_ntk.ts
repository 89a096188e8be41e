// c (+)= a·bᵀ for k ≤ 10, the backward product of a classifier layer (k = classes).
// Dot products that short spend more on horizontal sums than on products, so the
// kernel turns them around: four rows of one operand are transposed into k registers
// t[p] = [v(j,p) … v(j+3,p)], and each row of the other operand then costs k splats
// and k multiply-adds for four outputs (k + 2 ≤ 12 live v128). Every `k` and `cnt`
// below is a constant in its inlined copy, so the guards fold away. Unfused even in
// the relaxed build: one dependent chain per output, which ran 1.6× slower fused.
import { loadN, storeN, mulAdd } from "./vec";

export const NT_SMALL_K: i32 = 10;

/** [v(0,p), v(1,p), …] over cnt (1..4) rows ld bytes apart; absent lanes repeat row 0. */
@inline function column(v: usize, ld: usize, p: i32, cnt: i32): v128 {
  const q = v + (<usize>p << 2);
  let r = v128.load32_splat(q);
  if (cnt > 1) r = v128.load32_lane(q + ld, r, 1);
  if (cnt > 2) r = v128.load32_lane(q + (ld << 1), r, 2);
  if (cnt > 3) r = v128.load32_lane(q + ld * 3, r, 3);
  return r;
}

@inline function term(s: v128, row: usize, p: i32, k: i32, t: v128): v128 {
  return p < k ? mulAdd(s, v128.load32_splat(row + (<usize>p << 2)), t) : s;
}

/**
 * For each of `count` rows r of u (stride ldu): s = Σ_p u(r,p)·t[p], where t holds cnt
 * rows of v (stride ldv). Stored as row r of c (cnt lanes) or, transposed, as column r.
 */
@inline function sweep(
  u: usize, ldu: usize, count: i32, v: usize, ldv: usize, cnt: i32, k: i32,
  c: usize, ldc: usize, step: usize, acc: i32, transposed: bool,
): void {
  const z = f32x4.splat(0.0);
  const t0 = column(v, ldv, 0, cnt);
  const t1 = k > 1 ? column(v, ldv, 1, cnt) : z, t2 = k > 2 ? column(v, ldv, 2, cnt) : z;
  const t3 = k > 3 ? column(v, ldv, 3, cnt) : z, t4 = k > 4 ? column(v, ldv, 4, cnt) : z;
  const t5 = k > 5 ? column(v, ldv, 5, cnt) : z, t6 = k > 6 ? column(v, ldv, 6, cnt) : z;
  const t7 = k > 7 ? column(v, ldv, 7, cnt) : z, t8 = k > 8 ? column(v, ldv, 8, cnt) : z;
  const t9 = k > 9 ? column(v, ldv, 9, cnt) : z;
  let up = u, cp = c;
  for (let r = 0; r < count; r++) {
    let s = f32x4.mul(v128.load32_splat(up), t0);
    s = term(s, up, 1, k, t1); s = term(s, up, 2, k, t2); s = term(s, up, 3, k, t3);
    s = term(s, up, 4, k, t4); s = term(s, up, 5, k, t5); s = term(s, up, 6, k, t6);
    s = term(s, up, 7, k, t7); s = term(s, up, 8, k, t8); s = term(s, up, 9, k, t9);
    if (transposed) {
      if (acc != 0) s = f32x4.add(s, column(cp, ldc, 0, cnt));
      v128.store32_lane(cp, s, 0);
      if (cnt > 1) v128.store32_lane(cp + ldc, s, 1);
      if (cnt > 2) v128.store32_lane(cp + (ldc << 1), s, 2);
      if (cnt > 3) v128.store32_lane(cp + ldc * 3, s, 3);
    } else if (cnt == 4) {
      if (acc != 0) s = f32x4.add(s, v128.load(cp));
      v128.store(cp, s);
    } else {
      if (acc != 0) s = f32x4.add(s, loadN(cp, cnt));
      storeN(cp, s, cnt);
    }
    up += ldu; cp += step;
  }
}

/**
 * All of c, four columns (rows of b) at a time, every row of a inside: c is written
 * row by row in vectors. Past ~256 columns the column strips of c no longer stay
 * cached between blocks and the transposed order below wins.
 */
@inline function byColumns(a: usize, b: usize, c: usize, rows: i32, k: i32, n: i32, acc: i32): void {
  const ld = <usize>k << 2, ldc = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) sweep(a, ld, rows, b + <usize>j * ld, ld, 4, k, c + (<usize>j << 2), ldc, ldc, acc, false);
  if (j < n) sweepTail(a, ld, rows, b + <usize>j * ld, ld, n - j, k, c + (<usize>j << 2), ldc, ldc, acc, false);
}

/** Four rows of a (transposed into registers) at a time, every row of b inside: c's rows are written left to right. */
@inline function byRows(a: usize, b: usize, c: usize, rows: i32, k: i32, n: i32, acc: i32): void {
  const ld = <usize>k << 2, ldc = <usize>n << 2;
  let i = 0;
  for (; i + 4 <= rows; i += 4) sweep(b, ld, n, a + <usize>i * ld, ld, 4, k, c + <usize>i * ldc, ldc, 4, acc, true);
  if (i < rows) sweepTail(b, ld, n, a + <usize>i * ld, ld, rows - i, k, c + <usize>i * ldc, ldc, 4, acc, true);
}

/** The last partial block (cnt 1..3), with k and cnt at run time: one copy instead of thirty. */
function sweepTail(
  u: usize, ldu: usize, count: i32, v: usize, ldv: usize, cnt: i32, k: i32,
  c: usize, ldc: usize, step: usize, acc: i32, transposed: bool,
): void {
  if (transposed) sweep(u, ldu, count, v, ldv, cnt, k, c, ldc, step, acc, true);
  else sweep(u, ldu, count, v, ldv, cnt, k, c, ldc, step, acc, false);
}

@inline function product(a: usize, b: usize, c: usize, rows: i32, k: i32, n: i32, acc: i32): void {
  if (n <= 256 || rows < 4) byColumns(a, b, c, rows, k, n, acc);
  else byRows(a, b, c, rows, k, n, acc);
}

/** c (+)= a·bᵀ; a [rows×k], b [n×k], c [rows×n], 1 ≤ k ≤ NT_SMALL_K. */
export function matmulNTSmallK(a: usize, b: usize, c: usize, rows: i32, k: i32, n: i32, acc: i32): void {
  switch (k) {
    case 1: product(a, b, c, rows, 1, n, acc); break;
    case 2: product(a, b, c, rows, 2, n, acc); break;
    case 3: product(a, b, c, rows, 3, n, acc); break;
    case 4: product(a, b, c, rows, 4, n, acc); break;
    case 5: product(a, b, c, rows, 5, n, acc); break;
    case 6: product(a, b, c, rows, 6, n, acc); break;
    case 7: product(a, b, c, rows, 7, n, acc); break;
    case 8: product(a, b, c, rows, 8, n, acc); break;
    case 9: product(a, b, c, rows, 9, n, acc); break;
    default: product(a, b, c, rows, 10, n, acc);
  }
}
