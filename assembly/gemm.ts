// The dense products' entry points: X·W + b with its activation (denseForward) and
// Aᵀ·B (matmulTN). Wide products go to the packed drivers, the rest to the direct
// tiles; matmulNT lives in gemm_nt.ts.
import { ACT_LINEAR, ACT_SOFTMAX } from "./ops";
import { softmaxRow } from "./activations";
import { INIT_ZERO, INIT_C, INIT_BIAS } from "./tiles";
import { gemmNN } from "./gemm_direct";
import { matmulTNNarrowN, tnNarrow } from "./gemm_tnk";
import { packedNN, packedTN, reserveRows, tnPanel, tnStrip } from "./gemm_pack";
import { denseForwardNarrow, matmulTNNarrow } from "./narrow";

/** y = act(x·w + b); x [rows×inDim], w [inDim×outDim], b [outDim], y [rows×outDim]. */
export function denseForward(
  x: usize, w: usize, b: usize, y: usize, rows: i32, inDim: i32, outDim: i32, act: i32, alpha: f32,
): void {
  // Tiny layers (the lecture's 2→4→1): one partial vector per output row beats tiling.
  if (outDim <= 4 && inDim <= 32) {
    denseForwardNarrow(x, w, b, y, rows, inDim, outDim, act, alpha);
    return;
  }
  const ew = act == ACT_SOFTMAX ? ACT_LINEAR : act;
  const xr = <usize>inDim << 2, ld = <usize>outDim << 2;
  // Wide W rows alias in L1 when strided; the packed driver borrows y's last rows as
  // scratch for contiguous W panels and computes those rows directly afterwards.
  const top = reserveRows(rows, inDim, outDim, ld, false);
  if (top > 0) {
    packedNN(x, xr, w, ld, inDim, y, top, outDim, b, ew, alpha);
    gemmNN(x + <usize>top * xr, xr, 4, w, ld, inDim, y + <usize>top * ld, ld, rows - top, outDim, INIT_BIAS, b, ew, alpha);
  } else {
    gemmNN(x, xr, 4, w, ld, inDim, y, ld, rows, outDim, INIT_BIAS, b, ew, alpha);
  }
  if (act == ACT_SOFTMAX) {
    for (let r = 0; r < rows; r++) softmaxRow(y + <usize>r * ld, y + <usize>r * ld, outDim);
  }
}

/** c (+)= aᵀ·b; a [rows×m], b [rows×n], c [m×n]: rank-1 updates over the rows, C tiles in registers. */
export function matmulTN(a: usize, b: usize, c: usize, rows: i32, m: i32, n: i32, accumulate: i32): void {
  matmulTNStrided(a, <usize>m << 2, b, c, rows, m, n, accumulate);
}

/** matmulTN for m columns of a whose rows lie xk bytes apart: rows [i, i+m) of c from a + 4i. */
export function matmulTNStrided(a: usize, xk: usize, b: usize, c: usize, rows: i32, m: i32, n: i32, accumulate: i32): void {
  if (m < 4 && n <= 4) {
    matmulTNNarrow(a, xk, b, c, rows, m, n, accumulate);
    return;
  }
  const mode = accumulate != 0 ? INIT_C : INIT_ZERO;
  const ld = <usize>n << 2;
  if (tnNarrow(n)) {
    const m4 = m & ~3;
    matmulTNNarrowN(a, xk, b, rows, c, m4, n, accumulate);
    if (m4 < m) gemmNN(a + <usize>m4 * 4, 4, xk, b, ld, rows, c + <usize>m4 * ld, ld, m - m4, n, mode, 0, ACT_LINEAR, 0);
    return;
  }
  // Scratch in c's last rows only exists when c is overwritten.
  const top = accumulate != 0 ? 0 : reserveRows(m, rows, n, ld, true);
  if (top > 0) {
    const scratch = c + <usize>top * ld;
    packedTN(a, xk, b, ld, rows, c, top, n, mode, tnPanel(scratch), tnStrip(scratch));
    gemmNN(a + <usize>top * 4, 4, xk, b, ld, rows, c + <usize>top * ld, ld, m - top, n, mode, 0, ACT_LINEAR, 0);
  } else {
    gemmNN(a, 4, xk, b, ld, rows, c, ld, m, n, mode, 0, ACT_LINEAR, 0);
  }
}
