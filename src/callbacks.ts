// Callbacks: what fit calls between batches and epochs, given one object or a list of
// them (Keras's convention). Each method gets the model last, so a callback made by a
// factory — earlyStopping, reduceLROnPlateau, recordGradientNorms — can read it, stop
// it or change its learning rate. Keys a callback adds to an epoch's logs join the history.

import type { FloatArray } from './backend/kernels.js';
import type { MatrixInput } from './data.js';
import { InputError, describe } from './errors.js';
import type { Sequential } from './model.js';
import { readOptions } from './options.js';

export interface EpochLogs {
  loss: number;
  accuracy?: number;
  val_loss?: number;
  val_accuracy?: number;
  [metric: string]: number | undefined;
}

export interface History {
  /** Epoch numbers run (0-based); shorter than `epochs` when training was stopped. */
  epoch: number[];
  /** Per-epoch values of each metric: loss, accuracy, val_loss, val_accuracy, and what callbacks logged. */
  history: Record<string, number[]>;
}

export interface Callbacks {
  onTrainBegin?(model: Sequential): void | Promise<void>;
  onEpochBegin?(epoch: number, model: Sequential): void | Promise<void>;
  /** After each batch, with that batch's loss. */
  onBatchEnd?(batch: number, logs: { loss: number; size: number }, model: Sequential): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, model: Sequential): void | Promise<void>;
  onTrainEnd?(history: History, model: Sequential): void | Promise<void>;
}

export const CALLBACK_NAMES = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
type Name = (typeof CALLBACK_NAMES)[number];

/**
 * Callbacks by their own names; methods may come from a class, and other keys may hold
 * the callback's own state. A key that looks like a callback but is none is a typo.
 */
export function checkCallbacks(value: unknown): Callbacks[] {
  if (value === undefined) return [];
  // Copied by index: a sparse list's holes are undefined entries, refused below, not skipped.
  const list: unknown[] = Array.isArray(value) ? Array.from(value) : [value];
  list.forEach((cb, i) => {
    const at = Array.isArray(value) ? `callbacks[${i}]` : 'callbacks';
    if (typeof cb !== 'object' || cb === null || Array.isArray(cb)) {
      throw new InputError(`${at}: expected an object with methods among [${CALLBACK_NAMES.join(', ')}], got ${describe(cb)}`);
    }
    for (const key of Object.keys(cb)) {
      if (/^on[A-Z]/.test(key) && !(CALLBACK_NAMES as readonly string[]).includes(key)) throw new InputError(`${at}: expected methods among [${CALLBACK_NAMES.join(', ')}], got unknown key ${describe(key)}`);
    }
    for (const name of CALLBACK_NAMES) {
      const fn = (cb as Callbacks)[name];
      if (fn !== undefined && typeof fn !== 'function') throw new InputError(`${at}.${name}: expected a function, got ${describe(fn)}`);
    }
  });
  return list as Callbacks[];
}

/** Calls each callback's method in order, as a method (so `this` is the callback). */
export async function call(list: readonly Callbacks[], name: Name, ...args: unknown[]): Promise<void> {
  for (const cb of list) {
    const fn = cb[name] as ((...a: unknown[]) => void | Promise<void>) | undefined;
    if (fn) await fn.apply(cb, args);
  }
}

export function any(list: readonly Callbacks[], name: Name): boolean {
  return list.some((cb) => typeof cb[name] === 'function');
}

type Mode = 'min' | 'max' | 'auto';

interface Watch {
  monitor: string;
  minDelta: number;
  better: (current: number, best: number) => boolean;
}

/** How a monitored quantity improves: accuracy upwards, everything else downwards, unless `mode` says. */
function watch(factory: string, monitor: unknown, minDelta: unknown, mode: unknown): Watch {
  if (typeof monitor !== 'string' || monitor === '') throw new InputError(`${factory} monitor: expected a logged metric such as "val_loss", got ${describe(monitor)}`);
  if (typeof minDelta !== 'number' || !(minDelta >= 0) || !Number.isFinite(minDelta)) throw new InputError(`${factory} minDelta: expected a number ≥ 0, got ${describe(minDelta)}`);
  if (mode !== 'min' && mode !== 'max' && mode !== 'auto') throw new InputError(`${factory} mode: expected 'min', 'max' or 'auto', got ${describe(mode)}`);
  const up = mode === 'max' || (mode === 'auto' && /acc/.test(monitor));
  return { monitor, minDelta, better: up ? (c, b) => c > b + minDelta : (c, b) => c < b - minDelta };
}

function monitored(w: Watch, factory: string, logs: EpochLogs): number {
  const v = Object.hasOwn(logs, w.monitor) ? logs[w.monitor] : undefined;
  if (typeof v !== 'number') {
    const hint = w.monitor.startsWith('val_') ? ' (pass validationSplit or validationData to fit)' : '';
    throw new InputError(`${factory} monitor: expected one of the logged metrics [${Object.keys(logs).join(', ')}], got ${JSON.stringify(w.monitor)}${hint}`);
  }
  return v;
}

function count(value: unknown, argument: string, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InputError(`${argument}: expected an integer ≥ 0, got ${describe(v)}`);
  return v;
}

export interface EarlyStoppingOptions {
  /** The logged metric to watch; default 'val_loss'. */
  monitor?: string;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** Smallest change that counts as an improvement; default 0. */
  minDelta?: number;
  /** 'min', 'max', or 'auto' (default: 'max' for accuracies, else 'min'). */
  mode?: Mode;
  /** At the end, go back to the weights (and running statistics) of the best epoch; default false. */
  restoreBestWeights?: boolean;
}

export interface EarlyStopping extends Callbacks {
  /** The epoch training stopped after (0-based), or null when it ran to the end. */
  readonly stoppedEpoch: number | null;
  /** The best epoch (0-based) and its value, or null before the first epoch. */
  readonly bestEpoch: number | null;
  readonly best: number | null;
}

/** Stop training once `monitor` has not improved for `patience` epochs (Keras's EarlyStopping). */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  const o = readOptions(options, 'earlyStopping options', ['monitor', 'patience', 'minDelta', 'mode', 'restoreBestWeights']);
  const w = watch('earlyStopping', o.monitor ?? 'val_loss', o.minDelta ?? 0, o.mode ?? 'auto');
  const patience = count(o.patience, 'earlyStopping patience', 0);
  const restore = o.restoreBestWeights ?? false;
  if (typeof restore !== 'boolean') throw new InputError(`earlyStopping restoreBestWeights: expected true or false, got ${describe(restore)}`);
  let best: number | null = null, bestEpoch: number | null = null, wait = 0, stopped: number | null = null;
  let snapshot: ReturnType<Sequential['snapshot']> | null = null;
  return {
    get stoppedEpoch() {
      return stopped;
    },
    get bestEpoch() {
      return bestEpoch;
    },
    get best() {
      return best;
    },
    onTrainBegin() {
      best = bestEpoch = stopped = null;
      wait = 0;
      snapshot = null;
    },
    onEpochEnd(epoch, logs, model) {
      const current = monitored(w, 'earlyStopping', logs);
      if (best === null || w.better(current, best)) {
        best = current;
        bestEpoch = epoch;
        wait = 0;
        if (restore) snapshot = model.snapshot();
        return;
      }
      // As Keras: stop once `patience` epochs (at least one) have passed without improvement.
      if (++wait >= Math.max(1, patience)) {
        stopped = epoch;
        model.stopTraining = true;
      }
    },
    onTrainEnd(_history, model) {
      if (snapshot) model.restore(snapshot);
    },
  };
}

export interface ReduceLROnPlateauOptions {
  monitor?: string;
  /** The rate is multiplied by this on a plateau; default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing; default 10. */
  patience?: number;
  minDelta?: number;
  mode?: Mode;
  /** Epochs to wait after a reduction before watching again; default 0. */
  cooldown?: number;
  /** The rate never goes below this; default 0. */
  minLr?: number;
}

/** Multiply the learning rate by `factor` when `monitor` stops improving (Keras's ReduceLROnPlateau); logs `lr` each epoch. */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): Callbacks {
  const o = readOptions(options, 'reduceLROnPlateau options', ['monitor', 'factor', 'patience', 'minDelta', 'mode', 'cooldown', 'minLr']);
  const w = watch('reduceLROnPlateau', o.monitor ?? 'val_loss', o.minDelta ?? 1e-4, o.mode ?? 'auto');
  const factor = o.factor ?? 0.1;
  if (typeof factor !== 'number' || !(factor > 0 && factor < 1)) throw new InputError(`reduceLROnPlateau factor: expected a number in (0, 1), got ${describe(factor)}`);
  const patience = count(o.patience, 'reduceLROnPlateau patience', 10);
  const cooldown = count(o.cooldown, 'reduceLROnPlateau cooldown', 0);
  const minLr = o.minLr ?? 0;
  if (typeof minLr !== 'number' || !(minLr >= 0) || !Number.isFinite(minLr)) throw new InputError(`reduceLROnPlateau minLr: expected a number ≥ 0, got ${describe(minLr)}`);
  let best: number | null = null, wait = 0, cooling = 0;
  return {
    onTrainBegin(model) {
      if (model.optimizer.schedule) throw new InputError('reduceLROnPlateau: expected an optimizer with a fixed learning rate, got one that follows a schedule');
      best = null;
      wait = cooling = 0;
    },
    onEpochEnd(_epoch, logs, model) {
      const current = monitored(w, 'reduceLROnPlateau', logs);
      if (cooling > 0) cooling--;
      if (best === null || w.better(current, best)) {
        best = current;
        wait = 0;
      } else if (cooling === 0 && ++wait >= Math.max(1, patience)) {
        const lower = Math.max(minLr, model.optimizer.lr * factor);
        // A rate that float32 rounds to zero would stop training altogether: keep the last one.
        if (Math.fround(lower) > 0) model.optimizer.lr = lower;
        cooling = cooldown;
        wait = 0;
      }
      logs.lr = model.optimizer.lr;
    },
  };
}

/** Log each parameterized layer's gradient norm for (x, y) after every epoch, as `gradientNorm.<layer>` (at most batchSize rows). */
export function recordGradientNorms(x: MatrixInput, y: unknown): Callbacks {
  return {
    onEpochEnd(_epoch, logs, model) {
      for (const { layer, norm } of model.gradientNorms(x, y)) logs[`gradientNorm.${layer}`] = norm;
    },
  };
}

/** A copy of everything a model computes with: its parameters and its running statistics. */
export interface ModelSnapshot {
  readonly weights: FloatArray[];
  readonly state: FloatArray[];
}
