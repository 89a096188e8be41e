// Weight initialization: the scale of the starting weights decides whether
// signals and gradients keep their size through a deep stack (one of the
// lecture's remedies for vanishing gradients).

import type { FloatArray } from '../backend/kernels.js';
import { Registry } from '../registry.js';
import type { Random } from '../random.js';

export const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'lecunUniform', 'lecunNormal', 'zeros'] as const;
export type Initializer = (typeof INITIALIZERS)[number];

interface Scheme {
  /** The weights' variance for a fanIn×fanOut matrix. */
  variance(fanIn: number, fanOut: number): number;
  distribution: 'uniform' | 'normal' | 'zeros';
}

const glorot = (fanIn: number, fanOut: number) => 2 / (fanIn + fanOut);
const he = (fanIn: number) => 2 / fanIn;
const lecun = (fanIn: number) => 1 / fanIn;

const SCHEMES = new Registry<Scheme>('initializer', [
  ['glorotUniform', { variance: glorot, distribution: 'uniform' }],
  ['glorotNormal', { variance: glorot, distribution: 'normal' }],
  ['heUniform', { variance: he, distribution: 'uniform' }],
  ['heNormal', { variance: he, distribution: 'normal' }],
  ['lecunUniform', { variance: lecun, distribution: 'uniform' }],
  ['lecunNormal', { variance: lecun, distribution: 'normal' }],
  ['zeros', { variance: () => 0, distribution: 'zeros' }],
] satisfies [Initializer, Scheme][]);

export function checkInitializer(value: unknown, argument: string): Initializer {
  // Exact names only: a saved model records the canonical one.
  return SCHEMES.resolve(value, argument) as Initializer;
}

/** He for the ReLU family (half the units are off), Glorot otherwise. */
export function defaultInitializer(activation: string): Initializer {
  return activation === 'relu' || activation === 'leakyRelu' || activation === 'elu' ? 'heNormal' : 'glorotUniform';
}

/** Fill f[start, start+fanIn·fanOut) with weights of a fanIn×fanOut matrix. */
export function initializeWeights(f: FloatArray, start: number, fanIn: number, fanOut: number, kind: Initializer, rng: Random): void {
  const n = fanIn * fanOut;
  const scheme = SCHEMES.get(kind, 'init');
  const variance = scheme.variance(fanIn, fanOut);
  if (scheme.distribution === 'zeros') {
    f.fill(0, start, start + n);
  } else if (scheme.distribution === 'uniform') {
    const limit = Math.sqrt(3 * variance);
    for (let i = 0; i < n; i++) f[start + i] = (2 * rng.next() - 1) * limit;
  } else {
    const sd = Math.sqrt(variance);
    for (let i = 0; i < n; i++) f[start + i] = rng.normal() * sd;
  }
}
