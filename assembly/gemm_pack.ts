// Packed drivers for wide products. W rows 4 KiB apart map a strided 8-column panel
// onto one L1 set, so the direct tiles stream it from L2; a contiguous copy of the
// panel stays in L1 while every row block passes over it. Kernels own no memory, so
// the copies live in the output's last rows, which are computed directly afterwards.
import { ACT_LINEAR } from "./ops";
import { tile4x8, tile4x8s, tile4xV, INIT_C, INIT_BIAS } from "./tiles";
import { gemmBlock } from "./gemm_direct";
import { matmulTNNarrowN, tnNarrow } from "./gemm_tnk";

// K block of a packed W panel (NKC·32 bytes: 256 and 512 measured alike, 128 slower) and,
// for Aᵀ·B, of the panel and A strip, with MC rows of C per strip (128 beat 32 and 64).
const NKC: i32 = 256;
const TKC: i32 = 128;
const MC: i32 = 128;

/**
 * How many leading rows of C (a multiple of 4) the packed driver computes, the rest
 * lending their bytes as scratch; 0 when packing does not pay: for X·W below 512
 * columns (measured equal or slower: the strided panel still caches), or when more
 * than an eighth of the rows would have to run direct. For Aᵀ·B, `rows` is m.
 */
export function reserveRows(rows: i32, kLen: i32, n: i32, ldc: usize, tn: bool): i32 {
  // Aᵀ·B also packs its A strips, which pays below 256 columns only when A's rows (of
  // `rows` floats) are a multiple of 2 KiB apart: 43.1 vs 44.3 GF/s at 64×784×128.
  const minWidth = tn ? ((rows & 511) == 0 ? 8 : 256) : 512;
  if (n < minWidth || rows < 16) return 0;
  const kc = min(kLen, tn ? TKC : NKC);
  const need: usize = tn ? <usize>TN_SCRATCH_BYTES - <usize>(TKC - kc) * MC * 4 : <usize>64 + <usize>kc * 32;
  const top = (rows - <i32>((need + ldc - 1) / ldc)) & ~3;
  return top * 8 >= rows * 7 ? top : 0;
}

@inline function align64(p: usize): usize {
  return (p + 63) & ~63;
}

/** Copies W[0..kLen)[8 columns] into a contiguous kLen×8 panel. */
@inline function packPanel(w: usize, ld: usize, kLen: i32, dst: usize): void {
  for (let p = 0; p < kLen; p++) {
    v128.store(dst, v128.load(w));
    v128.store(dst, v128.load(w, 16), 16);
    w += ld; dst += 32;
  }
}

/** Copies `mc` (a multiple of 4) floats from each of kLen rows into a kLen×mc strip. */
@inline function packStrip(a: usize, lda: usize, kLen: i32, mc: i32, dst: usize): void {
  const bytes = <usize>mc << 2;
  for (let p = 0; p < kLen; p++) {
    for (let o: usize = 0; o < bytes; o += 16) v128.store(dst + o, v128.load(a + o));
    a += lda; dst += bytes;
  }
}

/**
 * Rows [0, top) of c = act(bias + x·w); x [·×kLen] with row stride xr, w [kLen×n] and
 * c with row stride ld; c's rows from top on are scratch.
 */
export function packedNN(
  x: usize, xr: usize, w: usize, ld: usize, kLen: i32, c: usize, top: i32, n: i32,
  bias: usize, act: i32, alpha: f32,
): void {
  const panel = align64(c + <usize>top * ld);
  const n8 = n & ~7;
  let mode = INIT_BIAS;
  for (let k0 = 0; k0 < kLen; k0 += NKC) {
    const kl = min(NKC, kLen - k0);
    const a = k0 + kl == kLen ? act : ACT_LINEAR;
    const xb = x + (<usize>k0 << 2), wb = w + <usize>k0 * ld;
    for (let j = 0; j < n8; j += 8) {
      const oj = <usize>j << 2;
      packPanel(wb + oj, ld, kl, panel);
      for (let i = 0; i < top; i += 4) {
        tile4x8(xb + <usize>i * xr, xr, 4, panel, 32, kl, c + <usize>i * ld + oj, ld, mode, bias + oj, a, alpha);
      }
    }
    for (let j = n8; j < n; j += 4) {
      const oj = <usize>j << 2;
      for (let i = 0; i < top; i += 4) {
        tile4xV(xb + <usize>i * xr, xr, 4, wb + oj, ld, kl, c + <usize>i * ld + oj, ld, mode, bias + oj, a, alpha, min(n - j, 4));
      }
    }
    mode = INIT_C;
  }
}

/**
 * Rows [0, top) of c (+)= aᵀ·b (mode INIT_ZERO or INIT_C); a [kLen×m] with row stride
 * xk, b [kLen×n] and c with row stride ld; top a multiple of 4. Both operands are
 * strided along k, so a strip of A (MC rows of C) is packed at `strip` and, for wide
 * b, an 8-column panel of B at `panel`; narrow b (≤ 32 columns) shares cache lines
 * and is read in place by the direct tiles.
 */
export function packedTN(
  a: usize, xk: usize, b: usize, ld: usize, kLen: i32, c: usize, top: i32, n: i32,
  mode: i32, panel: usize, strip: usize,
): void {
  const n8 = n > 32 ? n & ~7 : 0;
  for (let k0 = 0; k0 < kLen; k0 += TKC) {
    const kl = min(TKC, kLen - k0);
    const ab = a + <usize>k0 * xk, bb = b + <usize>k0 * ld;
    for (let ic = 0; ic < top; ic += MC) {
      const mc = min(MC, top - ic), sk = <usize>mc << 2;
      packStrip(ab + (<usize>ic << 2), xk, kl, mc, strip);
      const cb = c + <usize>ic * ld;
      if (n8 == 0) {
        if (tnNarrow(n)) matmulTNNarrowN(strip, sk, bb, kl, cb, mc, n, mode == INIT_C ? 1 : 0);
        else gemmBlock(strip, 4, sk, bb, ld, kl, cb, ld, mc, n, mode, 0, ACT_LINEAR, 0);
        continue;
      }
      for (let j = 0; j < n8; j += 8) {
        const oj = <usize>j << 2;
        packPanel(bb + oj, ld, kl, panel);
        for (let i = 0; i < mc; i += 4) {
          tile4x8s(strip + (<usize>i << 2), sk, panel, 32, kl, cb + <usize>i * ld + oj, ld, mode, 0, ACT_LINEAR, 0);
        }
      }
      for (let j = n8; j < n; j += 4) {
        const oj = <usize>j << 2;
        for (let i = 0; i < mc; i += 4) {
          tile4xV(strip + (<usize>i << 2), 4, sk, bb + oj, ld, kl, cb + <usize>i * ld + oj, ld, mode, 0, ACT_LINEAR, 0, min(n - j, 4));
        }
      }
    }
    mode = INIT_C;
  }
}

/** Scratch bytes packedTN needs: panel, strip and alignment slack. */
export const TN_SCRATCH_BYTES: i32 = 64 + TKC * 32 + TKC * MC * 4;

/** The panel and strip inside a scratch region (64-byte aligned, TKC·32 bytes apart). */
export function tnPanel(scratch: usize): usize {
  return align64(scratch);
}
export function tnStrip(scratch: usize): usize {
  return align64(scratch) + (<usize>TKC << 5);
}
