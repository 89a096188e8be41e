// Update rules. An optimizer appends one fused update op to the training program,
// over the parameter region and the gradient region as wholes, with its moments in
// regions of the same layout planned at build. Its hyperparameters live in a block of
// the heap (ops.ts: Hyper) that the model rewrites before every backend call, so they
// can change between steps (a callback, a schedule) without a new program.
//
// Conventions, where libraries differ, are PyTorch's: SGD momentum accumulates
// gradients and the learning rate multiplies the velocity (v = μv + g; w −= lr·v);
// Adam adds ε to √v̂ (w −= lr·m̂/(√v̂ + ε)); AdamW decays decoupled (w −= lr·λ·w);
// RMSProp adds ε outside the root; clipNorm scales all gradients by
// min(1, clip/(‖g‖ + 1e-6)) over the whole model.

import { Hyper, Op, OptimizerKind } from './backend/ops.js';
import type { Heap } from './backend/kernels.js';
import { InputError, describe } from './errors.js';
import { readOptions } from './options.js';
import type { Slot } from './plan.js';
import type { ProgramBuilder } from './program.js';
import { Registry } from './registry.js';
import { type Schedule, scheduleFromConfig } from './schedules.js';

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

/** What every rule takes. */
export interface CommonOptions {
  /** Learning rate, or a schedule: a function of the step count (see schedules.ts). */
  lr?: number | Schedule;
  /** L2 penalty λ added to the gradient (AdamW: decoupled decay); default 0 (AdamW 0.01). */
  weightDecay?: number;
  /** Scale all gradients down so their global L2 norm is at most this; default none. */
  clipNorm?: number;
}

export interface SGDOptions extends CommonOptions {
  /** Momentum μ in [0, 1); default 0. */
  momentum?: number;
  /** Nesterov momentum (needs momentum > 0); default false. */
  nesterov?: boolean;
}

export interface AdamOptions extends CommonOptions {
  /** Decay of the first moment; default 0.9. */
  beta1?: number;
  /** Decay of the second moment; default 0.999. */
  beta2?: number;
  /** Added to √v̂; default 1e-8. */
  epsilon?: number;
}

export interface RMSPropOptions extends CommonOptions {
  /** Decay ρ of the mean square; default 0.99. */
  rho?: number;
  /** Added to √v; default 1e-8. */
  epsilon?: number;
  /** Momentum on the scaled gradient; default 0. */
  momentum?: number;
}

export type OptimizerOption =
  | ({ type: 'sgd' } & SGDOptions)
  | ({ type: 'adam' | 'adamw' } & AdamOptions)
  | ({ type: 'rmsprop' } & RMSPropOptions)
  | Optimizer;

/** A parameter outside a model: its values and the gradient to apply. */
export interface Parameter {
  value: Float32Array;
  grad: Float32Array;
}

const COMMON = ['type', 'lr', 'weightDecay', 'clipNorm'] as const;

/** A number the kernels hold as a float32, within [min, max) (or (min, max) when open). */
function checked(value: unknown, argument: string, min: number, max: number, fallback: number, open = false): number {
  const v = value ?? fallback;
  const f = typeof v === 'number' ? Math.fround(v) : NaN;
  if (typeof v !== 'number' || !Number.isFinite(f) || f < min || (open && f <= min) || !(f < max)) {
    const range = max === Infinity ? `${open ? '>' : '≥'} ${min}` : `in ${open ? '(' : '['}${min}, ${max})`;
    throw new InputError(`${argument}: expected a number ${range} within float32's range, got ${describe(v)}`);
  }
  return v;
}

export abstract class Optimizer {
  abstract readonly type: OptimizerName;
  /** Moment regions the rule keeps beside the parameters: 0, 1 or 2. */
  abstract readonly moments: number;
  protected abstract readonly kind: number;
  readonly weightDecay: number;
  /** 0: no clipping. */
  readonly clipNorm: number;
  /** The schedule that sets each step's rate, or null for a fixed rate. */
  readonly schedule: Schedule | null;
  private rate: number;

  protected constructor(o: { type?: unknown; lr?: unknown; weightDecay?: unknown; clipNorm?: unknown }, rule: OptimizerName, defaultLr: number, defaultDecay: number) {
    // The options of one rule are not another's: { type: 'adamw' } given to Adam is a mistake.
    if (o.type !== undefined && o.type !== rule) throw new InputError(`optimizer.type: expected "${rule}" for this rule, got ${describe(o.type)}`);
    const lr = typeof o.lr === 'object' && o.lr !== null ? scheduleFromConfig(o.lr) : o.lr;
    this.schedule = typeof lr === 'function' ? (lr as Schedule) : null;
    // With a schedule, the rate of step 0 stands for it wherever one number is wanted.
    this.rate = Optimizer.checkRate(this.schedule ? this.schedule(0) : (lr ?? defaultLr));
    this.weightDecay = checked(o.weightDecay, 'optimizer.weightDecay', 0, Infinity, defaultDecay);
    this.clipNorm = o.clipNorm === undefined ? 0 : checked(o.clipNorm, 'optimizer.clipNorm', 0, Infinity, 0, true);
  }

  private static checkRate(lr: unknown): number {
    return checked(lr, 'optimizer.lr', 0, Infinity, 0, true);
  }

  /** The learning rate; may be changed between steps (e.g. from a callback). */
  get lr(): number {
    return this.rate;
  }

  set lr(value: number) {
    if (this.schedule) throw new InputError('optimizer.lr: expected no new rate for an optimizer whose schedule sets it, got an assignment');
    this.rate = Optimizer.checkRate(value);
  }

  /** Whether the fused per-sample step, which applies w −= lr·g, applies this rule exactly. */
  get plain(): boolean {
    return false;
  }

  /** Write the hyperparameters into the block at byte offset `hyper` (steps and moments are left alone). */
  writeHyper(heap: Heap, hyper: number): void {
    const f = heap.f32;
    f[(hyper + Hyper.lr) >> 2] = this.rate;
    f[(hyper + Hyper.decay) >> 2] = this.weightDecay;
    f[(hyper + Hyper.clip) >> 2] = this.clipNorm;
    this.writeRule(heap, hyper);
  }

  protected abstract writeRule(heap: Heap, hyper: number): void;

  /** Append the update of every parameter; m and v are the moment regions (offset 0 when unused). */
  emitUpdate(p: ProgramBuilder, values: Slot, grads: Slot, m: number, v: number, hyper: number): void {
    p.emit(Op.optimizerStep, this.kind, values.offset, grads.offset, m, v, values.length, hyper);
  }

  /** What a saved model records: the type and every hyperparameter. */
  config(): Record<string, unknown> {
    const out: Record<string, unknown> = { type: this.type, lr: this.schedule?.config ?? this.rate, ...this.ruleConfig() };
    if (this.weightDecay !== 0 || this.type === 'adamw') out.weightDecay = this.weightDecay;
    if (this.clipNorm !== 0) out.clipNorm = this.clipNorm;
    return out;
  }

  protected abstract ruleConfig(): Record<string, unknown>;
}

/** Stochastic gradient descent, with optional momentum (PyTorch form), Nesterov and weight decay. */
export class SGD extends Optimizer {
  readonly type = 'sgd';
  protected readonly kind = OptimizerKind.sgd;
  readonly momentum: number;
  readonly nesterov: boolean;
  private readonly velocities = new WeakMap<Float32Array, Float32Array>();

  constructor(options: SGDOptions = {}) {
    const o = readOptions(options, 'optimizer', [...COMMON, 'momentum', 'nesterov']);
    super(o, 'sgd', 0.01, 0);
    this.momentum = checked(o.momentum, 'optimizer.momentum', 0, 1, 0);
    const nesterov = o.nesterov ?? false;
    if (typeof nesterov !== 'boolean') throw new InputError(`optimizer.nesterov: expected true or false, got ${describe(nesterov)}`);
    if (nesterov && this.momentum === 0) throw new InputError('optimizer.nesterov: expected a momentum > 0 with Nesterov, got momentum 0');
    this.nesterov = nesterov;
  }

  get moments(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  get plain(): boolean {
    return this.momentum === 0 && this.weightDecay === 0 && this.clipNorm === 0;
  }

  protected writeRule(heap: Heap, hyper: number): void {
    heap.f32[(hyper + Hyper.beta1) >> 2] = this.momentum;
    heap.i32[(hyper + Hyper.nesterov) >> 2] = this.nesterov ? 1 : 0;
  }

  protected ruleConfig(): Record<string, unknown> {
    return this.momentum === 0 ? {} : { momentum: this.momentum, nesterov: this.nesterov };
  }

  /** One step on parameters held outside a model, with the same float32 rule (no clipping). */
  step(params: readonly Parameter[]): void {
    const lr = Math.fround(this.lr), mu = Math.fround(this.momentum), decay = Math.fround(this.weightDecay);
    for (const { value, grad } of params) {
      if (grad.length !== value.length) throw new InputError(`grad: expected ${value.length} values like value, got ${grad.length}`);
      let v = this.velocities.get(value);
      if (mu !== 0 && !v) this.velocities.set(value, (v = new Float32Array(value.length)));
      for (let i = 0; i < value.length; i++) {
        const g = grad[i] + decay * value[i];
        let step = g;
        if (v) {
          v[i] = mu * v[i] + g;
          step = this.nesterov ? g + mu * v[i] : v[i];
        }
        value[i] -= lr * step;
      }
    }
  }
}

/** Adam (Kingma & Ba), bias-corrected, ε added to √v̂; weightDecay is an L2 term in the gradient. */
export class Adam extends Optimizer {
  readonly type: 'adam' | 'adamw' = 'adam';
  protected readonly kind: number = OptimizerKind.adam;
  readonly moments = 2;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamOptions = {}, rule: 'adam' | 'adamw' = 'adam', defaultDecay = 0) {
    const o = readOptions(options, 'optimizer', [...COMMON, 'beta1', 'beta2', 'epsilon']);
    super(o, rule, 0.001, defaultDecay);
    this.beta1 = checked(o.beta1, 'optimizer.beta1', 0, 1, 0.9);
    this.beta2 = checked(o.beta2, 'optimizer.beta2', 0, 1, 0.999);
    this.epsilon = checked(o.epsilon, 'optimizer.epsilon', 0, Infinity, 1e-8, true);
  }

  protected writeRule(heap: Heap, hyper: number): void {
    const f = heap.f32;
    f[(hyper + Hyper.beta1) >> 2] = this.beta1;
    f[(hyper + Hyper.beta2) >> 2] = this.beta2;
    f[(hyper + Hyper.eps) >> 2] = this.epsilon;
  }

  protected ruleConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** AdamW (Loshchilov & Hutter): Adam with decoupled weight decay w ← w − lr·λ·w; λ defaults to 0.01. */
export class AdamW extends Adam {
  readonly type = 'adamw';
  protected readonly kind = OptimizerKind.adamw;

  constructor(options: AdamOptions = {}) {
    super(options, 'adamw', 0.01);
  }
}

/** RMSProp (Hinton): v = ρv + (1−ρ)g², step g/(√v + ε), optionally with momentum. */
export class RMSProp extends Optimizer {
  readonly type = 'rmsprop';
  protected readonly kind = OptimizerKind.rmsprop;
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;

  constructor(options: RMSPropOptions = {}) {
    const o = readOptions(options, 'optimizer', [...COMMON, 'rho', 'epsilon', 'momentum']);
    super(o, 'rmsprop', 0.01, 0);
    this.rho = checked(o.rho, 'optimizer.rho', 0, 1, 0.99);
    this.epsilon = checked(o.epsilon, 'optimizer.epsilon', 0, Infinity, 1e-8, true);
    this.momentum = checked(o.momentum, 'optimizer.momentum', 0, 1, 0);
  }

  get moments(): number {
    return 2;
  }

  protected writeRule(heap: Heap, hyper: number): void {
    const f = heap.f32;
    f[(hyper + Hyper.beta1) >> 2] = this.rho;
    f[(hyper + Hyper.eps) >> 2] = this.epsilon;
    f[(hyper + Hyper.momentum) >> 2] = this.momentum;
  }

  protected ruleConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon, ...(this.momentum === 0 ? {} : { momentum: this.momentum }) };
  }
}

/** Each rule by the `type` an option object or a saved model names it with. */
const OPTIMIZERS = new Registry<(options: object) => Optimizer>('optimizer', [
  ['sgd', (o) => new SGD(o as SGDOptions)],
  ['adam', (o) => new Adam(o as AdamOptions)],
  ['adamw', (o) => new AdamW(o as AdamOptions)],
  ['rmsprop', (o) => new RMSProp(o as RMSPropOptions)],
]);

export function createOptimizer(option: unknown): Optimizer {
  if (option === undefined) return new SGD();
  if (option instanceof Optimizer) return option;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new InputError(`optimizer: expected { type: ${OPTIMIZERS.names.map((n) => `'${n}'`).join(' | ')}, … } or an optimizer instance, got ${describe(option)}`);
  }
  const type = Object.hasOwn(option, 'type') ? (option as { type: unknown }).type : undefined;
  return OPTIMIZERS.get(type, 'optimizer.type')(option);
}
