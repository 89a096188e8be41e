// Whole stretches of training in one call: the seeded shuffle of the row order,
// and a run of batches gathered from data resident in linear memory, each
// batch followed by the train program. A tiny network then pays one JS→wasm
// crossing per slice of an epoch instead of one per sample.
import { run } from "./program";
import { copyFloats } from "./vec";
import { OP_NARROW_STEP } from "./ops";
import { narrowStepAt } from "./narrow_step";
import { H_LR, H_LR_NOW, H_STEP, H_TABLE, rateOf } from "./optimizers";
import { P, I } from "./record";

/** One sfc32 step on the 4×u32 state at `state`; the same generator as src/random.ts. */
@inline function nextU32(state: usize): u32 {
  let a = load<u32>(state), b = load<u32>(state, 4), c = load<u32>(state, 8), d = load<u32>(state, 12);
  const t = a + b + d;
  d += 1;
  a = b ^ (b >>> 9);
  b = c + (c << 3);
  c = ((c << 21) | (c >>> 11)) + t;
  store<u32>(state, a);
  store<u32>(state, b, 4);
  store<u32>(state, c, 8);
  store<u32>(state, d, 12);
  return t;
}

/** Fisher–Yates over n u32 row indices; j = ⌊u32·(i+1) / 2³²⌋ (no modulo bias beyond 2⁻³²). */
export function shuffle(order: usize, n: i32, state: usize): void {
  for (let i = n - 1; i > 0; i--) {
    const j = <usize>((<u64>nextU32(state) * <u64>(i + 1)) >>> 32);
    const pi = order + (<usize>i << 2), pj = order + (j << 2);
    const t = load<u32>(pi);
    store<u32>(pi, load<u32>(pj));
    store<u32>(pj, t);
  }
}

/**
 * Rows [start, end) of the order, in batches of `batch` rows: copy each batch's
 * rows of x [·×p] and t [·×q] into the staging slots, then run the program. When a
 * step is refused (the i32 at `status` turns nonzero), stop there and record the
 * first row of that batch at status + 4. Returns false then.
 */
export function trainBatches(
  program: usize, nOps: i32, x: usize, t: usize, order: usize,
  start: i32, end: i32, batch: i32, p: i32, q: i32, stageX: usize, stageT: usize, status: usize,
): bool {
  if (batch == 1 && nOps == 1 && load<i32>(program) == OP_NARROW_STEP) {
    return narrowSteps(program, x, t, order, start, end, p, q, stageX, stageT, status);
  }
  const xRow = <usize>p << 2, tRow = <usize>q << 2;
  for (let s = start; s < end; s += batch) {
    const rows = min(batch, end - s);
    for (let r = 0; r < rows; r++) {
      const i = <usize>load<u32>(order + (<usize>(s + r) << 2));
      copyFloats(stageX + <usize>r * xRow, x + i * xRow, p);
      copyFloats(stageT + <usize>r * tRow, t + i * tRow, q);
    }
    run(program, nOps, rows);
    if (load<i32>(status) != 0) {
      store<i32>(status, s, 4);
      return false;
    }
  }
  return true;
}

/** trainBatches for a program that is one narrowStep record: its decode is paid once, not per step. */
function narrowSteps(
  record: usize, x: usize, t: usize, order: usize, start: i32, end: i32, p: i32, q: i32, stageX: usize, stageT: usize, status: usize,
): bool {
  const table = P(record, 1), layers = I(record, 2), lossKind = I(record, 3), target = P(record, 4);
  const lossSum = P(record, 5), correct = P(record, 6), reduction = I(record, 7), hyper = P(record, 8);
  const xRow = <usize>p << 2, tRow = <usize>q << 2;
  // The step count lives in a local and a fixed rate is read once (a schedule's table, when
  // there is one, per step), so each step pays for no loads and stores of the optimizer block.
  const scheduled = load<u32>(hyper + H_TABLE) != 0, fixed = load<f32>(hyper + H_LR);
  let step = load<f64>(hyper + H_STEP), lr = load<f32>(hyper + H_LR_NOW);
  let ok = true;
  for (let s = start; s < end; s++) {
    const i = <usize>load<u32>(order + (<usize>s << 2));
    copyFloats(stageX, x + i * xRow, p);
    copyFloats(stageT, t + i * tRow, q);
    const rate = scheduled ? rateOf(hyper, step) : fixed;
    if (!narrowStepAt(table, layers, lossKind, target, lossSum, correct, reduction, rate)) {
      store<i32>(status, 1);
      store<i32>(status, s, 4);
      ok = false;
      break;
    }
    lr = rate;
    step += 1;
  }
  store<f64>(hyper + H_STEP, step);
  store<f32>(hyper + H_LR_NOW, lr);
  return ok;
}

/**
 * `epochs` whole epochs over rows 0..n−1 of the order: each shuffled first when
 * `state` is not 0, its f64 loss and correct-count accumulators zeroed, trained,
 * and their totals stored in lossOut[e] and correctOut[e] (f64 arrays). A refused
 * step ends the call in its epoch, whose index goes to status + 8.
 */
export function trainEpochs(
  program: usize, nOps: i32, x: usize, t: usize, order: usize, n: i32, batch: i32, p: i32, q: i32,
  stageX: usize, stageT: usize, epochs: i32, state: usize, lossSum: usize, correct: usize, lossOut: usize, correctOut: usize, status: usize,
): void {
  for (let e = 0; e < epochs; e++) {
    if (state != 0) shuffle(order, n, state);
    store<f64>(lossSum, 0);
    store<f64>(correct, 0);
    if (!trainBatches(program, nOps, x, t, order, 0, n, batch, p, q, stageX, stageT, status)) {
      store<i32>(status, e, 8);
      return;
    }
    store<f64>(lossOut + (<usize>e << 3), load<f64>(lossSum));
    store<f64>(correctOut + (<usize>e << 3), load<f64>(correct));
  }
}
