// Learning-rate schedules: a schedule is a function of the optimizer's step count
// (0, 1, 2, … across fits), so a user's own function is a schedule too. Before each
// backend call, fit writes the rates of the steps that call will take into a table in
// the heap that the update kernels read, so a schedule costs the epochs-in-WASM loop
// one load per step. The built-ins fill that table fast (cosine by a rotation between
// exact anchors) and record themselves in a saved model.

import { InputError, describe } from './errors.js';
import { readOptions } from './options.js';
import { Registry } from './registry.js';

export type ScheduleConfig = { type: 'step' | 'exponential' | 'cosine' | 'warmup'; [key: string]: unknown };

export interface Schedule {
  (step: number): number;
  /** How a saved model records it; a function of your own is saved as its rate at step 0. */
  readonly config?: ScheduleConfig;
  /** rates[i] = schedule(first + i): the same numbers as calling it, sooner. */
  readonly fill?: (rates: Float32Array, first: number) => void;
}

function positive(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !(Math.fround(value) > 0) || !Number.isFinite(Math.fround(value))) {
    throw new InputError(`${argument}: expected a number > 0 within float32's range, got ${describe(value)}`);
  }
  return value;
}

function steps(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new InputError(`${argument}: expected an integer ≥ 1, got ${describe(value)}`);
  return value;
}

function fraction(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw new InputError(`${argument}: expected a number in (0, 1), got ${describe(value)}`);
  return value;
}

function schedule(at: (step: number) => number, config: ScheduleConfig, fill?: Schedule['fill']): Schedule {
  return Object.assign((step: number) => at(step), { config, fill });
}

/** Steps between exact values where a fill continues by recurrence; the value at a step depends on the step alone. */
const ANCHOR = 64;

/** lr·factor^⌊step/every⌋. */
export function stepDecay(options: { lr: number; every: number; factor: number }): Schedule {
  const o = readOptions(options, 'stepDecay options', ['lr', 'every', 'factor']);
  const lr = positive(o.lr, 'stepDecay lr'), every = steps(o.every, 'stepDecay every'), factor = fraction(o.factor, 'stepDecay factor');
  return schedule((t) => lr * factor ** Math.floor(t / every), { type: 'step', lr, every, factor });
}

/** lr·rate^(step/steps), or rate^⌊step/steps⌋ with staircase (Keras's ExponentialDecay). */
export function exponentialDecay(options: { lr: number; rate: number; steps: number; staircase?: boolean }): Schedule {
  const o = readOptions(options, 'exponentialDecay options', ['lr', 'rate', 'steps', 'staircase']);
  const lr = positive(o.lr, 'exponentialDecay lr'), rate = fraction(o.rate, 'exponentialDecay rate'), n = steps(o.steps, 'exponentialDecay steps');
  const staircase = o.staircase ?? false;
  if (typeof staircase !== 'boolean') throw new InputError(`exponentialDecay staircase: expected true or false, got ${describe(staircase)}`);
  const at = (t: number) => lr * rate ** (staircase ? Math.floor(t / n) : t / n);
  const perStep = rate ** (1 / n);
  const fill = staircase
    ? undefined
    : (rates: Float32Array, first: number) => {
        let v = 0;
        for (let i = 0; i < rates.length; i++) {
          const t = first + i;
          v = i === 0 || t % ANCHOR === 0 ? at(t) : v * perStep;
          rates[i] = v;
        }
      };
  return schedule(at, { type: 'exponential', lr, rate, steps: n, staircase }, fill);
}

/** floor + (lr − floor)·½(1 + cos(π·min(step, steps)/steps)): from lr down to floor over `steps`, then floor. */
export function cosineDecay(options: { lr: number; steps: number; floor?: number }): Schedule {
  const o = readOptions(options, 'cosineDecay options', ['lr', 'steps', 'floor']);
  const lr = positive(o.lr, 'cosineDecay lr'), n = steps(o.steps, 'cosineDecay steps');
  const floor = o.floor ?? 0;
  if (typeof floor !== 'number' || !(floor >= 0 && floor < lr)) throw new InputError(`cosineDecay floor: expected a number ≥ 0 and below lr (${lr}), got ${describe(floor)}`);
  const value = (cos: number) => floor + (lr - floor) * 0.5 * (1 + cos);
  const at = (t: number) => value(Math.cos((Math.PI * Math.min(t, n)) / n));
  const dc = Math.cos(Math.PI / n), ds = Math.sin(Math.PI / n);
  // cos and sin of the angle advance by a rotation of π/steps, re-anchored every ANCHOR steps.
  const fill = (rates: Float32Array, first: number) => {
    let c = 0, s = 0;
    for (let i = 0; i < rates.length; i++) {
      const t = first + i;
      if (t >= n) {
        rates[i] = floor;
        continue;
      }
      if (i === 0 || t % ANCHOR === 0) {
        c = Math.cos((Math.PI * t) / n);
        s = Math.sin((Math.PI * t) / n);
      } else {
        [c, s] = [c * dc - s * ds, s * dc + c * ds];
      }
      rates[i] = value(c);
    }
  };
  return schedule(at, { type: 'cosine', lr, steps: n, floor }, fill);
}

/** From then(0)/steps up to then(0) over `steps` steps, linearly; then `then`, its step counted from the end of the warm-up. */
export function warmup(options: { steps: number; then: Schedule | number }): Schedule {
  const o = readOptions(options, 'warmup options', ['steps', 'then']);
  const n = steps(o.steps, 'warmup steps');
  const then = typeof o.then === 'number' ? constant(positive(o.then, 'warmup then')) : o.then;
  if (typeof then !== 'function') throw new InputError(`warmup then: expected a schedule or a learning rate, got ${describe(then)}`);
  const next = then as Schedule;
  const peak = next(0);
  const at = (t: number) => (t < n ? (peak * (t + 1)) / n : next(t - n));
  const fill = (rates: Float32Array, first: number) => {
    const ramp = Math.min(rates.length, Math.max(0, n - first));
    for (let i = 0; i < ramp; i++) rates[i] = (peak * (first + i + 1)) / n;
    if (ramp < rates.length) fillWith(next, rates.subarray(ramp), first + ramp - n);
  };
  return schedule(at, { type: 'warmup', steps: n, then: next.config ?? peak }, fill);
}

/** A fixed rate after a warm-up; the warm-up's config records it as a number. */
function constant(lr: number): Schedule {
  return Object.assign(() => lr, { fill: (rates: Float32Array) => void rates.fill(lr) });
}

/** rates[i] = s(first + i), by its fast fill where it has one. */
function fillWith(s: Schedule, rates: Float32Array, first: number): void {
  if (s.fill) return s.fill(rates, first);
  for (let i = 0; i < rates.length; i++) {
    const v: unknown = s(first + i);
    if (typeof v !== 'number') throw new InputError(`optimizer.lr: expected the schedule to give a number at step ${first + i}, got ${describe(v)}`);
    rates[i] = v;
  }
}

/**
 * The rates of steps first … first + rates.length − 1, each checked: a schedule that
 * returns NaN, a negative or a non-number is an error naming the step.
 */
export function scheduledRates(s: Schedule, rates: Float32Array, first: number): void {
  fillWith(s, rates, first);
  for (let i = 0; i < rates.length; i++) {
    // Zero is a rate (the end of a cosine to 0); what float32 cannot hold is not.
    if (!(rates[i] >= 0) || !Number.isFinite(rates[i])) {
      const got = s(first + i);
      throw new InputError(`optimizer.lr: expected the schedule to give a learning rate ≥ 0 within float32's range at step ${first + i}, got ${describe(got)}`);
    }
  }
}

const SCHEDULES = new Registry<(c: Record<string, unknown>) => Schedule>('schedule', [
  ['step', (c) => stepDecay(c as never)],
  ['exponential', (c) => exponentialDecay(c as never)],
  ['cosine', (c) => cosineDecay(c as never)],
  ['warmup', (c) => warmup({ steps: c.steps as number, then: typeof c.then === 'object' && c.then !== null ? scheduleFromConfig(c.then) : (c.then as number) })],
]);

/** A built-in schedule from the config a saved model records. */
export function scheduleFromConfig(config: unknown): Schedule {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new InputError(`optimizer.lr: expected a learning rate or a schedule's config, got ${describe(config)}`);
  const { type, ...rest } = config as Record<string, unknown>;
  return SCHEDULES.get(type, 'optimizer.lr.type')(rest);
}
