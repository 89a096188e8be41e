// The update rules, each one fused pass over the contiguous parameter region, with
// their moments in regions of the same layout. Hyperparameters and the step count live
// in a block of the heap (offsets below, mirrored by src/optimizers.ts), so changing
// the learning rate or following a schedule needs no new program. Conventions follow
// PyTorch: momentum outside the learning rate, ε added to √v̂, decoupled decay in AdamW.
import { loadN, storeN, accumulateF64, hsumF64 } from "./vec";

export const OPT_SGD: i32 = 0;
export const OPT_ADAM: i32 = 1;
export const OPT_ADAMW: i32 = 2;
export const OPT_RMSPROP: i32 = 3;

// Byte offsets in the hyperparameter block.
export const H_LR: usize = 0; // f32, base rate (the caller keeps it current)
export const H_BETA1: usize = 4; // f32, β1 / SGD momentum / RMSProp ρ
export const H_BETA2: usize = 8; // f32
export const H_EPS: usize = 12; // f32
export const H_DECAY: usize = 16; // f32, weight decay
export const H_CLIP: usize = 20; // f32, global-norm clip (0: none)
export const H_NESTEROV: usize = 24; // i32
export const H_MOMENTUM: usize = 28; // f32, RMSProp's momentum
export const H_STEP: usize = 32; // f64, steps taken
export const H_BETA1_POW: usize = 40; // f64, β1^t
export const H_BETA2_POW: usize = 48; // f64, β2^t
export const H_GRAD_SQ: usize = 56; // f64, Σg² of the last step (the guard writes it)
export const H_TABLE: usize = 64; // i32, learning rates of steps first… (f32), or 0
export const H_TABLE_LENGTH: usize = 68; // i32
export const H_TABLE_FIRST: usize = 72; // f64, the step of the table's first rate
export const H_LR_NOW: usize = 80; // f32, the rate of the step in progress
export const H_STATUS: usize = 84; // i32, 1 once a step was refused as non-finite

/** Σg² in f64; true when it and the loss so far are finite (the step may be taken). */
export function guard(g: usize, n: i32, lossSum: usize, hyper: usize): bool {
  let acc = f64x2.splat(0.0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const v = v128.load(g + (<usize>i << 2));
    acc = accumulateF64(acc, f32x4.mul(v, v));
  }
  if (n4 < n) {
    const v = loadN(g + (<usize>n4 << 2), n - n4);
    acc = accumulateF64(acc, f32x4.mul(v, v));
  }
  const sq = hsumF64(acc);
  store<f64>(hyper + H_GRAD_SQ, sq);
  const loss = load<f64>(lossSum);
  // lr·s·‖g‖ bounds how far plain SGD moves any weight: beyond MAX_STEP one could overflow float32.
  const norm = Math.sqrt(sq);
  const fits = <f64>rateOf(hyper, load<f64>(hyper + H_STEP)) * <f64>clipScale(hyper, norm) * norm <= MAX_STEP;
  if (loss - loss == 0 && sq - sq == 0 && fits) return true;
  store<i32>(hyper + H_STATUS, 1);
  return false;
}

/** Largest step the guard lets through (float32 overflows at 3.4·10³⁸). */
const MAX_STEP: f64 = 1e38;

/** The factor clipNorm scales a gradient of norm `norm` by (1 without clipping). */
@inline function clipScale(hyper: usize, norm: f64): f32 {
  const clip = load<f32>(hyper + H_CLIP);
  return clip > 0 ? <f32>min(1.0, <f64>clip / (norm + 1e-6)) : 1.0;
}

/** The step's learning rate: from the schedule's table when it covers the step, else the base rate. */
@inline export function rateOf(hyper: usize, step: f64): f32 {
  const table = <usize>load<u32>(hyper + H_TABLE);
  const index = step - load<f64>(hyper + H_TABLE_FIRST);
  if (table != 0 && index >= 0 && index < <f64>load<i32>(hyper + H_TABLE_LENGTH)) return load<f32>(table + (<usize>(<i32>index) << 2));
  return load<f32>(hyper + H_LR);
}

/** The rate of the step about to be taken (the count not advanced). */
export function stepRate(hyper: usize): f32 {
  return rateOf(hyper, load<f64>(hyper + H_STEP));
}

/** A step taken at `lr`: advance the count and record its rate. */
export function endStep(hyper: usize, lr: f32): void {
  store<f64>(hyper + H_STEP, load<f64>(hyper + H_STEP) + 1);
  store<f32>(hyper + H_LR_NOW, lr);
}

/** Advance the step count and set the step's rate; returns the rate. */
export function beginStep(hyper: usize): f32 {
  const lr = stepRate(hyper);
  endStep(hyper, lr);
  return lr;
}

/** One update of n parameters w from gradients g, with the moments m and v of the rule `kind`. */
export function optimizerStep(kind: i32, w: usize, g: usize, m: usize, v: usize, n: i32, hyper: usize): void {
  const lr = beginStep(hyper);
  const scale = clipScale(hyper, Math.sqrt(load<f64>(hyper + H_GRAD_SQ)));
  const decay = load<f32>(hyper + H_DECAY), beta1 = load<f32>(hyper + H_BETA1);
  if (kind == OPT_SGD) sgd(w, g, m, n, lr, scale, decay, beta1, load<i32>(hyper + H_NESTEROV) != 0);
  else if (kind == OPT_RMSPROP) rmsprop(w, g, m, v, n, lr, scale, decay, beta1, load<f32>(hyper + H_EPS), load<f32>(hyper + H_MOMENTUM));
  else {
    const beta2 = load<f32>(hyper + H_BETA2);
    const p1 = load<f64>(hyper + H_BETA1_POW) * <f64>beta1, p2 = load<f64>(hyper + H_BETA2_POW) * <f64>beta2;
    store<f64>(hyper + H_BETA1_POW, p1);
    store<f64>(hyper + H_BETA2_POW, p2);
    // PyTorch's form: w −= (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
    const stepSize = <f32>(<f64>lr / (1.0 - p1)), root = <f32>(1.0 / Math.sqrt(1.0 - p2));
    adam(w, g, m, v, n, lr, scale, decay, beta1, beta2, load<f32>(hyper + H_EPS), stepSize, root, kind == OPT_ADAMW);
  }
}

@inline function ldN(p: usize, i: i32, n: i32): v128 {
  return n - i >= 4 ? v128.load(p + (<usize>i << 2)) : loadN(p + (<usize>i << 2), n - i);
}

@inline function stN(p: usize, i: i32, n: i32, v: v128): void {
  if (n - i >= 4) v128.store(p + (<usize>i << 2), v);
  else storeN(p + (<usize>i << 2), v, n - i);
}

/** g' = s·g + λw; with momentum μ: m = μm + g', step = nesterov ? g' + μm : m; w −= lr·step. */
function sgd(w: usize, g: usize, m: usize, n: i32, lr: f32, scale: f32, decay: f32, mu: f32, nesterov: bool): void {
  const rate = f32x4.splat(lr), s = f32x4.splat(scale), l = f32x4.splat(decay), u = f32x4.splat(mu);
  for (let i = 0; i < n; i += 4) {
    const wv = ldN(w, i, n);
    const gv = f32x4.add(f32x4.mul(s, ldN(g, i, n)), f32x4.mul(l, wv));
    let step = gv;
    if (mu != 0) {
      const mv = f32x4.add(f32x4.mul(u, ldN(m, i, n)), gv);
      stN(m, i, n, mv);
      step = nesterov ? f32x4.add(gv, f32x4.mul(u, mv)) : mv;
    }
    stN(w, i, n, f32x4.sub(wv, f32x4.mul(rate, step)));
  }
}

/** Adam with L2 decay (g' = s·g + λw), or AdamW (w ← w − lr·λ·w, then Adam on s·g). */
function adam(
  w: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, scale: f32, decay: f32,
  beta1: f32, beta2: f32, eps: f32, stepSize: f32, root: f32, decoupled: bool,
): void {
  const s = f32x4.splat(scale), b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2);
  const c1 = f32x4.splat(<f32>1.0 - beta1), c2 = f32x4.splat(<f32>1.0 - beta2);
  const e = f32x4.splat(eps), k = f32x4.splat(stepSize), rt = f32x4.splat(root);
  const l = f32x4.splat(decay), shrink = f32x4.splat(<f32>1.0 - lr * decay);
  for (let i = 0; i < n; i += 4) {
    let wv = ldN(w, i, n);
    let gv = f32x4.mul(s, ldN(g, i, n));
    if (decoupled) wv = f32x4.mul(wv, shrink);
    else gv = f32x4.add(gv, f32x4.mul(l, wv));
    const mv = f32x4.add(f32x4.mul(b1, ldN(m, i, n)), f32x4.mul(c1, gv));
    const vv = f32x4.add(f32x4.mul(b2, ldN(v, i, n)), f32x4.mul(c2, f32x4.mul(gv, gv)));
    stN(m, i, n, mv);
    stN(v, i, n, vv);
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vv), rt), e);
    stN(w, i, n, f32x4.sub(wv, f32x4.mul(k, f32x4.div(mv, denom))));
  }
}

/** v = ρv + (1−ρ)g'²; with momentum μ: m = μm + g'/(√v+ε), w −= lr·m; else w −= lr·g'/(√v+ε). */
function rmsprop(w: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, scale: f32, decay: f32, rho: f32, eps: f32, mu: f32): void {
  const rate = f32x4.splat(lr), s = f32x4.splat(scale), l = f32x4.splat(decay);
  const r = f32x4.splat(rho), c = f32x4.splat(<f32>1.0 - rho), e = f32x4.splat(eps), u = f32x4.splat(mu);
  for (let i = 0; i < n; i += 4) {
    const wv = ldN(w, i, n);
    const gv = f32x4.add(f32x4.mul(s, ldN(g, i, n)), f32x4.mul(l, wv));
    const vv = f32x4.add(f32x4.mul(r, ldN(v, i, n)), f32x4.mul(c, f32x4.mul(gv, gv)));
    stN(v, i, n, vv);
    let step = f32x4.div(gv, f32x4.add(f32x4.sqrt(vv), e));
    if (mu != 0) {
      step = f32x4.add(f32x4.mul(u, ldN(m, i, n)), step);
      stN(m, i, n, step);
    }
    stN(w, i, n, f32x4.sub(wv, f32x4.mul(rate, step)));
  }
}
