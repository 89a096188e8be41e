// One whole per-sample SGD step of a stack of narrow dense layers (each at most four
// units wide): forward, loss, backward and update in one kernel. A step of the lecture's
// 2→4→1 network is ~50 ns of dependent arithmetic; as nine interpreted ops it also paid a
// record decode, a call and a trip through memory per op, about as much again. Here each
// layer's output reaches the next layer, and each gradient the layer below, in a register.
import { LOSS_KIND_MSE, LOSS_KIND_SIGMOID_CROSS_ENTROPY, STEP_LAYER_WORDS } from "./ops";
import { activateV, backpropV } from "./math";
import { loadUpTo4, storeUpTo4, hsum4, hsumF64, accumulateF64 } from "./vec";
import { narrowRow } from "./narrow";
import { P, I, F } from "./record";
import { softmaxCrossEntropy, sigmoidCrossEntropy, countCorrect } from "./losses";
import { H_STATUS, endStep, stepRate } from "./optimizers";


@inline function layerAt(table: usize, l: i32): usize {
  return table + <usize>l * (<usize>STEP_LAYER_WORDS << 2);
}

@inline function alphaOf(layer: usize): v128 {
  return f32x4.splat(F(layer, 10));
}

/** Row k of W — the weights from input k — or zeros past the input width. */
@inline function weightRow(w: usize, k: i32, inDim: i32, outDim: i32): v128 {
  return k < inDim ? loadUpTo4(w + <usize>k * (<usize>outDim << 2), outDim) : f32x4.splat(0.0);
}

/**
 * a·W + b for an input of at most four values held in the lanes of `a` (lanes past
 * inDim may hold anything finite). One output: a dot product, a shorter chain than
 * four dependent adds.
 */
@inline function narrowRowFromLanes(a: v128, w: usize, b: usize, inDim: i32, outDim: i32): v128 {
  if (outDim == 1) {
    // The sum lands in every lane; lanes past the one output are never stored or used.
    const v = f32x4.mul(a, loadUpTo4(w, inDim));
    const h = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    return f32x4.add(f32x4.add(h, v128.shuffle<f32>(h, h, 1, 0, 3, 2)), v128.load32_zero(b));
  }
  const ldw = <usize>outDim << 2;
  let acc = f32x4.add(loadUpTo4(b, outDim), f32x4.mul(v128.shuffle<f32>(a, a, 0, 0, 0, 0), loadUpTo4(w, outDim)));
  if (inDim > 1) acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(a, a, 1, 1, 1, 1), loadUpTo4(w + ldw, outDim)));
  if (inDim > 2) acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(a, a, 2, 2, 2, 2), loadUpTo4(w + 2 * ldw, outDim)));
  if (inDim > 3) acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(a, a, 3, 3, 3, 3), loadUpTo4(w + 3 * ldw, outDim)));
  return acc;
}

/** dz·Wᵀ: the gradient of a layer's (at most four) inputs, zeros past inDim. */
@inline function inputGradient(dz: v128, w: usize, inDim: i32, outDim: i32): v128 {
  // One output: W is a column, and the gradient is that column scaled.
  if (outDim == 1) return f32x4.mul(v128.shuffle<f32>(dz, dz, 0, 0, 0, 0), loadUpTo4(w, inDim));
  return hsum4(
    f32x4.mul(dz, weightRow(w, 0, inDim, outDim)), f32x4.mul(dz, weightRow(w, 1, inDim, outDim)),
    f32x4.mul(dz, weightRow(w, 2, inDim, outDim)), f32x4.mul(dz, weightRow(w, 3, inDim, outDim)),
  );
}

/**
 * `layers` records of STEP_LAYER_WORDS words at `table` (x w b y dy dW db inDim outDim
 * act alphaBits), each x being the y below it; `hyper` is the SGD block of optimizers.ts.
 * A non-finite loss refuses the step before any weight changes. See Op.narrowStep in
 * src/backend/ops.ts.
 */
export function narrowStep(
  table: usize, layers: i32, lossKind: i32, t: usize, lossSum: usize, correct: usize, reduction: i32, hyper: usize,
): void {
  const lr = stepRate(hyper);
  if (narrowStepAt(table, layers, lossKind, t, lossSum, correct, reduction, lr)) endStep(hyper, lr);
  else store<i32>(hyper + H_STATUS, 1);
}

/**
 * narrowStep at the rate `lr`, leaving the step count to the caller (the epoch driver keeps
 * it in a local across its steps: at ~60 ns a step, the block's loads and stores showed).
 * Returns false, having changed no weight, when the loss is not finite.
 */
@inline export function narrowStepAt(
  table: usize, layers: i32, lossKind: i32, t: usize, lossSum: usize, correct: usize, reduction: i32, lr: f32,
): bool {
  const top = layerAt(table, layers - 1);
  // The cross-entropies apply the top layer's activation themselves.
  const topAct = lossKind == LOSS_KIND_MSE ? I(top, 9) : 0;
  const first = layerAt(table, 0);
  let z = narrowRow(P(first, 0), P(first, 1), P(first, 2), I(first, 7), I(first, 8));
  for (let l = 0; l < layers; l++) {
    const layer = layerAt(table, l);
    if (l > 0) z = narrowRowFromLanes(z, P(layer, 1), P(layer, 2), I(layer, 7), I(layer, 8));
    z = activateV(z, layer == top ? topAct : I(layer, 9), alphaOf(layer));
    storeUpTo4(P(layer, 3), z, I(layer, 8));
  }
  const out = P(top, 3), dy = P(top, 4), cols = I(top, 8);
  let g: v128;
  if (lossKind == LOSS_KIND_MSE) {
    // As meanSquaredError: dy = 2(y − t)·scale, Σ(y − t)² in f64. Lanes past the width are not outputs.
    const live = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(cols));
    const d = v128.and(f32x4.sub(z, loadUpTo4(t, cols)), live);
    store<f64>(lossSum, load<f64>(lossSum) + hsumF64(accumulateF64(f64x2.splat(0.0), f32x4.mul(d, d))));
    g = f32x4.mul(d, f32x4.splat(reduction == 0 ? <f32>2.0 / <f32>cols : <f32>2.0));
    storeUpTo4(dy, g, cols);
  } else {
    if (lossKind == LOSS_KIND_SIGMOID_CROSS_ENTROPY) sigmoidCrossEntropy(out, t, out, dy, 1, cols, lossSum, reduction);
    else softmaxCrossEntropy(out, t, out, dy, 1, cols, lossSum, reduction);
    g = loadUpTo4(dy, cols);
  }
  if (correct != 0) countCorrect(out, t, 1, cols, correct);
  const loss = load<f64>(lossSum);
  if (loss - loss != 0) return false;

  // Backward from the top; each dz is also stored in its layer's dy slot, where the
  // unfused ops leave it.
  const rate = f32x4.splat(lr);
  for (let l = layers - 1; l >= 0; l--) {
    const layer = layerAt(table, l);
    const x = P(layer, 0), w = P(layer, 1), b = P(layer, 2);
    const inDim = I(layer, 7), outDim = I(layer, 8);
    // The top layer's output is still in a register (reloading it would wait on its store).
    const y = layer == top ? z : loadUpTo4(P(layer, 3), outDim);
    const dz = backpropV(y, g, layer == top ? topAct : I(layer, 9), alphaOf(layer));
    storeUpTo4(P(layer, 4), dz, outDim);
    // From the weights the forward pass used; the first layer's input needs no gradient.
    if (l > 0) g = inputGradient(dz, w, inDim, outDim);
    const ob = <usize>outDim << 2;
    const dW = P(layer, 5), db = P(layer, 6);
    for (let k = 0; k < inDim; k++) {
      const o = <usize>k * ob;
      const gk = f32x4.mul(v128.load32_splat(x + (<usize>k << 2)), dz);
      storeUpTo4(dW + o, gk, outDim);
      storeUpTo4(w + o, f32x4.sub(loadUpTo4(w + o, outDim), f32x4.mul(rate, gk)), outDim);
    }
    storeUpTo4(db, dz, outDim);
    storeUpTo4(b, f32x4.sub(loadUpTo4(b, outDim), f32x4.mul(rate, dz)), outDim);
  }
  return true;
}
