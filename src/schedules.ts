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

/**
 * The built-ins whose every rate lies in [0, lr] by construction (their options are checked
 * when they are made), so their tables skip the per-rate check: at W3's ~60 ns per step, a
 * check of each rate is a cost the loop notices.
 */
const BOUNDED = new WeakSet<Schedule>();

function schedule(at: (step: number) => number, config: ScheduleConfig, fill?: Schedule['fill'], bounded = true): Schedule {
  const s: Schedule = Object.assign((step: number) => at(step), { config, fill });
  if (bounded) BOUNDED.add(s);
  return s;
}

/** Steps between exact values where a fill continues by recurrence. */
const ANCHOR = 64;

/** lr·factor^⌊step/every⌋. */
export function stepDecay(options: { lr: number; every: number; factor: number }): Schedule {
  const o = readOptions(options, 'stepDecay options', ['lr', 'every', 'factor']);
  const lr = positive(o.lr, 'stepDecay lr'), every = steps(o.every, 'stepDecay every'), factor = fraction(o.factor, 'stepDecay factor');
  const at = (t: number) => lr * factor ** Math.floor(t / every);
  // One value per stretch of `every` steps.
  const fill = (rates: Float32Array, first: number) => {
    for (let i = 0; i < rates.length; ) {
      const t = first + i, end = Math.min(rates.length, i + every - (t % every));
      rates.fill(at(t), i, end);
      i = end;
    }
  };
  return schedule(at, { type: 'step', lr, every, factor }, fill);
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
        // Anchored as the cosine's fill is: a rate depends on its step alone.
        let i = -(first % ANCHOR) | 0, v = 0;
        for (let next = i; i < rates.length; i++) {
          if (i === next) {
            v = at(first + i);
            next += ANCHOR;
          } else {
            v *= perStep;
          }
          if (i >= 0) rates[i] = v;
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
  const dc4 = Math.cos((4 * Math.PI) / n), ds4 = Math.sin((4 * Math.PI) / n);
  // The rate of step i: the rotation (c, s) clamped (it may drift past ±1 by an ulp), so it
  // stays within [floor, lr].
  const put = (rates: Float32Array, i: number, end: number, c: number) => {
    if (i >= 0 && i < end) rates[i] = value(c > 1 ? 1 : c < -1 ? -1 : c);
  };
  // cos and sin of the angle, exact at every multiple of ANCHOR, advance between them as four
  // interleaved rotations (steps a, a+1, a+2, a+3, each by 4π/steps): one chain's multiply-add
  // latency would bound the fill at ~4 ns a step, a cost W3's ~60 ns steps notice. Blocks
  // start at the anchor at or before `first`, so a rate depends on its step alone, never on
  // where a table (a slice of a fit) happens to start.
  const fill = (rates: Float32Array, first: number) => {
    const decaying = Math.max(0, Math.min(rates.length, n - first));
    for (let base = -(first % ANCHOR) | 0; base < decaying; base += ANCHOR) {
      const angle = (Math.PI * (first + base)) / n;
      let c0 = Math.cos(angle), s0 = Math.sin(angle);
      let c1 = c0 * dc - s0 * ds, s1 = s0 * dc + c0 * ds;
      let c2 = c1 * dc - s1 * ds, s2 = s1 * dc + c1 * ds;
      let c3 = c2 * dc - s2 * ds, s3 = s2 * dc + c2 * ds;
      for (let j = 0; j < ANCHOR; j += 4) {
        const i = base + j;
        put(rates, i, decaying, c0);
        put(rates, i + 1, decaying, c1);
        put(rates, i + 2, decaying, c2);
        put(rates, i + 3, decaying, c3);
        const r0 = c0 * dc4 - s0 * ds4, r1 = c1 * dc4 - s1 * ds4, r2 = c2 * dc4 - s2 * ds4, r3 = c3 * dc4 - s3 * ds4;
        s0 = s0 * dc4 + c0 * ds4;
        s1 = s1 * dc4 + c1 * ds4;
        s2 = s2 * dc4 + c2 * ds4;
        s3 = s3 * dc4 + c3 * ds4;
        c0 = r0;
        c1 = r1;
        c2 = r2;
        c3 = r3;
      }
    }
    rates.fill(floor, decaying);
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
  return schedule(at, { type: 'warmup', steps: n, then: next.config ?? peak }, fill, BOUNDED.has(next));
}

/** A fixed rate after a warm-up; the warm-up's config records it as a number. */
function constant(lr: number): Schedule {
  const s = Object.assign(() => lr, { fill: (rates: Float32Array) => void rates.fill(lr) });
  BOUNDED.add(s);
  return s;
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
/** Whether a schedule's rates are within [0, lr] by construction, so a fit need not check them first. */
export function isBounded(s: Schedule): boolean {
  return BOUNDED.has(s);
}

export function scheduledRates(s: Schedule, rates: Float32Array, first: number): void {
  fillWith(s, rates, first);
  if (isBounded(s)) return;
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
