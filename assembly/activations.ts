// Element-wise and row-wise activations over [rows×cols] row-major matrices.
import { ACT_LINEAR, ACT_SOFTMAX } from "./ops";
import { expV, expS, activateV, backpropV } from "./math";
import { loadN, storeN, loadUpTo4, storeUpTo4, hsum, hmax } from "./vec";

/** Largest of `cols` floats (scalar tail: zero-filled lanes could win). */
export function rowMax(x: usize, cols: i32): f32 {
  const c4 = cols & ~3;
  let m: f32 = -Infinity;
  if (c4 > 0) {
    let mv = v128.load(x);
    for (let j = 4; j < c4; j += 4) mv = f32x4.pmax(mv, v128.load(x + (<usize>j << 2)));
    m = hmax(mv);
  }
  for (let j = c4; j < cols; j++) m = max(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

/** y = softmax(x) over one row of `cols` floats, max-subtracted; y may equal x. */
export function softmaxRow(x: usize, y: usize, cols: i32): void {
  const c4 = cols & ~3;
  const m = rowMax(x, cols);
  const mv = f32x4.splat(m);
  let sv = f32x4.splat(0.0);
  for (let j = 0; j < c4; j += 4) {
    const o = <usize>j << 2;
    const e = expV(f32x4.sub(v128.load(x + o), mv));
    v128.store(y + o, e);
    sv = f32x4.add(sv, e);
  }
  let s = hsum(sv);
  // Scalar tail: zero-filled lanes would add e^(−m) to the sum.
  for (let j = c4; j < cols; j++) {
    const o = <usize>j << 2;
    const e = expS(load<f32>(x + o) - m);
    store<f32>(y + o, e);
    s += e;
  }
  scaleRow(y, cols, 1.0 / s);
}

/** row *= k over `cols` floats. */
function scaleRow(y: usize, cols: i32, k: f32): void {
  const kv = f32x4.splat(k);
  const c4 = cols & ~3;
  for (let j = 0; j < c4; j += 4) {
    const p = y + (<usize>j << 2);
    v128.store(p, f32x4.mul(v128.load(p), kv));
  }
  if (c4 < cols) {
    const p = y + (<usize>c4 << 2);
    storeN(p, f32x4.mul(loadN(p, cols - c4), kv), cols - c4);
  }
}

/** dx_i = y_i·(dy_i − Σ_j y_j·dy_j) over one row; dx may equal dy. */
export function softmaxBackwardRow(y: usize, dy: usize, dx: usize, cols: i32): void {
  const c4 = cols & ~3;
  const rem = cols - c4;
  let dv = f32x4.splat(0.0);
  for (let j = 0; j < c4; j += 4) {
    const o = <usize>j << 2;
    dv = f32x4.add(dv, f32x4.mul(v128.load(y + o), v128.load(dy + o)));
  }
  const oT = <usize>c4 << 2;
  if (rem > 0) dv = f32x4.add(dv, f32x4.mul(loadN(y + oT, rem), loadN(dy + oT, rem)));
  const dot = f32x4.splat(hsum(dv));
  for (let j = 0; j < c4; j += 4) {
    const o = <usize>j << 2;
    v128.store(dx + o, f32x4.mul(v128.load(y + o), f32x4.sub(v128.load(dy + o), dot)));
  }
  if (rem > 0) storeN(dx + oT, f32x4.mul(loadN(y + oT, rem), f32x4.sub(loadN(dy + oT, rem), dot)), rem);
}

/** y = act(x) over [rows×cols]; x may equal y. */
export function activationForward(x: usize, y: usize, rows: i32, cols: i32, act: i32, alpha: f32): void {
  if (act == ACT_SOFTMAX) {
    const stride = <usize>cols << 2;
    for (let r = 0; r < rows; r++) softmaxRow(x + <usize>r * stride, y + <usize>r * stride, cols);
    return;
  }
  if (act == ACT_LINEAR && x == y) return;
  const n = rows * cols;
  const n4 = n & ~3;
  const av = f32x4.splat(alpha);
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, activateV(v128.load(x + o), act, av));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2;
    storeN(y + o, activateV(loadN(x + o, n - n4), act, av), n - n4);
  }
}

/** dx = dy ⊙ act'(y) over [rows×cols]; dx may equal dy. */
export function activationBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32, act: i32, alpha: f32): void {
  if (act == ACT_SOFTMAX) {
    const stride = <usize>cols << 2;
    for (let r = 0; r < rows; r++) {
      const o = <usize>r * stride;
      softmaxBackwardRow(y + o, dy + o, dx + o, cols);
    }
    return;
  }
  if (act == ACT_LINEAR && dx == dy) return;
  const n = rows * cols;
  const n4 = n & ~3;
  const av = f32x4.splat(alpha);
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, backpropV(v128.load(y + o), v128.load(dy + o), act, av));
  }
  if (n4 < n) {
    const o = <usize>n4 << 2;
    const rem = n - n4;
    storeN(dx + o, backpropV(loadN(y + o, rem), loadN(dy + o, rem), act, av), rem);
  }
}

/** dy ← dy ⊙ act'(y) in place, db (+)= column sums of the new dy: one pass over dy. */
export function denseBackwardEpilogue(
  y: usize, dy: usize, db: usize, rows: i32, cols: i32, act: i32, alpha: f32, accumulate: i32,
): void {
  if (act == ACT_SOFTMAX) {
    activationBackward(y, dy, dy, rows, cols, act, alpha);
    act = ACT_LINEAR;
  }
  const stride = <usize>cols << 2;
  const av = f32x4.splat(alpha);
  const zero = f32x4.splat(0.0);
  let j = 0;
  // 16 columns at a time: four column sums stay in registers down all rows.
  for (; j + 16 <= cols; j += 16) {
    const o = <usize>j << 2;
    let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    if (accumulate != 0) {
      s0 = v128.load(db + o); s1 = v128.load(db + o, 16);
      s2 = v128.load(db + o, 32); s3 = v128.load(db + o, 48);
    }
    let py = y + o, pd = dy + o;
    for (let r = 0; r < rows; r++) {
      const g0 = backpropV(v128.load(py), v128.load(pd), act, av);
      const g1 = backpropV(v128.load(py, 16), v128.load(pd, 16), act, av);
      const g2 = backpropV(v128.load(py, 32), v128.load(pd, 32), act, av);
      const g3 = backpropV(v128.load(py, 48), v128.load(pd, 48), act, av);
      v128.store(pd, g0); v128.store(pd, g1, 16); v128.store(pd, g2, 32); v128.store(pd, g3, 48);
      s0 = f32x4.add(s0, g0); s1 = f32x4.add(s1, g1);
      s2 = f32x4.add(s2, g2); s3 = f32x4.add(s3, g3);
      py += stride; pd += stride;
    }
    v128.store(db + o, s0); v128.store(db + o, s1, 16);
    v128.store(db + o, s2, 32); v128.store(db + o, s3, 48);
  }
  for (; j < cols; j += 4) {
    const o = <usize>j << 2;
    const cnt = min(cols - j, 4);
    let s = zero;
    if (accumulate != 0) s = loadUpTo4(db + o, cnt);
    let py = y + o, pd = dy + o;
    for (let r = 0; r < rows; r++) {
      if (cnt == 4) {
        const g = backpropV(v128.load(py), v128.load(pd), act, av);
        v128.store(pd, g);
        s = f32x4.add(s, g);
      } else {
        const g = backpropV(loadN(py, cnt), loadN(pd, cnt), act, av);
        storeN(pd, g, cnt);
        s = f32x4.add(s, g);
      }
      py += stride; pd += stride;
    }
    storeUpTo4(db + o, s, cnt);
  }
}
