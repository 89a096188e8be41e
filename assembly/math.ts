// Vectorized exp / log1p and the activation functions built on them.
import { ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_LEAKY_RELU, ACT_ELU } from "./ops";

// ln 2 split so that n·LN2_HI is exact for |n| < 2^15 (LN2_HI has 9 significant bits).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const LOG2E: f32 = 1.44269504;
// ln(FLT_MAX): above it the result is +Inf.
const EXP_HI: f32 = 88.7228394;
// ≈ ln(FLT_MIN): below it the result is 0 rather than a slow denormal.
const EXP_LO: f32 = -87.33654;
// e^r ≈ 1 + r + r²·q(r) on [0, ln 2): scripts/fit-exp.mjs (relative-error least squares
// on Chebyshev nodes), 7e-9 before rounding, so f32 rounding dominates.
const Q0: f32 = 0.500002384;
const Q1: f32 = 0.166631103;
const Q2: f32 = 0.0418577269;
const Q3: f32 = 0.00786453579;
const Q4: f32 = 0.00191447523;

/**
 * e^x per lane: 0 below ≈ −87.34, +Inf above ≈ 88.72, NaN only for NaN.
 * Written for latency: the per-sample steps of tiny networks wait on two of these in
 * a row. n = ⌊x·log2 e⌋ keeps 2^n one normal factor over the whole finite range, the
 * polynomial is evaluated in Estrin form, and out-of-range lanes are not clamped on the
 * way in but replaced at the end by masks computed off the critical path.
 */
@inline export function expV(x: v128): v128 {
  const n = f32x4.floor(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  const r2 = f32x4.mul(r, r);
  const lo = f32x4.add(f32x4.mul(f32x4.splat(Q1), r), f32x4.splat(Q0));
  const hi = f32x4.add(f32x4.mul(f32x4.splat(Q3), r), f32x4.splat(Q2));
  const q = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(f32x4.splat(Q4), r2), hi), r2), lo);
  const p = f32x4.add(f32x4.mul(r2, q), f32x4.add(r, f32x4.splat(1.0)));
  // In range n ∈ [−127, 127]; the lanes where it is not are replaced below.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const over = f32x4.gt(x, f32x4.splat(EXP_HI));
  const outside = v128.or(over, f32x4.lt(x, f32x4.splat(EXP_LO)));
  return v128.bitselect(v128.and(over, f32x4.splat(Infinity)), f32x4.mul(p, scale), outside);
}

/** Scalar e^x for tails, the same numbers as the vector lanes. */
@inline export function expS(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/** log(1 + u) for u in [0, 1] per lane: 2·atanh(s) with s = u/(2+u) ≤ 1/3, no cancellation for small u. */
@inline export function log1pUnitV(u: v128): v128 {
  const s = f32x4.div(u, f32x4.add(u, f32x4.splat(2.0)));
  const s2 = f32x4.mul(s, s);
  let t = f32x4.add(f32x4.mul(s2, f32x4.splat(<f32>(1.0 / 13.0))), f32x4.splat(<f32>(1.0 / 11.0)));
  t = f32x4.add(f32x4.mul(t, s2), f32x4.splat(<f32>(1.0 / 9.0)));
  t = f32x4.add(f32x4.mul(t, s2), f32x4.splat(<f32>(1.0 / 7.0)));
  t = f32x4.add(f32x4.mul(t, s2), f32x4.splat(<f32>(1.0 / 5.0)));
  t = f32x4.add(f32x4.mul(t, s2), f32x4.splat(<f32>(1.0 / 3.0)));
  t = f32x4.add(f32x4.mul(t, s2), f32x4.splat(1.0));
  return f32x4.mul(f32x4.add(s, s), t);
}

/**
 * Natural log of a positive finite f64 (the per-row log-sum-exp). Written out because
 * the std Math.log reads lookup tables from static data in linear memory, and this
 * module must keep no data there: the heap belongs to JS.
 */
export function logF64(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let e = <i32>(bits >> 52) - 1023;
  // Mantissa m in [1, 2); fold into [√½, √2) so that f = (m−1)/(m+1) stays ≤ 0.172.
  let m = reinterpret<f64>((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000);
  if (m > 1.4142135623730951) { m *= 0.5; e++; }
  const f = (m - 1.0) / (m + 1.0);
  const f2 = f * f;
  // 2·atanh(f) = 2f·Σ f^2i/(2i+1); nine terms leave < 1e-16 relative error.
  let t = 1.0 / 17.0;
  t = t * f2 + 1.0 / 15.0;
  t = t * f2 + 1.0 / 13.0;
  t = t * f2 + 1.0 / 11.0;
  t = t * f2 + 1.0 / 9.0;
  t = t * f2 + 1.0 / 7.0;
  t = t * f2 + 1.0 / 5.0;
  t = t * f2 + 1.0 / 3.0;
  t = t * f2 + 1.0;
  return <f64>e * 0.6931471805599453 + 2.0 * f * t;
}

/** 1/(1+e^−x): e^−x saturates to +Inf or 0, so ±1000 give exactly 0 and 1. */
@inline export function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

/** sign(x)·(1−e^{−2|x|})/(1+e^{−2|x|}): the exponent is never positive, so no Inf/Inf. */
@inline export function tanhV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const t = expV(f32x4.mul(f32x4.abs(x), f32x4.splat(-2.0)));
  const m = f32x4.div(f32x4.sub(one, t), f32x4.add(one, t));
  return v128.or(m, v128.and(x, f32x4.splat(-0.0)));
}

/** x for x > 0, α(e^x − 1) otherwise. */
@inline export function eluV(x: v128, alpha: v128): v128 {
  const neg = f32x4.mul(alpha, f32x4.sub(expV(x), f32x4.splat(1.0)));
  return v128.bitselect(x, neg, f32x4.gt(x, f32x4.splat(0.0)));
}

/** The element-wise part of an activation; softmax and linear pass through. */
@inline export function activateV(x: v128, act: i32, alpha: v128): v128 {
  switch (act) {
    case ACT_SIGMOID: return sigmoidV(x);
    case ACT_TANH: return tanhV(x);
    // pmax(x, c) = x < c ? c : x keeps NaN and is one instruction.
    case ACT_RELU: return f32x4.pmax(x, f32x4.splat(0.0));
    // x > 0 ? x : αx, not max(αx, x): the two differ for α > 1, which the API allows,
    // and only this form matches the derivative y > 0 ? 1 : α.
    case ACT_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, alpha), f32x4.gt(x, f32x4.splat(0.0)));
    case ACT_ELU: return eluV(x, alpha);
    default: return x;
  }
}

/** dy ⊙ act'(y) with the derivative taken from the output y; softmax is handled row-wise elsewhere. */
@inline export function backpropV(y: v128, dy: v128, act: i32, alpha: v128): v128 {
  const one = f32x4.splat(1.0);
  const pos = f32x4.gt(y, f32x4.splat(0.0));
  switch (act) {
    case ACT_SIGMOID: return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(one, y)));
    case ACT_TANH: return f32x4.mul(dy, f32x4.sub(one, f32x4.mul(y, y)));
    // A mask, not a multiply, so an infinite dy on a dead unit gives 0, not NaN.
    case ACT_RELU: return v128.and(dy, pos);
    case ACT_LEAKY_RELU: return f32x4.mul(dy, v128.bitselect(one, alpha, pos));
    case ACT_ELU: return f32x4.mul(dy, v128.bitselect(one, f32x4.add(y, alpha), pos));
    default: return dy;
  }
}

/** dst[i] = e^src[i] for n floats (the exported `exp`, so the vector exp can be tested alone). */
export function expArray(src: usize, dst: usize, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, expV(v128.load(src + o)));
  }
  for (let i = n4; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, expS(load<f32>(src + o)));
  }
}
