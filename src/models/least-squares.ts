// Minimum-norm least squares, min ‖β‖ among the β that minimise ‖Xβ − Y‖, in
// float64, by a complete orthogonal decomposition (the method of LAPACK's xGELSY):
//  1. Householder QR with column pivoting, XP = QR: each step takes the column
//     with the most norm left, so |R_kk| falls and reveals the numerical rank r;
//  2. reflections from the right turn R's first r rows [R₁₁ R₁₂] into [T 0]
//     with T triangular, so β = P·Z·[T⁻¹(QᵀY)₁; 0] solves the problem with the
//     least norm: the part of β along the null space of X is zero.
//
// Why QR and not Cholesky of XᵀX: forming XᵀX squares the condition number, so
// an ill-conditioned design loses twice the digits through the normal equations.
// Why pivoted QR and not an SVD: it costs a few passes over X, not an iteration,
// and its pivot order names the dependent columns directly.

/** Machine epsilon of float64. */
export const EPS = 2 ** -52;

/**
 * numpy's lstsq default cutoff: a column is dependent when the norm it has left
 * is ≤ rcond·|R₀₀| (the largest, first pivot). eps·max(n, m) is the rounding the
 * reflections themselves may leave in a column, so anything below it is noise.
 */
export function defaultRcond(n: number, m: number): number {
  return EPS * Math.max(n, m);
}

export interface LeastSquaresSolution {
  /** m×q, row-major: β[j][c] for column j and output c. */
  beta: Float64Array;
  /** Numerical rank of X: how many pivots were kept. */
  rank: number;
  /** Columns of X in pivot order: the first `rank` are the basis, the rest are dependent. */
  pivots: Int32Array;
  /** For each dependent column pivots[rank + i], the basis columns a combination of which makes it up (ascending; [] for a negligible column). */
  explainedBy: number[][];
}

/** A basis column takes part in a dependent one when its share of it is above this (relative to the dependent column's norm). */
const SHARE = Math.sqrt(EPS);

/** Solve for β given X (n×m) and Y (n×q), both row-major, keeping pivots while |R_kk| > rcond·|R₀₀|. */
export function leastSquares(x: Float64Array, n: number, m: number, y: Float64Array, q: number, rcond: number): LeastSquaresSolution {
  const a = Float64Array.from(x);
  const b = Float64Array.from(y);
  const pivots = Int32Array.from({ length: m }, (_, j) => j);
  const norms = new Float64Array(m); // of the original columns, by original index
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) norms[j] += a[i * m + j] ** 2;
  for (let j = 0; j < m; j++) norms[j] = Math.sqrt(norms[j]);

  const diag = new Float64Array(m);
  let rank = 0;
  let largest = 0;
  for (let k = 0; k < Math.min(n, m); k++) {
    // Norms left are recomputed, not downdated: downdating loses digits exactly where the rank is decided.
    let best = k, bestSquare = -1;
    for (let j = k; j < m; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += a[i * m + j] ** 2;
      // Ties (exact duplicates) go to the lower original index, so the later copy is the dependent one.
      if (s > bestSquare || (s === bestSquare && pivots[j] < pivots[best])) [best, bestSquare] = [j, s];
    }
    const norm = Math.sqrt(bestSquare);
    if (k === 0) largest = norm;
    if (!(norm > rcond * largest)) break;
    if (best !== k) swapColumns(a, n, m, k, best, pivots);
    const x0 = a[k * m + k];
    // Reflect onto −sign(x₀)‖x‖e₁: the sign avoids cancellation in v₀ = x₀ − α.
    const alpha = x0 > 0 ? -norm : norm;
    const v0 = x0 - alpha;
    a[k * m + k] = v0; // column k below the diagonal now holds v
    const vv = bestSquare - x0 * x0 + v0 * v0;
    for (let j = k + 1; j < m; j++) reflect(a, m, j, a, m, k, k, n, vv);
    for (let j = 0; j < q; j++) reflect(b, q, j, a, m, k, k, n, vv);
    diag[k] = alpha;
    rank = k + 1;
  }

  // R's first `rank` rows, r×m in pivot order (row k of `a` right of the diagonal, diag on it).
  const r = rank;
  const t = new Float64Array(r * m);
  for (let k = 0; k < r; k++) {
    t[k * m + k] = diag[k];
    for (let j = k + 1; j < m; j++) t[k * m + j] = a[k * m + j];
  }
  const explainedBy = explain(t, r, m, pivots, norms, rcond * largest);
  const reflectors = annihilateRight(t, r, m);

  const beta = new Float64Array(m * q);
  const u = new Float64Array(m);
  for (let c = 0; c < q; c++) {
    u.fill(0);
    for (let k = r - 1; k >= 0; k--) {
      let s = b[k * q + c];
      for (let j = k + 1; j < r; j++) s -= t[k * m + j] * u[j];
      u[k] = s / t[k * m + k];
    }
    // u = [T⁻¹c; 0] is the least-norm solution in the rotated coordinates; rotate back with H₀ first.
    for (let k = 0; k < r; k++) applyRight(t, m, r, k, reflectors, u);
    for (let i = 0; i < m; i++) beta[pivots[i] * q + c] = u[i];
  }
  return { beta, rank, pivots, explainedBy };
}

/** For each dependent column d, solve R₁₁c = R₁₂[:, d]: the basis columns with a real share in c make it up. */
function explain(t: Float64Array, r: number, m: number, pivots: Int32Array, norms: Float64Array, negligible: number): number[][] {
  const out: number[][] = [];
  const c = new Float64Array(r);
  for (let d = r; d < m; d++) {
    const own = norms[pivots[d]];
    if (!(own > negligible)) {
      out.push([]);
      continue;
    }
    for (let k = r - 1; k >= 0; k--) {
      let s = t[k * m + d];
      for (let j = k + 1; j < r; j++) s -= t[k * m + j] * c[j];
      c[k] = s / t[k * m + k];
    }
    const parts: number[] = [];
    for (let k = 0; k < r; k++) if (Math.abs(c[k]) * norms[pivots[k]] > SHARE * own) parts.push(pivots[k]);
    out.push(parts.sort((i, j) => i - j));
  }
  return out;
}

/**
 * Reflections from the right, rows r−1 down to 0, zero the columns r..m−1 of t,
 * leaving T (r×r upper triangular) in its first r columns. Reflector k acts on
 * coordinates {k} ∪ {r..m−1}: its first entry is returned, its tail is left in
 * t[k][r..], and vv = ‖v‖² (0: no reflection needed).
 */
function annihilateRight(t: Float64Array, r: number, m: number): { v0: Float64Array; vv: Float64Array } {
  const v0 = new Float64Array(r), vv = new Float64Array(r);
  for (let k = r - 1; k >= 0; k--) {
    let s = 0;
    for (let j = r; j < m; j++) s += t[k * m + j] ** 2;
    if (s === 0) continue;
    const x0 = t[k * m + k];
    const norm = Math.sqrt(x0 * x0 + s);
    const alpha = x0 > 0 ? -norm : norm;
    v0[k] = x0 - alpha;
    vv[k] = v0[k] * v0[k] + s;
    // Rows below k are already zero in column k and in r..m−1, so only rows above change.
    for (let i = 0; i < k; i++) {
      let d = t[i * m + k] * v0[k];
      for (let j = r; j < m; j++) d += t[i * m + j] * t[k * m + j];
      const f = (2 * d) / vv[k];
      t[i * m + k] -= f * v0[k];
      for (let j = r; j < m; j++) t[i * m + j] -= f * t[k * m + j];
    }
    t[k * m + k] = alpha;
  }
  return { v0, vv };
}

/** u ← H_k·u for the right reflector k of annihilateRight. */
function applyRight(t: Float64Array, m: number, r: number, k: number, h: { v0: Float64Array; vv: Float64Array }, u: Float64Array): void {
  if (h.vv[k] === 0) return;
  let d = h.v0[k] * u[k];
  for (let j = r; j < m; j++) d += t[k * m + j] * u[j];
  const f = (2 * d) / h.vv[k];
  u[k] -= f * h.v0[k];
  for (let j = r; j < m; j++) u[j] -= f * t[k * m + j];
}

function swapColumns(a: Float64Array, n: number, m: number, i: number, j: number, pivots: Int32Array): void {
  for (let row = 0; row < n; row++) {
    const s = a[row * m + i];
    a[row * m + i] = a[row * m + j];
    a[row * m + j] = s;
  }
  [pivots[i], pivots[j]] = [pivots[j], pivots[i]];
}

/** target[:, j] ← (I − 2vvᵀ/vᵀv)·target[:, j] over rows from..n−1, v = a[from.., k]. */
function reflect(target: Float64Array, width: number, j: number, a: Float64Array, m: number, k: number, from: number, n: number, vv: number): void {
  let d = 0;
  for (let i = from; i < n; i++) d += a[i * m + k] * target[i * width + j];
  const f = (2 * d) / vv;
  for (let i = from; i < n; i++) target[i * width + j] -= f * a[i * m + k];
}
