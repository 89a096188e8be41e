// Batch normalization over the rows of [rows×cols]: each column normalized by its
// batch mean and biased variance in training, by the running statistics in inference.
// Vectors run across columns, loops down the rows. A batch of one row has no variance
// to speak of: training then normalizes it with the running statistics too, and
// leaves them unchanged (batchNormUpdate skips it).
//
// `stats` holds three column vectors at 16-byte-aligned strides of `cols` floats
// (see statsStride): the batch mean, the batch variance, and the 1/√(var+ε) used.
// `running` holds the running mean, then the running variance, at the same stride.
import { loadN, storeN } from "./vec";

/** Bytes between the column vectors of a stats or running block (cols floats, rounded up to 16 bytes). */
@inline export function statsStride(cols: i32): usize {
  return ((<usize>cols << 2) + 15) & ~15;
}

@inline function ld(p: usize, j: i32, cols: i32): v128 {
  const rem = cols - j;
  return rem >= 4 ? v128.load(p + (<usize>j << 2)) : loadN(p + (<usize>j << 2), rem);
}

@inline function st(p: usize, j: i32, cols: i32, v: v128): void {
  const rem = cols - j;
  if (rem >= 4) v128.store(p + (<usize>j << 2), v);
  else storeN(p + (<usize>j << 2), v, rem);
}

/**
 * y = γ·x̂ + β with x̂ = (x − μ)·s. Training (rows > 1): μ and σ² of the batch, s = 1/√(σ²+ε),
 * all three kept in `stats`, x̂ in `xhat`. Inference, or a training batch of one row: the
 * running μ and σ²; in training x̂ and s are still kept for the backward pass.
 */
export function batchNormForward(
  x: usize, y: usize, xhat: usize, gamma: usize, beta: usize, stats: usize, running: usize,
  rows: i32, cols: i32, eps: f32, training: i32,
): void {
  const stride = statsStride(cols);
  const row = <usize>cols << 2;
  const n = f32x4.splat(<f32>rows);
  const e = f32x4.splat(eps);
  const one = f32x4.splat(1.0);
  const batch = training != 0 && rows > 1;
  for (let j = 0; j < cols; j += 4) {
    let mean: v128, scale: v128;
    if (batch) {
      // Two passes: the mean, then the squared deviations from it (stable where Σx² − nμ² is not).
      let s = f32x4.splat(0.0);
      for (let r = 0; r < rows; r++) s = f32x4.add(s, ld(x + <usize>r * row, j, cols));
      mean = f32x4.div(s, n);
      let q = f32x4.splat(0.0);
      for (let r = 0; r < rows; r++) {
        const d = f32x4.sub(ld(x + <usize>r * row, j, cols), mean);
        q = f32x4.add(q, f32x4.mul(d, d));
      }
      const variance = f32x4.div(q, n);
      scale = f32x4.div(one, f32x4.sqrt(f32x4.add(variance, e)));
      st(stats, j, cols, mean);
      st(stats + stride, j, cols, variance);
    } else {
      mean = ld(running, j, cols);
      scale = f32x4.div(one, f32x4.sqrt(f32x4.add(ld(running + stride, j, cols), e)));
    }
    if (training != 0) st(stats + 2 * stride, j, cols, scale);
    const g = ld(gamma, j, cols), b = ld(beta, j, cols);
    for (let r = 0; r < rows; r++) {
      const o = <usize>r * row;
      const h = f32x4.mul(f32x4.sub(ld(x + o, j, cols), mean), scale);
      if (training != 0) st(xhat + o, j, cols, h);
      st(y + o, j, cols, f32x4.add(f32x4.mul(g, h), b));
    }
  }
}

/**
 * dγ = Σ dy·x̂, dβ = Σ dy over the rows; dx = γ·s·(dy − dβ/n − x̂·dγ/n) for a batch's
 * statistics, dx = γ·s·dy when one row was normalized by the running ones. dx = 0: none.
 */
export function batchNormBackward(
  dy: usize, xhat: usize, gamma: usize, stats: usize, dgamma: usize, dbeta: usize, dx: usize, rows: i32, cols: i32,
): void {
  const stride = statsStride(cols);
  const row = <usize>cols << 2;
  const inv = f32x4.splat(<f32>1.0 / <f32>rows);
  for (let j = 0; j < cols; j += 4) {
    let sg = f32x4.splat(0.0), sb = f32x4.splat(0.0);
    for (let r = 0; r < rows; r++) {
      const o = <usize>r * row;
      const d = ld(dy + o, j, cols);
      sb = f32x4.add(sb, d);
      sg = f32x4.add(sg, f32x4.mul(d, ld(xhat + o, j, cols)));
    }
    st(dgamma, j, cols, sg);
    st(dbeta, j, cols, sb);
    if (dx == 0) continue;
    const k = f32x4.mul(ld(gamma, j, cols), ld(stats + 2 * stride, j, cols));
    if (rows == 1) {
      st(dx, j, cols, f32x4.mul(k, ld(dy, j, cols)));
      continue;
    }
    const mb = f32x4.mul(sb, inv), mg = f32x4.mul(sg, inv);
    for (let r = 0; r < rows; r++) {
      const o = <usize>r * row;
      const d = f32x4.sub(f32x4.sub(ld(dy + o, j, cols), mb), f32x4.mul(ld(xhat + o, j, cols), mg));
      st(dx + o, j, cols, f32x4.mul(k, d));
    }
  }
}

/** running ← momentum·running + (1 − momentum)·batch, for the mean and the (biased) variance; a one-row batch changes nothing. */
export function batchNormUpdate(stats: usize, running: usize, rows: i32, cols: i32, momentum: f32): void {
  if (rows <= 1) return;
  const stride = statsStride(cols);
  const m = f32x4.splat(momentum), rest = f32x4.splat(<f32>1.0 - momentum);
  for (let part: usize = 0; part < 2; part++) {
    const s = stats + part * stride, r = running + part * stride;
    for (let j = 0; j < cols; j += 4) st(r, j, cols, f32x4.add(f32x4.mul(m, ld(r, j, cols)), f32x4.mul(rest, ld(s, j, cols))));
  }
}
