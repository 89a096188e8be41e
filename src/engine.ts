// A built model's machinery: the arena, where each layer's tensors live, and
// the programs (infer, evaluate, train, gradients; compile.ts) built from the layers' ops.
// The public API in model.ts validates and then drives this.

import type { FloatArray, Kernels } from './backend/kernels.js';
import { Hyper, STEP_LAYER_WORDS } from './backend/ops.js';
import { type ProgramContext, evaluateProgram, gradientsProgram, inferProgram, narrowTrainProgram, trainProgram } from './compile.js';
import type { Layer, LayerIO } from './layers/layer.js';
import { claimFolds, type DenseBatchNormFold } from './layers/fold.js';
import { attachLayers, layoutLayers, modelParamSpecs, modelStateSpecs } from './layers/layout.js';
import type { Loss } from './losses.js';
import type { Optimizer } from './optimizers.js';
import { MAX_EPOCHS_PER_CALL } from './pace.js';
import { Arena, type ParamLayout, type StateRef, layoutParams, layoutState } from './plan.js';
import type { Program } from './program.js';
import { Random } from './random.js';
import { SCHEDULE_STEPS } from './schedule-table.js';

export interface EpochLog {
  readonly loss: number;
  readonly correct: number;
}

/** Training rows in the heap, and where they end (the mark to release). */
export interface Resident {
  readonly x: number;
  readonly t: number;
  readonly order: number;
  readonly log: EpochLog;
  /** The schedule's table of rates (0: no schedule). */
  readonly rates: number;
  readonly mark: number;
}

export interface BatchPlan {
  readonly capacity: number;
  readonly x: number;
  readonly t: number;
  readonly output: number;
  readonly infer: Program;
  readonly evaluate: Program;
  readonly train: Program;
  readonly gradients: Program;
}

export class Engine {
  readonly arena: Arena;
  readonly params: ParamLayout;
  /** Every layer's state, in layer order. */
  readonly state: StateRef[];
  /** The optimizer's moment regions, laid out as the parameters (0: unused). */
  readonly m: number;
  readonly v: number;
  /** The optimizer's hyperparameter block (ops.ts: Hyper), with the step count and the guard's status. */
  readonly hyper: number;
  /** f64 accumulators of the summed loss and of correct predictions. */
  readonly lossSum: number;
  readonly correct: number;
  /** sfc32 state (4×u32) of the in-kernel shuffle. */
  readonly shuffleState: number;
  private readonly batchBase: number;
  /** Batch normalizations folded into the dense layers before them for inference, and whether their weights are behind. */
  private readonly folds: DenseBatchNormFold[];
  private foldsStale = true;
  /** fit() calls that trained this model: each shuffles from its own seed. */
  fits = 0;
  private batch: BatchPlan | null = null;
  private bytesPerRow: number | undefined;

  /**
   * Lays out scalars, parameters, optimizer moments and layer state, and fills them:
   * `start` is a seeded generator (fresh weights, each layer's initializer) or the
   * weights of a saved model, already checked against the layers.
   */
  constructor(
    readonly kernels: Kernels,
    readonly layers: readonly Layer[],
    readonly loss: Loss,
    readonly optimizer: Optimizer,
    readonly absorbed: boolean,
    start: Random | readonly Float32Array[],
    stateRng: Random,
  ) {
    this.arena = new Arena(kernels.heap, kernels.heapStart);
    const scalars = this.arena.claim(6);
    this.lossSum = scalars.offset;
    this.correct = scalars.offset + 8;
    this.shuffleState = this.arena.claim(4).offset;
    this.hyper = this.arena.claim(Hyper.bytes / 4).offset;
    this.params = layoutParams(this.arena, modelParamSpecs(layers));
    const n = this.params.values.length;
    this.m = optimizer.moments >= 1 ? this.arena.claim(n).offset : 0;
    this.v = optimizer.moments >= 2 ? this.arena.claim(n).offset : 0;
    this.state = layoutState(this.arena, modelStateSpecs(layers));
    this.folds = claimFolds(this.arena, layers);
    const count = this.params.refs.reduce((sum, r) => sum + r.value.length, 0);
    this.arena.commit(kernels.heapStart, 'layers', `${count.toLocaleString('en-US')} parameters`);
    attachLayers(layers, this.params.refs, this.state);
    const heap = kernels.heap;
    if (start instanceof Random) {
      for (const layer of layers) layer.initialize(heap.f32, start);
    } else {
      this.params.refs.forEach((ref, i) => heap.f32.set(start[i], ref.value.offset >> 2));
    }
    for (const layer of layers) {
      layer.initializeState(heap, stateRng);
      for (const built of [layer, ...layer.children()]) built.built = true;
    }
    heap.f64[(this.hyper + Hyper.beta1Pow) >> 3] = 1;
    heap.f64[(this.hyper + Hyper.beta2Pow) >> 3] = 1;
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

  /** Where the batch-sized tensors of `capacity` rows go: claims only, nothing written. */
  private layout(arena: Arena, capacity: number): { x: number; t: number; ios: LayerIO[] } {
    const x = arena.claim(capacity * this.inputSize).offset;
    const t = arena.claim(capacity * this.outputSize).offset;
    return { x, t, ios: layoutLayers(arena, this.layers, capacity, x, null, this.absorbed) };
  }

  /** Heap bytes one row of a batch takes (activations, their gradients, scratch, staging). */
  get rowBytes(): number {
    if (this.bytesPerRow === undefined) {
      const measure = new Arena(null, 0);
      this.layout(measure, 1);
      this.bytesPerRow = measure.mark;
    }
    return this.bytesPerRow;
  }

  /**
   * The batch plan for at least `rows` rows; a larger batch re-plans activations and
   * programs, never parameters. When the heap cannot hold it, a ResourceError names
   * `argument` and the plan in use stays as it was.
   */
  plan(rows: number, argument = 'rows'): BatchPlan {
    if (this.batch && this.batch.capacity >= rows) return this.batch;
    const before = this.arena.mark;
    this.arena.release(this.batchBase);
    const cap = rows;
    const { x, t, ios } = this.layout(this.arena, cap);
    const c: ProgramContext = {
      layers: this.layers, ios, loss: this.loss, t, outputSize: this.outputSize, lossSum: this.lossSum, correct: this.correct,
      tracksAccuracy: this.tracksAccuracy, values: this.params.values, grads: this.params.grads, m: this.m, v: this.v,
      hyper: this.hyper, optimizer: this.optimizer,
    };
    // Per-sample training of narrow layers with plain SGD is all overhead as separate ops: one fused op.
    const records = cap === 1 && this.optimizer.plain ? this.layers.map((layer, i) => layer.narrowStepRecord(ios[i])) : [];
    const narrow = records.length > 0 && records.every((r) => r !== null) ? (records as number[][]) : null;
    const table = narrow ? this.arena.claim(narrow.length * STEP_LAYER_WORDS) : null;
    const train = narrow && table ? narrowTrainProgram(c, table.offset, narrow.length) : trainProgram(c);
    const programs = [inferProgram(c), evaluateProgram(c), train, gradientsProgram(c)].map((p) => p.claim(this.arena));
    this.arena.commit(before, argument, `a batch of ${cap.toLocaleString('en-US')} rows`);

    // The heap holds the new plan: only now is anything written.
    const heap = this.kernels.heap;
    if (narrow && table) narrow.forEach((r, i) => heap.i32.set(r, (table.offset >> 2) + i * STEP_LAYER_WORDS));
    const [infer, evaluate, trainP, gradients] = programs.map((write) => write(heap));
    this.batch = { capacity: cap, x, t, output: ios[ios.length - 1].y, infer, evaluate, train: trainP, gradients };
    return this.batch;
  }

  /**
   * The training rows (and targets) copied above the batch plan, the row order 0…n−1
   * for the in-kernel shuffle, and the per-epoch log: there until releaseResident(mark).
   */
  makeResident(x: Float32Array, t: Float32Array, n: number, argument: string): Resident {
    const mark = this.arena.mark;
    const xs = this.arena.claim(x.length), ts = this.arena.claim(t.length), order = this.arena.claim(n);
    const log = { loss: this.arena.claim(2 * MAX_EPOCHS_PER_CALL).offset, correct: this.arena.claim(2 * MAX_EPOCHS_PER_CALL).offset };
    // The rates of the steps a call takes, when a schedule sets them.
    const rates = this.optimizer.schedule ? this.arena.claim(SCHEDULE_STEPS).offset : 0;
    this.arena.commit(mark, argument, `${n.toLocaleString('en-US')} training rows of ${this.inputSize + this.outputSize} values`);
    const heap = this.kernels.heap;
    heap.f32.set(x, xs.offset >> 2);
    heap.f32.set(t, ts.offset >> 2);
    heap.i32.set(identityOrder(n), order.offset >> 2);
    return { x: xs.offset, t: ts.offset, order: order.offset, log, rates, mark };
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

  /** The optimizer's hyperparameters into its block, and the guard's status cleared: before every training call. */
  writeHyper(): void {
    this.optimizer.writeHyper(this.kernels.heap, this.hyper);
  }

  /** Clear a refused step's record (a new fit starts over). */
  clearStatus(): void {
    this.kernels.heap.i32.fill(0, (this.hyper + Hyper.status) >> 2, (this.hyper + Hyper.bytes) >> 2);
  }

  /** Where a refused step was: null while every step passed the guard. */
  get refusedStep(): { row: number; epochInCall: number } | null {
    const ints = this.kernels.heap.i32, at = this.hyper >> 2;
    if (ints[(this.hyper + Hyper.status) >> 2] === 0) return null;
    return { row: ints[at + Hyper.failedRow / 4], epochInCall: ints[at + Hyper.failedEpoch / 4] };
  }

  /** Optimizer steps taken (the step a schedule sees next). */
  get steps(): number {
    return this.kernels.heap.f64[(this.hyper + Hyper.step) >> 3];
  }

  /** Copy rows [start, start+rows) of x (and targets) into the staging slots. */
  stage(plan: BatchPlan, x: Float32Array, t: Float32Array | null, start: number, rows: number): void {
    const f = this.kernels.heap.f32;
    const p = this.inputSize, q = this.outputSize;
    // All of x (a prediction's single call) needs no view: a batch-1 predict is a few µs.
    f.set(start === 0 && x.length === rows * p ? x : x.subarray(start * p, (start + rows) * p), plan.x >> 2);
    if (t) f.set(t.subarray(start * q, (start + rows) * q), plan.t >> 2);
  }

  /** Parameters or state were written: the folded weights are computed again before the next inference. */
  changed(): void {
    this.foldsStale = true;
  }

  /** Train on rows [start, end) of the resident order in batches of `batch`: one backend call. */
  trainRows(plan: BatchPlan, data: Resident, start: number, end: number, batch: number): void {
    this.foldsStale = true;
    const train = plan.train;
    this.kernels.trainBatches(train.offset, train.ops, data.x, data.t, data.order, start, end, batch, this.inputSize, this.outputSize, plan.x, plan.t, this.hyper + Hyper.status);
  }

  /** Train `epochs` whole epochs in one backend call; per-epoch totals land in `log`. */
  trainEpochs(plan: BatchPlan, data: Resident, n: number, batch: number, epochs: number, shuffleState: number): void {
    this.foldsStale = true;
    const train = plan.train;
    const log = data.log;
    this.kernels.trainEpochs(train.offset, train.ops, data.x, data.t, data.order, n, batch, this.inputSize, this.outputSize, plan.x, plan.t, epochs, shuffleState, this.lossSum, this.correct, log.loss, log.correct, this.hyper + Hyper.status);
  }

  run(program: Program, rows: number): void {
    const batch = this.batch;
    if (batch && program === batch.train) this.foldsStale = true;
    else if (this.foldsStale && batch && (program === batch.infer || program === batch.evaluate)) {
      for (const fold of this.folds) fold.write(this.kernels.heap.f32);
      this.foldsStale = false;
    }
    this.kernels.run(program.offset, program.ops, rows);
  }

  /** Index of the first NaN or ±Infinity in the parameter region, or −1. */
  firstNonFiniteParam(): number {
    return this.kernels.firstNonFinite(this.params.values.offset, this.params.values.length);
  }

  /** The state saved with the model (running statistics), in layer order. */
  get modelState(): StateRef[] {
    return this.state.filter((r) => r.kind === 'model');
  }

  readModelState(): FloatArray[] {
    const f = this.kernels.heap.f32;
    return this.modelState.map((r) => f.slice(r.slot.offset >> 2, (r.slot.offset >> 2) + r.slot.length));
  }

  /** Set the model state from values checked against it (a saved model's). */
  writeModelState(values: readonly ArrayLike<number>[]): void {
    this.modelState.forEach((r, i) => this.kernels.heap.f32.set(values[i], r.slot.offset >> 2));
    this.foldsStale = true;
  }

  /** The current value of every parameter, copied out (float64 on a float64 heap). */
  readParams(): FloatArray[] {
    const f = this.kernels.heap.f32;
    return this.params.refs.map((r) => f.slice(r.value.offset >> 2, (r.value.offset >> 2) + r.value.length));
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
