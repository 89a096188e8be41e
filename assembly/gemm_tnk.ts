// c (+)= aᵀ·b for n ≤ 10, the weight gradient of a classifier layer (n = classes).
// Vectors run along the rows of c, which are contiguous in a: a tile keeps c(i..i+3, j)
// for up to 7 columns j in accumulators, and each k step costs one load of a, one
// splat of b and one multiply-add per column with every lane busy, where column tiles
// over b's rows leave lanes idle (2–4× faster below 8 columns). The tile is
// transposed into c once at the end.
// Every `n` below is a constant in its inlined copy, so the guards fold away.
import { madd } from "./vec";

@inline function term(s: v128, av: v128, bp: usize, j: i32, n: i32): v128 {
  return j < n ? madd(s, av, v128.load32_splat(bp + (<usize>j << 2))) : s;
}

/** Column j of the tile: lanes q = c(i+q, j), added to c first when accumulating. */
@inline function put(c: usize, ldc: usize, j: i32, n: i32, s: v128, acc: i32): void {
  if (j >= n) return;
  const p = c + (<usize>j << 2);
  if (acc != 0) {
    let old = v128.load32_zero(p);
    old = v128.load32_lane(p + ldc, old, 1);
    old = v128.load32_lane(p + (ldc << 1), old, 2);
    old = v128.load32_lane(p + ldc * 3, old, 3);
    s = f32x4.add(s, old);
  }
  v128.store32_lane(p, s, 0);
  v128.store32_lane(p + ldc, s, 1);
  v128.store32_lane(p + (ldc << 1), s, 2);
  v128.store32_lane(p + ldc * 3, s, 3);
}

/** Rows i..i+3 of c; a(p, i..i+3) at a + p·lda, b row p at b + p·ldb. */
@inline function tile(a: usize, lda: usize, b: usize, ldb: usize, kLen: i32, c: usize, ldc: usize, n: i32, acc: i32): void {
  const z = f32x4.splat(0.0);
  let s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z;
  let ap = a, bp = b;
  for (let p = 0; p < kLen; p++) {
    const av = v128.load(ap);
    s0 = term(s0, av, bp, 0, n); s1 = term(s1, av, bp, 1, n); s2 = term(s2, av, bp, 2, n);
    s3 = term(s3, av, bp, 3, n); s4 = term(s4, av, bp, 4, n); s5 = term(s5, av, bp, 5, n);
    s6 = term(s6, av, bp, 6, n);
    ap += lda; bp += ldb;
  }
  put(c, ldc, 0, n, s0, acc); put(c, ldc, 1, n, s1, acc); put(c, ldc, 2, n, s2, acc);
  put(c, ldc, 3, n, s3, acc); put(c, ldc, 4, n, s4, acc); put(c, ldc, 5, n, s5, acc);
  put(c, ldc, 6, n, s6, acc);
}

@inline function tiles(a: usize, lda: usize, b: usize, ldb: usize, kLen: i32, c: usize, rows4: i32, n: i32, acc: i32): void {
  for (let i = 0; i < rows4; i += 4) tile(a + (<usize>i << 2), lda, b, ldb, kLen, c + <usize>i * ldb, ldb, n, acc);
}

/** Widths this kernel takes: up to 10 but 8, where the 4×8 tile over b's rows is as fast (43 vs 36 GF/s split). */
export function tnNarrow(n: i32): bool {
  return n <= 10 && n != 8;
}

/**
 * Rows [0, rows4) of c (+)= aᵀ·b (rows4 a multiple of 4); a(p, i) at a + p·lda + 4i,
 * b [kLen×n], c [·×n], tnNarrow(n).
 */
export function matmulTNNarrowN(a: usize, lda: usize, b: usize, kLen: i32, c: usize, rows4: i32, n: i32, acc: i32): void {
  const ld = <usize>n << 2;
  // Nine or ten columns run as 5 + the rest: 8 or more accumulators spill on Node 20's
  // V8 (21 vs 38 GF/s at 64×784×10).
  if (n > 8) {
    tiles(a, lda, b, ld, kLen, c, rows4, 5, acc);
    b += 20; c += 20; n -= 5;
  }
  switch (n) {
    case 1: tiles(a, lda, b, ld, kLen, c, rows4, 1, acc); break;
    case 2: tiles(a, lda, b, ld, kLen, c, rows4, 2, acc); break;
    case 3: tiles(a, lda, b, ld, kLen, c, rows4, 3, acc); break;
    case 4: tiles(a, lda, b, ld, kLen, c, rows4, 4, acc); break;
    case 5: tiles(a, lda, b, ld, kLen, c, rows4, 5, acc); break;
    case 6: tiles(a, lda, b, ld, kLen, c, rows4, 6, acc); break;
    default: tiles(a, lda, b, ld, kLen, c, rows4, 7, acc);
  }
}
