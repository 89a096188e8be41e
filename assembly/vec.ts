// Small f32x4 helpers shared by the kernels: partial loads/stores for the 1–3
// element tails of unaligned rows, and horizontal sums.

/** Loads `cnt` (1..3) floats into the low lanes, zeros above: never reads past p + 4·cnt. */
@inline export function loadN(p: usize, cnt: i32): v128 {
  if (cnt == 1) return v128.load32_zero(p);
  const lo = v128.load64_zero(p);
  return cnt == 2 ? lo : v128.load32_lane(p, lo, 2, 8);
}

/** Stores the low `cnt` (1..3) lanes of v. */
@inline export function storeN(p: usize, v: v128, cnt: i32): void {
  if (cnt == 1) {
    v128.store32_lane(p, v, 0);
  } else {
    v128.store64_lane(p, v, 0);
    if (cnt == 3) v128.store32_lane(p, v, 2, 8);
  }
}

/** Loads `cnt` (1..4) floats into the low lanes, zeros above. */
@inline export function loadUpTo4(p: usize, cnt: i32): v128 {
  return cnt == 4 ? v128.load(p) : loadN(p, cnt);
}

/** Stores the low `cnt` (1..4) lanes of v. */
@inline export function storeUpTo4(p: usize, v: v128, cnt: i32): void {
  if (cnt == 4) v128.store(p, v);
  else storeN(p, v, cnt);
}

/**
 * dst[0..n) = src[0..n) for n floats (non-overlapping). A plain loop, not memory.copy:
 * V8 calls out for that, ~8 ns a call, which dominated per-sample batch staging.
 */
@inline export function copyFloats(dst: usize, src: usize, n: i32): void {
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
  if (bytes - o >= 8) {
    store<u64>(dst + o, load<u64>(src + o));
    o += 8;
  }
  if (bytes - o >= 4) store<u32>(dst + o, load<u32>(src + o));
}

/** Sum of the four lanes. */
@inline export function hsum(v: v128): f32 {
  const t = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(t, v128.shuffle<f32>(t, t, 1, 0, 3, 2)), 0);
}

/** [Σa, Σb, Σc, Σd]: four horizontal sums with three adds instead of eight. */
@inline export function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** Largest lane (NaN-free inputs). */
@inline export function hmax(v: v128): f32 {
  const t = f32x4.pmax(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.pmax(t, v128.shuffle<f32>(t, t, 1, 0, 3, 2)), 0);
}

/** Adds the four lanes of v, widened to f64, into the two lanes of acc. */
@inline export function accumulateF64(acc: v128, v: v128): v128 {
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(v));
  return f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
}

@inline export function hsumF64(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/**
 * acc + a·b. The relaxed build fuses it (f32x4.relaxed_madd, one rounding instead of
 * two), which is why the kernels agree with the JS twin only to a tolerance.
 */
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** acc + a·b rounded twice in every build (see the callers for why they avoid the fused form). */
@inline export function mulAdd(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}
