// Output losses: each writes the probabilities and the scaled gradient, and adds the
// unscaled loss summed over the batch to an f64 in the heap.
import { REDUCTION_MEAN } from "./ops";
import { expV, expS, log1pUnitV, logF64 } from "./math";
import { loadN, storeN, hsum, accumulateF64, hsumF64 } from "./vec";
import { rowMax } from "./activations";

/** p = softmax(z) (p may equal z); dz = (p − t)·scale; *lossSum += Σ −t·log p via log-sum-exp. */
export function softmaxCrossEntropy(
  z: usize, t: usize, p: usize, dz: usize, rows: i32, cols: i32, lossSum: usize, reduction: i32,
): void {
  const scale = f32x4.splat(reduction == REDUCTION_MEAN ? <f32>1.0 / <f32>rows : <f32>1.0);
  const stride = <usize>cols << 2;
  const c4 = cols & ~3;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const ro = <usize>r * stride;
    const zr = z + ro, tr = t + ro, pr = p + ro, dr = dz + ro;
    const m = rowMax(zr, cols);
    const mv = f32x4.splat(m);
    // One pass: e = e^(z−m) into p (z is dead after it), Σe, Σt and Σ t·(z−m).
    let sv = f32x4.splat(0.0), tsv = sv, tz = f64x2.splat(0.0);
    for (let j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      const zm = f32x4.sub(v128.load(zr + o), mv);
      const tv = v128.load(tr + o);
      const e = expV(zm);
      v128.store(pr + o, e);
      sv = f32x4.add(sv, e);
      tsv = f32x4.add(tsv, tv);
      tz = accumulateF64(tz, f32x4.mul(tv, zm));
    }
    let s = hsum(sv);
    let ts = <f64>hsum(tsv), tzs = hsumF64(tz);
    for (let j = c4; j < cols; j++) {
      const o = <usize>j << 2;
      const zm = load<f32>(zr + o) - m;
      const tj = load<f32>(tr + o);
      const e = expS(zm);
      store<f32>(pr + o, e);
      s += e;
      ts += tj;
      tzs += <f64>tj * <f64>zm;
    }
    // −Σ t·(z − m − log s) = Σt·log s − Σ t·(z − m).
    total += ts * logF64(<f64>s) - tzs;
    const inv = f32x4.splat(<f32>1.0 / s);
    for (let j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      const pv = f32x4.mul(v128.load(pr + o), inv);
      v128.store(dr + o, f32x4.mul(f32x4.sub(pv, v128.load(tr + o)), scale));
      v128.store(pr + o, pv);
    }
    if (c4 < cols) {
      const o = <usize>c4 << 2, rem = cols - c4;
      const pv = f32x4.mul(loadN(pr + o, rem), inv);
      storeN(dr + o, f32x4.mul(f32x4.sub(pv, loadN(tr + o, rem)), scale), rem);
      storeN(pr + o, pv, rem);
    }
  }
  store<f64>(lossSum, load<f64>(lossSum) + total);
}

/** One vector of sigmoid CE: writes p and dz, returns the per-lane loss. */
@inline function sigmoidCEV(z: v128, t: v128, p: usize, dz: usize, scale: v128, cnt: i32): v128 {
  const zero = f32x4.splat(0.0), one = f32x4.splat(1.0);
  const e = expV(f32x4.neg(f32x4.abs(z)));
  const inv = f32x4.div(one, f32x4.add(one, e));
  // σ(z) = 1/(1+e^−z) for z ≥ 0, e^z/(1+e^z) below: both accurate, neither overflows.
  const pv = v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(z, zero));
  const loss = f32x4.add(f32x4.sub(f32x4.pmax(z, zero), f32x4.mul(z, t)), log1pUnitV(e));
  const g = f32x4.mul(f32x4.sub(pv, t), scale);
  if (cnt == 4) {
    v128.store(p, pv);
    v128.store(dz, g);
  } else {
    storeN(p, pv, cnt);
    storeN(dz, g, cnt);
  }
  return loss;
}

/** p = σ(z) (p may equal z); dz = (p − t)·scale; *lossSum += Σ max(z,0) − z·t + log(1+e^−|z|). */
export function sigmoidCrossEntropy(
  z: usize, t: usize, p: usize, dz: usize, rows: i32, cols: i32, lossSum: usize, reduction: i32,
): void {
  const n = rows * cols;
  const scale = f32x4.splat(reduction == REDUCTION_MEAN ? <f32>1.0 / <f32>n : <f32>1.0);
  const n4 = n & ~3;
  let acc = f64x2.splat(0.0);
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    acc = accumulateF64(acc, sigmoidCEV(v128.load(z + o), v128.load(t + o), p + o, dz + o, scale, 4));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2, rem = n - n4;
    const loss = sigmoidCEV(loadN(z + o, rem), loadN(t + o, rem), p + o, dz + o, scale, rem);
    // Zero-filled lanes would each add log 2.
    const live = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(rem));
    acc = accumulateF64(acc, v128.and(loss, live));
  }
  store<f64>(lossSum, load<f64>(lossSum) + hsumF64(acc));
}

/** dy = 2(y − t)·scale; *lossSum += Σ (y − t)². */
export function meanSquaredError(y: usize, t: usize, dy: usize, rows: i32, cols: i32, lossSum: usize, reduction: i32): void {
  const n = rows * cols;
  const k = f32x4.splat(reduction == REDUCTION_MEAN ? <f32>2.0 / <f32>n : <f32>2.0);
  const n4 = n & ~3;
  let acc = f64x2.splat(0.0);
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.sub(v128.load(y + o), v128.load(t + o));
    acc = accumulateF64(acc, f32x4.mul(d, d));
    v128.store(dy + o, f32x4.mul(d, k));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2, rem = n - n4;
    const d = f32x4.sub(loadN(y + o, rem), loadN(t + o, rem));
    acc = accumulateF64(acc, f32x4.mul(d, d));
    storeN(dy + o, f32x4.mul(d, k), rem);
  }
  store<f64>(lossSum, load<f64>(lossSum) + hsumF64(acc));
}

/** First index of the largest of `cols` floats. */
function argmax(x: usize, cols: i32): i32 {
  let best = load<f32>(x), at = 0;
  for (let j = 1; j < cols; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    if (v > best) { best = v; at = j; }
  }
  return at;
}

/** *correct += rows whose argmax p equals argmax t (cols = 1: (p ≥ .5) == (t ≥ .5)). */
export function countCorrect(p: usize, t: usize, rows: i32, cols: i32, correct: usize): void {
  const stride = <usize>cols << 2;
  let hits = 0;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * stride;
    if (cols == 1) {
      if ((load<f32>(p + o) >= 0.5) == (load<f32>(t + o) >= 0.5)) hits++;
    } else if (argmax(p + o, cols) == argmax(t + o, cols)) {
      hits++;
    }
  }
  store<f64>(correct, load<f64>(correct) + <f64>hits);
}
