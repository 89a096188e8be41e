// Least squares min ‖Xβ − Y‖² by Householder QR, in float64.
//
// Why QR and not Cholesky of XᵀX: forming XᵀX squares the condition number
// (κ(XᵀX) = κ(X)²), so a design that is merely ill-conditioned in float64 loses
// twice the digits through the normal equations. QR works on X itself: the
// reflections are orthogonal, so they do not amplify rounding, and R's diagonal
// tells directly how much of each column the earlier columns leave unexplained —
// which is the rank test we need for a clear "singular design" error.

/** A column of X that earlier columns explain (to RANK_TOLERANCE): the design is singular. */
export interface RankDeficiency {
  column: number;
  /** Norm of what is left of the column / its own norm (0 for a zero column). */
  ratio: number;
}

/**
 * A column is dependent when less than this fraction of its norm is left after
 * projecting out the columns before it. 1e-7 is R's lm() tolerance: it catches
 * exact duplicates and constants (ratio ~1e-16) and also collinearity that only
 * float32 rounding hides (ratio ~1e-8), while real, if correlated, features pass.
 */
export const RANK_TOLERANCE = 1e-7;

/**
 * Solve for β (m×q, row-major) given X (n×m) and Y (n×q), both row-major.
 * Returns the deficient column instead of β when X has not full column rank.
 */
export function leastSquares(x: Float64Array, n: number, m: number, y: Float64Array, q: number): { beta: Float64Array } | { deficient: RankDeficiency } {
  if (n < m) return { deficient: { column: n, ratio: 0 } };
  const a = Float64Array.from(x);
  const b = Float64Array.from(y);
  const diag = new Float64Array(m);
  const columnNorm = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i * m + j] ** 2;
    columnNorm[j] = Math.sqrt(s);
  }
  for (let k = 0; k < m; k++) {
    // The part of column k below the diagonal, after reflections 0..k−1.
    let s = 0;
    for (let i = k; i < n; i++) s += a[i * m + k] ** 2;
    const norm = Math.sqrt(s);
    const ratio = columnNorm[k] > 0 ? norm / columnNorm[k] : 0;
    if (!(ratio > RANK_TOLERANCE)) return { deficient: { column: k, ratio } };
    // Reflect onto −sign(x₀)‖x‖e₁: the sign avoids cancellation in v₀ = x₀ − α.
    const x0 = a[k * m + k];
    const alpha = x0 > 0 ? -norm : norm;
    const v0 = x0 - alpha;
    a[k * m + k] = v0; // column k below the diagonal now holds v
    const vv = s - x0 * x0 + v0 * v0;
    for (let j = k + 1; j < m; j++) reflect(a, m, j, a, m, k, k, n, vv);
    for (let j = 0; j < q; j++) reflect(b, q, j, a, m, k, k, n, vv);
    diag[k] = alpha;
  }
  // Back substitution R·β = (QᵀY)[0:m], column by column of Y.
  const beta = new Float64Array(m * q);
  for (let c = 0; c < q; c++) {
    for (let k = m - 1; k >= 0; k--) {
      let s = b[k * q + c];
      for (let j = k + 1; j < m; j++) s -= a[k * m + j] * beta[j * q + c];
      beta[k * q + c] = s / diag[k];
    }
  }
  return { beta };
}

/** target[:, j] ← (I − 2vvᵀ/vᵀv)·target[:, j] over rows from..n−1, v = a[from.., k]. */
function reflect(target: Float64Array, width: number, j: number, a: Float64Array, m: number, k: number, from: number, n: number, vv: number): void {
  let d = 0;
  for (let i = from; i < n; i++) d += a[i * m + k] * target[i * width + j];
  const f = (2 * d) / vv;
  for (let i = from; i < n; i++) target[i * width + j] -= f * a[i * m + k];
}
