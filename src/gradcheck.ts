// gradCheck: a model's backpropagated gradients against central finite differences
// of its loss, taken in float64 on a copy with the same weights and state (JS
// backend), so the check measures backprop's arithmetic, not float32's rounding.
// Both sides use the gradients program: batch statistics, no dropout, nothing changed.

import type { FloatArray } from './backend/kernels.js';
import type { MatrixInput } from './data.js';
import { InputError, describe } from './errors.js';
import { float64Copy } from './io/load.js';
import type { Sequential } from './model.js';
import { readOptions } from './options.js';
import { Random } from './random.js';

export interface GradCheckOptions {
  /** Step of the central difference (f(θ+ε) − f(θ−ε))/2ε; default 1e-5. */
  epsilon?: number;
  /** Entries checked per parameter tensor: all of it when it has no more, else a seeded sample; default 100. */
  perParameter?: number;
  /** Seed of the sample; default 0. */
  seed?: number;
  /**
   * Entries much smaller than the model's largest gradient — zero up to rounding, like
   * a bias before batch normalization — are compared against this fraction of it
   * instead of their own size, since rounding, not backprop, decides their digits:
   * default 1e-4 for a float64 model (a central difference of a loss near 1 carries
   * ~1e-11 of noise), 1e-2 for a float32 one.
   */
  floor?: number;
}

export interface LayerCheck {
  layer: number;
  type: string;
  /** Largest |analytic − numeric| / max(|analytic| + |numeric|, floor · max |analytic|) over the entries checked. */
  maxRelativeError: number;
  /** The parameter and index where it was, e.g. "0.kernel[17]". */
  worstAt: string;
  checked: number;
}

export interface GradCheckResult {
  layers: LayerCheck[];
  /** The largest of the layers' errors. */
  maxRelativeError: number;
}

export async function gradCheck(model: Sequential, x: MatrixInput, y: unknown, options: GradCheckOptions = {}): Promise<GradCheckResult> {
  const o = readOptions(options, 'options', ['epsilon', 'perParameter', 'seed', 'floor']);
  const eps = o.epsilon ?? 1e-5;
  if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw new InputError(`options.epsilon: expected a number in (0, 1), got ${describe(eps)}`);
  const per = o.perParameter ?? 100;
  if (typeof per !== 'number' || !Number.isInteger(per) || per < 1) throw new InputError(`options.perParameter: expected an integer ≥ 1, got ${describe(per)}`);
  const seed = o.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new InputError(`options.seed: expected an integer, got ${describe(seed)}`);

  const analytic = model.gradients(x, y).gradients;
  const floor = o.floor ?? (analytic[0] instanceof Float64Array ? 1e-4 : 1e-2);
  if (typeof floor !== 'number' || !(floor >= 0 && floor < 1)) throw new InputError(`options.floor: expected a number in [0, 1), got ${describe(floor)}`);
  let largest = 0;
  for (const g of analytic) for (const v of g) largest = Math.max(largest, Math.abs(v));
  const tiny = Math.max(floor * largest, Number.MIN_VALUE);
  const copy = await float64Copy(model);
  try {
    const names = copy.parameterNames;
    const weights = copy.getWeights();
    const rng = new Random(seed);
    const byLayer = new Map<number, LayerCheck>();
    weights.forEach((w, p) => {
      const layer = Number(names[p].slice(0, names[p].indexOf('.')));
      const check = byLayer.get(layer) ?? { layer, type: copy.layers[layer].config().type, maxRelativeError: 0, worstAt: '', checked: 0 };
      byLayer.set(layer, check);
      for (const i of sample(w.length, per, rng)) {
        const numeric = centralDifference(copy, weights, p, i, eps, x, y);
        const a = analytic[p][i];
        const error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), tiny);
        if (error > check.maxRelativeError || check.worstAt === '') {
          check.maxRelativeError = Math.max(check.maxRelativeError, error);
          check.worstAt = `${names[p]}[${i}]`;
        }
        check.checked++;
      }
    });
    const layers = [...byLayer.values()];
    return { layers, maxRelativeError: Math.max(0, ...layers.map((l) => l.maxRelativeError)) };
  } finally {
    copy.dispose();
  }
}

/** dL/dθ_p[i] by (L(θ + ε) − L(θ − ε)) / 2ε, leaving the weights as they were. */
function centralDifference(copy: Sequential, weights: FloatArray[], p: number, i: number, eps: number, x: MatrixInput, y: unknown): number {
  const w = weights[p][i];
  weights[p][i] = w + eps;
  copy.setWeights(weights);
  const up = copy.gradients(x, y).loss;
  weights[p][i] = w - eps;
  copy.setWeights(weights);
  const down = copy.gradients(x, y).loss;
  weights[p][i] = w;
  copy.setWeights(weights);
  return (up - down) / (2 * eps);
}

/** Indices 0…n−1, or `k` of them drawn without replacement. */
function sample(n: number, k: number, rng: Random): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= k) return all;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, k);
}
