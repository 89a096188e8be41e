// A built model's machinery: the arena, where each layer's tensors live, and
// the three programs (infer, evaluate, train) compiled from the layers' ops.
// The public API in model.ts validates and then drives this.

import type { Kernels } from './backend/kernels.js';
import { Op, Reduction, STEP_LAYER_WORDS } from './backend/ops.js';
import type { Layer, LayerIO } from './layers/layer.js';
import type { Loss } from './losses.js';
import type { SGD } from './optimizers.js';
import { Arena, type ParamLayout, layoutParams } from './plan.js';
import { type Program, ProgramBuilder } from './program.js';
import type { Random } from './random.js';

export interface EpochLog {
  readonly loss: number;
  readonly correct: number;
}

export interface BatchPlan {
  readonly capacity: number;
  readonly x: number;
  readonly t: number;
  readonly output: number;
  readonly infer: Program;
  readonly evaluate: Program;
  readonly train: Program;
}

export class Engine {
  readonly arena: Arena;
  readonly params: ParamLayout;
  /** f32 learning rate; f64 accumulators of the summed loss and of correct predictions. */
  readonly lr: number;
  readonly lossSum: number;
  readonly correct: number;
  /** sfc32 state (4×u32) of the in-kernel shuffle. */
  readonly shuffleState: number;
  private readonly batchBase: number;
  private batch: BatchPlan | null = null;

  constructor(
    readonly kernels: Kernels,
    readonly layers: readonly Layer[],
    readonly loss: Loss,
    readonly optimizer: SGD,
    readonly absorbed: boolean,
    rng: Random,
  ) {
    this.arena = new Arena(kernels.heap, kernels.heapStart);
    const scalars = this.arena.claim(6);
    this.lr = scalars.offset;
    this.lossSum = scalars.offset + 8;
    this.correct = scalars.offset + 16;
    this.shuffleState = this.arena.claim(4).offset;
    this.params = layoutParams(
      this.arena,
      layers.flatMap((layer, i) => layer.paramSpecs().map((s) => ({ ...s, name: `${i}.${s.name}` }))),
    );
    let at = 0;
    for (const layer of layers) {
      const n = layer.paramSpecs().length;
      layer.attachParams(this.params.refs.slice(at, at + n));
      at += n;
    }
    for (const layer of layers) {
      layer.initialize(kernels.heap.f32, rng);
      layer.built = true;
    }
    this.batchBase = this.arena.mark;
  }

  get inputSize(): number {
    return this.layers[0].inputSize;
  }

  get outputSize(): number {
    return this.layers[this.layers.length - 1].outputSize;
  }

  get capacity(): number {
    return this.batch?.capacity ?? 0;
  }

  /** The batch plan for at least `rows` rows; a larger batch re-plans activations and programs, never parameters. */
  plan(rows: number): BatchPlan {
    if (this.batch && this.batch.capacity >= rows) return this.batch;
    this.arena.release(this.batchBase);
    const cap = rows;
    const x = this.arena.claim(cap * this.inputSize).offset;
    const t = this.arena.claim(cap * this.outputSize).offset;
    const ios: LayerIO[] = [];
    let input = x;
    let inputGrad: number | null = null;
    this.layers.forEach((layer, i) => {
      const y = this.arena.claim(cap * layer.outputSize).offset;
      const dy = this.arena.claim(cap * layer.outputSize).offset;
      layer.claimScratch(this.arena, cap);
      ios.push({ x: input, y, dy, dx: inputGrad, absorbed: this.absorbed && i === this.layers.length - 1 });
      input = y;
      inputGrad = dy;
    });
    const last = ios[ios.length - 1];
    const heap = this.kernels.heap;

    const infer = new ProgramBuilder();
    this.layers.forEach((layer, i) => layer.forward(infer, { ...ios[i], absorbed: false }));

    const forwardAndLoss = (p: ProgramBuilder) => {
      this.layers.forEach((layer, i) => layer.forward(p, ios[i]));
      this.loss.emit(p, { y: last.y, t, dy: last.dy, cols: this.outputSize, lossSum: this.lossSum });
      if (this.tracksAccuracy) p.emit(Op.countCorrect, last.y, t, this.outputSize, this.correct);
    };
    const evaluate = new ProgramBuilder();
    forwardAndLoss(evaluate);
    const train = new ProgramBuilder();
    // Per-sample training of narrow layers is all overhead as separate ops: one fused op.
    const records = cap === 1 ? this.layers.map((layer, i) => layer.narrowStepRecord(ios[i])) : [];
    if (records.length > 0 && records.every((r) => r !== null)) {
      const table = this.arena.claim(records.length * STEP_LAYER_WORDS);
      records.forEach((r, i) => heap.i32.set(r as number[], (table.offset >> 2) + i * STEP_LAYER_WORDS));
      const correct = this.tracksAccuracy ? this.correct : 0;
      train.emit(Op.narrowStep, table.offset, records.length, this.loss.kind, t, this.lossSum, correct, Reduction[this.loss.reduction], this.lr);
    } else {
      forwardAndLoss(train);
      for (let i = this.layers.length - 1; i >= 0; i--) this.layers[i].backward(train, ios[i]);
      this.optimizer.emitUpdate(train, this.params.values, this.params.grads, this.lr);
    }

    this.batch = {
      capacity: cap,
      x,
      t,
      output: last.y,
      infer: infer.store(this.arena, heap),
      evaluate: evaluate.store(this.arena, heap),
      train: train.store(this.arena, heap),
    };
    return this.batch;
  }

  /** Copy a matrix into the arena above the batch plan, where it stays until releaseResident(). */
  makeResident(data: Float32Array): number {
    const slot = this.arena.claim(data.length);
    this.kernels.heap.f32.set(data, slot.offset >> 2);
    return slot.offset;
  }

  /** The row order 0…n−1 as u32 above the batch plan, for the in-kernel shuffle. */
  residentOrder(n: number): number {
    const slot = this.arena.claim(n);
    this.kernels.heap.i32.set(identityOrder(n), slot.offset >> 2);
    return slot.offset;
  }

  seedShuffle(rng: Random): void {
    const ints = this.kernels.heap.i32;
    for (let i = 0; i < 4; i++) ints[(this.shuffleState >> 2) + i] = rng.uint32();
  }

  releaseResident(mark: number): void {
    this.arena.release(mark);
  }

  /** Accuracy is counted for softmax cross-entropy and for single-output binary cross-entropy. */
  get tracksAccuracy(): boolean {
    return this.loss.name === 'crossEntropy' || (this.loss.name === 'binaryCrossEntropy' && this.outputSize === 1);
  }

  resetAccumulators(): void {
    const f64 = this.kernels.heap.f64;
    f64[this.lossSum >> 3] = 0;
    f64[this.correct >> 3] = 0;
  }

  restoreAccumulators(loss: number, correct: number): void {
    const f64 = this.kernels.heap.f64;
    f64[this.lossSum >> 3] = loss;
    f64[this.correct >> 3] = correct;
  }

  get summedLoss(): number {
    return this.kernels.heap.f64[this.lossSum >> 3];
  }

  get correctCount(): number {
    return this.kernels.heap.f64[this.correct >> 3];
  }

  writeLearningRate(): void {
    this.kernels.heap.f32[this.lr >> 2] = this.optimizer.lr;
  }

  /** Copy rows [start, start+rows) of x (and targets) into the staging slots. */
  stage(plan: BatchPlan, x: Float32Array, t: Float32Array | null, start: number, rows: number): void {
    const f = this.kernels.heap.f32;
    const p = this.inputSize, q = this.outputSize;
    f.set(x.subarray(start * p, (start + rows) * p), plan.x >> 2);
    if (t) f.set(t.subarray(start * q, (start + rows) * q), plan.t >> 2);
  }

  /** Train on rows [start, end) of the resident order in batches of `batch`: one backend call. */
  trainRows(plan: BatchPlan, data: { x: number; t: number; order: number }, start: number, end: number, batch: number): void {
    const train = plan.train;
    this.kernels.trainBatches(train.offset, train.ops, data.x, data.t, data.order, start, end, batch, this.inputSize, this.outputSize, plan.x, plan.t);
  }

  /** Train `epochs` whole epochs in one backend call; per-epoch totals land in `log`. */
  trainEpochs(plan: BatchPlan, data: { x: number; t: number; order: number }, n: number, batch: number, epochs: number, shuffleState: number, log: EpochLog): void {
    const train = plan.train;
    this.kernels.trainEpochs(train.offset, train.ops, data.x, data.t, data.order, n, batch, this.inputSize, this.outputSize, plan.x, plan.t, epochs, shuffleState, this.lossSum, this.correct, log.loss, log.correct);
  }

  /** f64 arrays above the batch plan for `epochs` per-epoch loss sums and correct counts. */
  epochLog(epochs: number): EpochLog {
    return { loss: this.arena.claim(2 * epochs).offset, correct: this.arena.claim(2 * epochs).offset };
  }

  run(program: Program, rows: number): void {
    this.kernels.run(program.offset, program.ops, rows);
  }

  /** The current value of every parameter, copied out. */
  readParams(): Float32Array[] {
    const f = this.kernels.heap.f32;
    return this.params.refs.map((r) => Float32Array.from(f.subarray(r.value.offset >> 2, (r.value.offset >> 2) + r.value.length)));
  }
}

let identity = new Int32Array(0);

/** 0…n−1, from a table kept between fits: a bulk copy is ~10× faster than writing it. */
function identityOrder(n: number): Int32Array {
  if (identity.length < n) {
    identity = new Int32Array(Math.max(n, 2 * identity.length));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity.subarray(0, n);
}
