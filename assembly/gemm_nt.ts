// c (+)= a·bᵀ: every output is a dot product of two contiguous rows, so the kernels
// vectorize along k and reduce horizontally once per output block.
import { loadN, hsum, hsum4, madd } from "./vec";
import { matmulNTSmallK, NT_SMALL_K } from "./gemm_ntk";

// 2 rows of a × 4 rows of b: 8 accumulators + 2 a + 1 b = 11 live v128; each loaded
// vector feeds 2 or 4 products.
function nt2x4(a: usize, lda: usize, b: usize, ldb: usize, k: i32, c: usize, ldc: usize, acc: i32): void {
  const z = f32x4.splat(0.0);
  let c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
  const ldb2 = ldb << 1, ldb3 = ldb * 3;
  const k4 = k & ~3;
  let pa = a, pb = b;
  for (let p = 0; p < k4; p += 4) {
    const x0 = v128.load(pa), x1 = v128.load(pa + lda);
    let v = v128.load(pb);
    c00 = madd(c00, x0, v); c10 = madd(c10, x1, v);
    v = v128.load(pb + ldb);
    c01 = madd(c01, x0, v); c11 = madd(c11, x1, v);
    v = v128.load(pb + ldb2);
    c02 = madd(c02, x0, v); c12 = madd(c12, x1, v);
    v = v128.load(pb + ldb3);
    c03 = madd(c03, x0, v); c13 = madd(c13, x1, v);
    pa += 16; pb += 16;
  }
  const rem = k - k4;
  if (rem > 0) {
    // Zero-filled lanes contribute nothing to the dot products.
    const x0 = loadN(pa, rem), x1 = loadN(pa + lda, rem);
    let v = loadN(pb, rem);
    c00 = madd(c00, x0, v); c10 = madd(c10, x1, v);
    v = loadN(pb + ldb, rem);
    c01 = madd(c01, x0, v); c11 = madd(c11, x1, v);
    v = loadN(pb + ldb2, rem);
    c02 = madd(c02, x0, v); c12 = madd(c12, x1, v);
    v = loadN(pb + ldb3, rem);
    c03 = madd(c03, x0, v); c13 = madd(c13, x1, v);
  }
  let r0 = hsum4(c00, c01, c02, c03), r1 = hsum4(c10, c11, c12, c13);
  if (acc != 0) {
    r0 = f32x4.add(r0, v128.load(c));
    r1 = f32x4.add(r1, v128.load(c + ldc));
  }
  v128.store(c, r0);
  v128.store(c + ldc, r1);
}

/** 1 row of a × 4 rows of b (the odd last row). */
function nt1x4(a: usize, b: usize, ldb: usize, k: i32, c: usize, acc: i32): void {
  const z = f32x4.splat(0.0);
  let c0 = z, c1 = z, c2 = z, c3 = z;
  const ldb2 = ldb << 1, ldb3 = ldb * 3;
  const k4 = k & ~3;
  let pa = a, pb = b;
  for (let p = 0; p < k4; p += 4) {
    const x = v128.load(pa);
    c0 = madd(c0, x, v128.load(pb));
    c1 = madd(c1, x, v128.load(pb + ldb));
    c2 = madd(c2, x, v128.load(pb + ldb2));
    c3 = madd(c3, x, v128.load(pb + ldb3));
    pa += 16; pb += 16;
  }
  const rem = k - k4;
  if (rem > 0) {
    const x = loadN(pa, rem);
    c0 = madd(c0, x, loadN(pb, rem));
    c1 = madd(c1, x, loadN(pb + ldb, rem));
    c2 = madd(c2, x, loadN(pb + ldb2, rem));
    c3 = madd(c3, x, loadN(pb + ldb3, rem));
  }
  let r = hsum4(c0, c1, c2, c3);
  if (acc != 0) r = f32x4.add(r, v128.load(c));
  v128.store(c, r);
}

/** One output: the column tail (n mod 4). Two accumulators halve the add latency chain. */
function nt1x1(a: usize, b: usize, k: i32, c: usize, acc: i32): void {
  let s0 = f32x4.splat(0.0), s1 = s0;
  const k8 = k & ~7, k4 = k & ~3;
  let p = 0;
  for (; p < k8; p += 8) {
    const o = <usize>p << 2;
    s0 = madd(s0, v128.load(a + o), v128.load(b + o));
    s1 = madd(s1, v128.load(a + o, 16), v128.load(b + o, 16));
  }
  if (p < k4) {
    const o = <usize>p << 2;
    s0 = madd(s0, v128.load(a + o), v128.load(b + o));
  }
  if (k4 < k) {
    const o = <usize>k4 << 2;
    s1 = madd(s1, loadN(a + o, k - k4), loadN(b + o, k - k4));
  }
  let r = hsum(f32x4.add(s0, s1));
  if (acc != 0) r += load<f32>(c);
  store<f32>(c, r);
}

/** c (+)= a·bᵀ; a [rows×k], b [n×k], c [rows×n]. */
export function matmulNT(a: usize, b: usize, c: usize, rows: i32, k: i32, n: i32, accumulate: i32): void {
  if (k <= NT_SMALL_K) {
    matmulNTSmallK(a, b, c, rows, k, n, accumulate);
    return;
  }
  const lda = <usize>k << 2, ldc = <usize>n << 2;
  const rows2 = rows & ~1;
  let j = 0;
  // Four rows of b outside, pairs of rows of a inside: the b block stays in L1 while
  // the (batch-sized) a streams past it.
  for (; j + 4 <= n; j += 4) {
    const bj = b + <usize>j * lda, oj = <usize>j << 2;
    for (let i = 0; i < rows2; i += 2) {
      nt2x4(a + <usize>i * lda, lda, bj, lda, k, c + <usize>i * ldc + oj, ldc, accumulate);
    }
    if (rows2 < rows) nt1x4(a + <usize>rows2 * lda, bj, lda, k, c + <usize>rows2 * ldc + oj, accumulate);
  }
  for (; j < n; j++) {
    const bj = b + <usize>j * lda, oj = <usize>j << 2;
    for (let i = 0; i < rows; i++) nt1x1(a + <usize>i * lda, bj, k, c + <usize>i * ldc + oj, accumulate);
  }
}
