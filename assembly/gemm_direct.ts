// The direct NN driver: register tiles straight over the operands, no copies. X(i,p)
// sits at x + i·xr + p·xk, so the same loops compute X·W (xr = row, xk = 4) and Aᵀ·B
// (xr = 4, xk = row of A), and over a packed strip of A.
import { ACT_LINEAR } from "./ops";
import { tile4x8, tile4xV, tile2x8p, INIT_C } from "./tiles";
import { gemvRow } from "./gemv";

// K block: 128 rows of a 1024-wide W panel measured 28 GF/s vs 22 unblocked (64 and 256
// were no better).
const KC: i32 = 128;

/**
 * C[rows×n] = init + X·W, X(i,p) at x + i·xr + p·xk, W [kLen×n] with row stride ld
 * bytes, C row stride ldc bytes, then the element-wise activation.
 */
export function gemmNN(
  x: usize, xr: usize, xk: usize, w: usize, ld: usize, kLen: i32, c: usize, ldc: usize,
  rows: i32, n: i32, mode: i32, bias: usize, act: i32, alpha: f32,
): void {
  // K blocks keep a W panel (KC rows × 32 bytes, strided by the row length) in L2
  // while all row blocks pass over it; partial sums go through C. A single row has no
  // reuse to gain and streams W faster unblocked.
  let k0 = 0;
  // Narrow W panels share cache lines and fit L1 whole: nothing to block for.
  const kc = n > 32 ? KC : kLen;
  while (rows >= 4 && kLen - k0 > kc) {
    gemmBlock(x + <usize>k0 * xk, xr, xk, w + <usize>k0 * ld, ld, kc, c, ldc, rows, n, mode, bias, ACT_LINEAR, alpha);
    mode = INIT_C;
    k0 += kc;
  }
  gemmBlock(x + <usize>k0 * xk, xr, xk, w + <usize>k0 * ld, ld, kLen - k0, c, ldc, rows, n, mode, bias, act, alpha);
}

/** One K block of gemmNN: column panels outside, row blocks inside, so a W panel is reused by every row block while cached. */
export function gemmBlock(
  x: usize, xr: usize, xk: usize, w: usize, ld: usize, kLen: i32, c: usize, ldc: usize,
  rows: i32, n: i32, mode: i32, bias: usize, act: i32, alpha: f32,
): void {
  const rows4 = rows & ~3;
  // A tail of 1 or 2 columns rides with the last 8-column panel in 2-row tiles.
  const pairTail = n >= 8 && (n & 7) != 0 && (n & 7) <= 2 && rows >= 2;
  const n8 = pairTail ? (n & ~7) - 8 : n & ~7;
  let j = 0;
  for (; j < n8; j += 8) {
    const oj = <usize>j << 2;
    for (let i = 0; i < rows4; i += 4) {
      tile4x8(x + <usize>i * xr, xr, xk, w + oj, ld, kLen, c + <usize>i * ldc + oj, ldc, mode, bias + oj, act, alpha);
    }
  }
  let rowsDone = rows4;
  if (pairTail) {
    const oj = <usize>j << 2, cnt = n - j - 8;
    const rows2 = rows & ~1;
    for (let i = 0; i < rows2; i += 2) {
      tile2x8p(x + <usize>i * xr, xr, xk, w + oj, ld, kLen, c + <usize>i * ldc + oj, ldc, mode, bias + oj, act, alpha, cnt);
    }
    // Rows 4·⌊rows/4⌋ up to the last pair still need the columns before this panel.
    if (n8 > 0 && rows2 > rows4) {
      gemmBlock(x + <usize>rows4 * xr, xr, xk, w, ld, kLen, c + <usize>rows4 * ldc, ldc, rows2 - rows4, n8, mode, bias, act, alpha);
    }
    rowsDone = rows2;
  } else {
    for (; j < n; j += 4) {
      const oj = <usize>j << 2;
      const cnt = min(n - j, 4);
      for (let i = 0; i < rows4; i += 4) {
        tile4xV(x + <usize>i * xr, xr, xk, w + oj, ld, kLen, c + <usize>i * ldc + oj, ldc, mode, bias + oj, act, alpha, cnt);
      }
    }
  }
  // Leftover rows (all of them for batch 1) run the row kernel.
  for (let i = rowsDone; i < rows; i++) {
    gemvRow(x + <usize>i * xr, xk, w, ld, kLen, c + <usize>i * ldc, n, mode, bias, act, alpha);
  }
}
