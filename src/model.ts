// Sequential: a stack of layers with a loss and an optimizer, built once into
// an Engine (arena + programs). Every public call validates all its arguments
// before it touches the model, so a rejected call leaves it exactly as it was.

import type { Precision } from './backend/heap.js';
import type { FloatArray } from './backend/kernels.js';
import { type BackendInfo, type BackendOption, createKernels } from './backend/select.js';
import { type Matrix, type MatrixInput, classesOf, nonFiniteError, toMatrix } from './data.js';
import { type BatchPlan, Engine } from './engine.js';
import { type TrainingState, writeTraining } from './training-state.js';
import { DisposedError, InputError, describe, isDetached } from './errors.js';
import type { History, ModelSnapshot } from './callbacks.js';
import { fit } from './fit.js';
import type { FitOptions } from './fit-options.js';
import { encodeModel } from './io/format.js';
import { type SaveOptions, modelFile, savesTraining } from './io/save.js';
import { type Gradients, type LayerNorm, gradientsOf, normsByLayer } from './gradients.js';
import type { ModelJSON } from './io/load.js';
import type { Layer } from './layers/layer.js';
import type { Loss, LossOption } from './losses.js';
import { type Metrics, evaluateRows } from './metrics.js';
import type { Optimizer, OptimizerOption } from './optimizers.js';
import { Random } from './random.js';
import { type PreparedModel, prepareModel } from './prepare.js';
import { chunkRows, copyOut, predictRows } from './plan.js';

export interface ModelOptions {
  loss: LossOption;
  optimizer?: OptimizerOption;
  /** Seed of initialization and shuffling; the same seed gives the same model. Default 0. */
  seed?: number;
  /** 'auto' (default) runs WASM SIMD where the engine has it, else pure JS. */
  backend?: BackendOption;
  /** 'float64' computes every kernel in double precision on the JS backend (for gradient checks). */
  precision?: Precision;
  /**
   * Threads that share large dense products (WASM backend, Node: worker_threads over
   * shared memory). Default 1. Results are bit-identical for any count; products below
   * ~4M multiply-adds stay on one thread. Call dispose() to end the workers.
   */
  threads?: number;
}

export class Sequential {
  /** Set to true (e.g. from a callback) to end the current fit after this batch. */
  stopTraining = false;
  /** JSON-serializable facts saved with the model (e.g. normalization statistics, class names). */
  metadata: Record<string, unknown> = {};
  private engine: Engine | null;
  private readonly info: BackendInfo;
  private training = false;

  private constructor(engine: Engine, info: BackendInfo, readonly seed: number) {
    this.engine = engine;
    this.info = info;
  }

  static async create(layers: readonly Layer[], options: ModelOptions): Promise<Sequential> {
    const prepared = prepareModel(layers, options);
    return Sequential.fromPrepared(prepared, new Random(prepared.seed));
  }

  /**
   * A model from checked layers and options, its parameters drawn from `start` or set to
   * weights already checked against the layers, with the model state given (the
   * model-file reader). Internal.
   */
  static async fromPrepared(prepared: PreparedModel, start: Random | readonly Float32Array[], state: readonly Float32Array[] = [], training?: TrainingState): Promise<Sequential> {
    const { kernels, info } = await createKernels(prepared.backend, prepared.precision, prepared.threads);
    let engine: Engine;
    try {
      // Generators inside layers (dropout) start from the model's seed, whatever the weights start from.
      engine = new Engine(kernels, prepared.layers, prepared.loss, prepared.optimizer, prepared.absorbed, start, new Random(prepared.seed * 2 + 1));
      if (state.length > 0) engine.writeModelState(state);
      if (training) writeTraining(engine, training);
    } catch (e) {
      kernels.dispose();
      throw e;
    }
    return new Sequential(engine, info, prepared.seed);
  }

  private get live(): Engine {
    if (!this.engine) throw new DisposedError('model: expected a live model, got one whose dispose() was called');
    return this.engine;
  }

  get layers(): readonly Layer[] {
    return this.live.layers;
  }

  get optimizer(): Optimizer {
    return this.live.optimizer;
  }

  get loss(): Loss {
    return this.live.loss;
  }

  get inputSize(): number {
    return this.live.inputSize;
  }

  get outputSize(): number {
    return this.live.outputSize;
  }

  /** Which backend runs and why. */
  backendInfo(): BackendInfo {
    this.live;
    return this.info;
  }

  /** Outputs for each row of x: probabilities for softmax/sigmoid outputs (float64 for a float64 model). Synchronous. */
  predict(x: MatrixInput): Matrix {
    const engine = this.live;
    const input = toMatrix(x, 'x', engine.inputSize, { deferFinite: true });
    const rows = input.shape[0];
    const plan = this.planFor(rows, 'x');
    const out = engine.kernels.heap.f32 instanceof Float64Array ? new Float64Array(rows * engine.outputSize) : new Float32Array(rows * engine.outputSize);
    const chunk = chunkRows(plan.capacity);
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      engine.stage(plan, input.data, null, start, n);
      const bad = engine.kernels.firstNonFinite(plan.x, n * engine.inputSize);
      if (bad >= 0) throw nonFiniteError(input, 'x', start * engine.inputSize + bad);
      engine.run(plan.infer, n);
      copyOut(engine.kernels.heap.f32, plan.output >> 2, out, start * engine.outputSize, n * engine.outputSize);
    }
    return { data: out, shape: [rows, engine.outputSize] };
  }

  /** The most likely class of each row (argmax, or p ≥ 0.5 for one sigmoid output). */
  predictClasses(x: MatrixInput): Int32Array {
    return classesOf(this.predict(x));
  }

  /** Loss, plus accuracy for classification or MSE, MAE and R² for regression. */
  evaluate(x: MatrixInput, y: unknown): Metrics {
    const engine = this.live;
    const input = toMatrix(x, 'x', engine.inputSize);
    const rows = input.shape[0];
    const targets = engine.loss.encodeTargets(y, rows, engine.outputSize, 'y');
    return evaluateRows(engine, this.planFor(rows, 'x'), input.data, targets, rows);
  }

  /** Train on (x, y); resolves to the per-epoch history. Yields to the event loop between batches. */
  async fit(x: MatrixInput, y: unknown, options: FitOptions = {}): Promise<History> {
    const engine = this.live;
    if (this.training) throw new InputError('fit: expected the model to be idle, got a call while another fit() is running');
    this.training = true;
    try {
      return await fit(this, engine, x, y, options);
    } finally {
      this.training = false;
    }
  }

  /** A copy of every parameter: for each layer with weights, its kernel [in×out] then its bias. */
  getWeights(): FloatArray[] {
    return this.live.readParams();
  }

  /**
   * The loss of (x, y) and the gradient of every parameter, shaped as getWeights(), in
   * one batch: batch normalization uses the batch's statistics, dropout drops nothing,
   * and the model is left as it was (no update, no running statistics, no generator step).
   */
  gradients(x: MatrixInput, y: unknown): Gradients {
    const engine = this.live;
    const input = toMatrix(x, 'x', engine.inputSize);
    const rows = input.shape[0];
    const targets = engine.loss.encodeTargets(y, rows, engine.outputSize, 'y');
    if (this.training && rows > engine.capacity) {
      throw new InputError(`x: expected at most ${engine.capacity} rows (the batch size) while fit() runs, got ${rows}`);
    }
    return gradientsOf(engine, this.training ? engine.plan(1) : engine.plan(rows, 'x'), input.data, targets, rows);
  }

  /** The L2 norm of each parameterized layer's gradients for (x, y): the vanishing-gradient diagnostic. */
  gradientNorms(x: MatrixInput, y: unknown): LayerNorm[] {
    return normsByLayer(this.live, this.gradients(x, y).gradients);
  }

  /** A copy of everything the model computes with: its parameters and its running statistics. */
  snapshot(): ModelSnapshot {
    const engine = this.live;
    return { weights: engine.readParams(), state: engine.readModelState() };
  }

  /** Go back to a snapshot of this model (its shapes are checked). */
  restore(snapshot: ModelSnapshot): void {
    const engine = this.live;
    const state = snapshot?.state;
    const refs = engine.modelState;
    if (!Array.isArray(state) || state.length !== refs.length || !state.every((s, i) => s?.length === refs[i].slot.length)) {
      throw new InputError(`snapshot: expected one taken by this model's snapshot(), got ${describe(snapshot)}`);
    }
    this.setWeights(snapshot.weights);
    engine.writeModelState(state);
  }

  /** The names of the parameters, as files record them: "<layer>.kernel", "<layer>.bias", "<layer>.<inner>.gamma"… */
  get parameterNames(): string[] {
    return this.live.params.refs.map((r) => r.name);
  }

  /** Replace every parameter; all arrays are checked before any is written. */
  setWeights(weights: readonly ArrayLike<number>[]): void {
    const engine = this.live;
    const refs = engine.params.refs;
    if (!Array.isArray(weights) || weights.length !== refs.length) {
      throw new InputError(`weights: expected ${refs.length} arrays (kernel and bias per layer), got ${describe(weights)}`);
    }
    refs.forEach((ref, i) => {
      const w = weights[i] as unknown as ArrayLike<unknown>;
      const list = Array.isArray(w) || (ArrayBuffer.isView(w) && !(w instanceof DataView) && !isDetached(w));
      if (!list || w.length !== ref.value.length) throw new InputError(`weights[${i}] (${ref.name}): expected ${ref.value.length} numbers, got ${describe(w)}`);
      for (let j = 0; j < w.length; j++) {
        const v = w[j];
        if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) {
          throw new InputError(`weights[${i}] (${ref.name}): expected finite numbers within float32's range, got ${describe(v)} at index ${j}`);
        }
      }
    });
    const f = engine.kernels.heap.f32;
    refs.forEach((ref, i) => f.set(weights[i], ref.value.offset >> 2));
    engine.changed();
  }

  /** A table of the layers, their output widths and parameter counts. */
  summary(): string {
    const engine = this.live;
    const lines = engine.layers.map((layer, i) => {
      const params = layer.params().reduce((n, p) => n + p.value.length, 0);
      const c = layer.config();
      const what = c.activation ? `${c.type}(${typeof c.activation === 'string' ? c.activation : (c.activation as { name: string }).name})` : c.type;
      return `${String(i).padEnd(3)}${what.padEnd(24)}${String(layer.outputSize).padStart(8)}${String(params).padStart(10)}`;
    });
    const total = engine.params.refs.reduce((n, r) => n + r.value.length, 0);
    return [`#  ${'layer'.padEnd(24)}${'outputs'.padStart(8)}${'params'.padStart(10)}`, ...lines, `total params: ${total}`].join('\n');
  }

  /**
   * The model as a .simdnet file (see src/io/format.ts): header, float32 weights, CRC-32.
   * With { optimizer: true } the file also keeps what training further needs — the
   * optimizer's step count and moments, the dropout generators, the seed and fit count —
   * so a model loaded from it trains on exactly as this one would.
   */
  save(options: SaveOptions = {}): Uint8Array {
    const { header, values } = modelFile(this.live, this.seed, this.metadata, savesTraining(options));
    return encodeModel(header, values);
  }

  /** The readable form: the same header, with the parameters, the state (and the moments) as number arrays. */
  toJSON(options?: SaveOptions | string): ModelJSON {
    // JSON.stringify(model) calls toJSON with a key: that is no option.
    const training = typeof options === 'object' ? savesTraining(options) : false;
    const { header, values } = modelFile(this.live, this.seed, this.metadata, training);
    return { ...header, weights: values.map((w) => Array.from(w)) };
  }

  /** Free the model's memory; any later call throws. */
  dispose(): void {
    this.engine?.kernels.dispose();
    this.engine = null;
  }

  get disposed(): boolean {
    return this.engine === null;
  }

  /** A batch plan for `rows` rows of inference; during fit, the training plan as it is (its resident data lies above it). */
  private planFor(rows: number, argument: string): BatchPlan {
    const engine = this.live;
    if (this.training) return engine.plan(1, argument);
    return engine.plan(Math.min(rows, Math.max(engine.capacity, predictRows(engine.rowBytes))), argument);
  }
}
