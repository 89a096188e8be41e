// Dense products, register-blocked on f32x4. The NN kernel reads its left operand
// through two byte strides, so the same tiles compute X·W (denseForward) and Aᵀ·B
// (matmulTN, where "X(i,p)" is A[p,i]).
import { ACT_LINEAR, ACT_SOFTMAX } from "./ops";
import { activateV } from "./math";
import { loadN, storeN } from "./vec";
import { softmaxRow } from "./activations";

// How a C tile starts: from zero, from C itself (accumulate), or from the bias row.
const INIT_ZERO: i32 = 0;
const INIT_C: i32 = 1;
const INIT_BIAS: i32 = 2;
// K block: 128 rows of a 1024-wide W panel measured 28 GF/s vs 22 unblocked (64 and 256
// were no better); see gemmNN.
const KC: i32 = 128;

@inline function ldV(p: usize, cnt: i32): v128 {
  return cnt == 4 ? v128.load(p) : loadN(p, cnt);
}

@inline function stV(p: usize, v: v128, cnt: i32): void {
  if (cnt == 4) v128.store(p, v); else storeN(p, v, cnt);
}

@inline function initV(mode: i32, c: usize, bias: usize, cnt: i32): v128 {
  if (mode == INIT_C) return ldV(c, cnt);
  if (mode == INIT_BIAS) return ldV(bias, cnt);
  return f32x4.splat(0.0);
}

// Not inlined: eight inlined copies of every activation would bloat the tile functions
// and cost V8 registers in their hot loops (measured ~1.5× on the GEMV).
function applyAct(v: v128, code: i32, av: v128): v128 {
  return activateV(v, code, av);
}

@inline function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

// 4 rows × 8 columns: 8 accumulators + 2 W vectors + 1 splat = 11 live v128, under
// the ~12 that V8 keeps in registers.
function tile4x8(
  x: usize, xr: usize, xk: usize, w: usize, wk: usize, kLen: i32,
  c: usize, cr: usize, mode: i32, bias: usize, act: i32, av: v128,
): void {
  const xr2 = xr << 1, xr3 = xr * 3, cr2 = cr << 1, cr3 = cr * 3;
  let a00 = initV(mode, c, bias, 4), a01 = initV(mode, c + 16, bias + 16, 4);
  let a10 = initV(mode, c + cr, bias, 4), a11 = initV(mode, c + cr + 16, bias + 16, 4);
  let a20 = initV(mode, c + cr2, bias, 4), a21 = initV(mode, c + cr2 + 16, bias + 16, 4);
  let a30 = initV(mode, c + cr3, bias, 4), a31 = initV(mode, c + cr3 + 16, bias + 16, 4);
  let xp = x, wp = w;
  for (let p = 0; p < kLen; p++) {
    const w0 = v128.load(wp), w1 = v128.load(wp, 16);
    let s = v128.load32_splat(xp);
    a00 = fma(a00, s, w0); a01 = fma(a01, s, w1);
    s = v128.load32_splat(xp + xr);
    a10 = fma(a10, s, w0); a11 = fma(a11, s, w1);
    s = v128.load32_splat(xp + xr2);
    a20 = fma(a20, s, w0); a21 = fma(a21, s, w1);
    s = v128.load32_splat(xp + xr3);
    a30 = fma(a30, s, w0); a31 = fma(a31, s, w1);
    xp += xk; wp += wk;
  }
  if (act != ACT_LINEAR) {
    a00 = applyAct(a00, act, av); a01 = applyAct(a01, act, av);
    a10 = applyAct(a10, act, av); a11 = applyAct(a11, act, av);
    a20 = applyAct(a20, act, av); a21 = applyAct(a21, act, av);
    a30 = applyAct(a30, act, av); a31 = applyAct(a31, act, av);
  }
  v128.store(c, a00); v128.store(c, a01, 16);
  v128.store(c + cr, a10); v128.store(c + cr, a11, 16);
  v128.store(c + cr2, a20); v128.store(c + cr2, a21, 16);
  v128.store(c + cr3, a30); v128.store(c + cr3, a31, 16);
}

/** 4 rows × `cnt` (1..4) columns: the column tail of the 4×8 blocking. */
function tile4xV(
  x: usize, xr: usize, xk: usize, w: usize, wk: usize, kLen: i32,
  c: usize, cr: usize, mode: i32, bias: usize, act: i32, av: v128, cnt: i32,
): void {
  const xr2 = xr << 1, xr3 = xr * 3, cr2 = cr << 1, cr3 = cr * 3;
  let a0 = initV(mode, c, bias, cnt), a1 = initV(mode, c + cr, bias, cnt);
  let a2 = initV(mode, c + cr2, bias, cnt), a3 = initV(mode, c + cr3, bias, cnt);
  let xp = x, wp = w;
  for (let p = 0; p < kLen; p++) {
    const wv = ldV(wp, cnt);
    a0 = fma(a0, v128.load32_splat(xp), wv);
    a1 = fma(a1, v128.load32_splat(xp + xr), wv);
    a2 = fma(a2, v128.load32_splat(xp + xr2), wv);
    a3 = fma(a3, v128.load32_splat(xp + xr3), wv);
    xp += xk; wp += wk;
  }
  stV(c, applyAct(a0, act, av), cnt);
  stV(c + cr, applyAct(a1, act, av), cnt);
  stV(c + cr2, applyAct(a2, act, av), cnt);
  stV(c + cr3, applyAct(a3, act, av), cnt);
}

/** 1 row × 32 columns: the GEMV kernel, streaming W rows unpacked. */
function tile1x32(
  x: usize, xk: usize, w: usize, wk: usize, kLen: i32,
  c: usize, mode: i32, bias: usize, act: i32, av: v128,
): void {
  let a0 = initV(mode, c, bias, 4), a1 = initV(mode, c + 16, bias + 16, 4);
  let a2 = initV(mode, c + 32, bias + 32, 4), a3 = initV(mode, c + 48, bias + 48, 4);
  let a4 = initV(mode, c + 64, bias + 64, 4), a5 = initV(mode, c + 80, bias + 80, 4);
  let a6 = initV(mode, c + 96, bias + 96, 4), a7 = initV(mode, c + 112, bias + 112, 4);
  let xp = x, wp = w;
  for (let p = 0; p < kLen; p++) {
    const s = v128.load32_splat(xp);
    a0 = fma(a0, s, v128.load(wp)); a1 = fma(a1, s, v128.load(wp, 16));
    a2 = fma(a2, s, v128.load(wp, 32)); a3 = fma(a3, s, v128.load(wp, 48));
    a4 = fma(a4, s, v128.load(wp, 64)); a5 = fma(a5, s, v128.load(wp, 80));
    a6 = fma(a6, s, v128.load(wp, 96)); a7 = fma(a7, s, v128.load(wp, 112));
    xp += xk; wp += wk;
  }
  v128.store(c, applyAct(a0, act, av)); v128.store(c, applyAct(a1, act, av), 16);
  v128.store(c, applyAct(a2, act, av), 32); v128.store(c, applyAct(a3, act, av), 48);
  v128.store(c, applyAct(a4, act, av), 64); v128.store(c, applyAct(a5, act, av), 80);
  v128.store(c, applyAct(a6, act, av), 96); v128.store(c, applyAct(a7, act, av), 112);
}

/** 1 row × `cnt` (1..4) columns. */
function tile1xV(
  x: usize, xk: usize, w: usize, wk: usize, kLen: i32,
  c: usize, mode: i32, bias: usize, act: i32, av: v128, cnt: i32,
): void {
  let a = initV(mode, c, bias, cnt);
  let xp = x, wp = w;
  for (let p = 0; p < kLen; p++) {
    a = fma(a, v128.load32_splat(xp), ldV(wp, cnt));
    xp += xk; wp += wk;
  }
  stV(c, applyAct(a, act, av), cnt);
}

/**
 * C[rows×n] = init + X·W, X(i,p) at x + i·xr + p·xk, W [kLen×n] row-major, then the
 * element-wise activation.
 */
function gemmNN(
  x: usize, xr: usize, xk: usize, w: usize, kLen: i32, c: usize,
  rows: i32, n: i32, mode: i32, bias: usize, act: i32, alpha: f32,
): void {
  // K blocks keep a W panel (KC rows × 32 bytes, strided by the row length) in L2
  // while all row blocks pass over it; partial sums go through C. A single row has no
  // reuse to gain and streams W faster unblocked.
  let k0 = 0;
  while (rows >= 4 && kLen - k0 > KC) {
    gemmBlock(x + <usize>k0 * xk, xr, xk, w + <usize>k0 * (<usize>n << 2), KC, c, rows, n, mode, bias, ACT_LINEAR, alpha);
    mode = INIT_C;
    k0 += KC;
  }
  gemmBlock(x + <usize>k0 * xk, xr, xk, w + <usize>k0 * (<usize>n << 2), kLen - k0, c, rows, n, mode, bias, act, alpha);
}

/** One K block of gemmNN: column panels outside, row blocks inside, so a W panel is reused by every row block while cached. */
function gemmBlock(
  x: usize, xr: usize, xk: usize, w: usize, kLen: i32, c: usize,
  rows: i32, n: i32, mode: i32, bias: usize, act: i32, alpha: f32,
): void {
  const ld = <usize>n << 2;
  const av = f32x4.splat(alpha);
  const rows4 = rows & ~3;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const oj = <usize>j << 2;
    for (let i = 0; i < rows4; i += 4) {
      tile4x8(x + <usize>i * xr, xr, xk, w + oj, ld, kLen, c + <usize>i * ld + oj, ld, mode, bias + oj, act, av);
    }
  }
  for (; j < n; j += 4) {
    const oj = <usize>j << 2;
    const cnt = min(n - j, 4);
    for (let i = 0; i < rows4; i += 4) {
      tile4xV(x + <usize>i * xr, xr, xk, w + oj, ld, kLen, c + <usize>i * ld + oj, ld, mode, bias + oj, act, av, cnt);
    }
  }
  // Leftover rows (all of them for batch 1) run the row kernel.
  for (let i = rows4; i < rows; i++) {
    const xi = x + <usize>i * xr, ci = c + <usize>i * ld;
    let j = 0;
    for (; j + 32 <= n; j += 32) {
      const oj = <usize>j << 2;
      tile1x32(xi, xk, w + oj, ld, kLen, ci + oj, mode, bias + oj, act, av);
    }
    for (; j < n; j += 4) {
      const oj = <usize>j << 2;
      tile1xV(xi, xk, w + oj, ld, kLen, ci + oj, mode, bias + oj, act, av, min(n - j, 4));
    }
  }
}

/** y = act(x·w + b); x [rows×inDim], w [inDim×outDim], b [outDim], y [rows×outDim]. */
export function denseForward(
  x: usize, w: usize, b: usize, y: usize, rows: i32, inDim: i32, outDim: i32, act: i32, alpha: f32,
): void {
  const ew = act == ACT_SOFTMAX ? ACT_LINEAR : act;
  gemmNN(x, <usize>inDim << 2, 4, w, inDim, y, rows, outDim, INIT_BIAS, b, ew, alpha);
  if (act == ACT_SOFTMAX) {
    const ld = <usize>outDim << 2;
    for (let r = 0; r < rows; r++) softmaxRow(y + <usize>r * ld, y + <usize>r * ld, outDim);
  }
}

/** c (+)= aᵀ·b; a [rows×m], b [rows×n], c [m×n]: rank-1 updates over the rows, C tiles in registers. */
export function matmulTN(a: usize, b: usize, c: usize, rows: i32, m: i32, n: i32, accumulate: i32): void {
  gemmNN(a, 4, <usize>m << 2, b, rows, c, m, n, accumulate != 0 ? INIT_C : INIT_ZERO, 0, ACT_LINEAR, 0);
}
