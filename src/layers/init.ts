// Weight initialization: the scale of the starting weights decides whether
// signals and gradients keep their size through a deep stack (one of the
// lecture's remedies for vanishing gradients).

import type { FloatArray } from '../backend/kernels.js';
import { InputError, describe } from '../errors.js';
import type { Random } from '../random.js';

export const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'lecunUniform', 'lecunNormal', 'zeros'] as const;
export type Initializer = (typeof INITIALIZERS)[number];

export function checkInitializer(value: unknown, argument: string): Initializer {
  if (!INITIALIZERS.includes(value as Initializer)) {
    throw new InputError(`${argument}: expected one of ${INITIALIZERS.join(', ')}, got ${describe(value)}`);
  }
  return value as Initializer;
}

/** He for the ReLU family (half the units are off), Glorot otherwise. */
export function defaultInitializer(activation: string): Initializer {
  return activation === 'relu' || activation === 'leakyRelu' || activation === 'elu' ? 'heNormal' : 'glorotUniform';
}

/** Fill f[start, start+fanIn·fanOut) with weights of a fanIn×fanOut matrix. */
export function initializeWeights(f: FloatArray, start: number, fanIn: number, fanOut: number, kind: Initializer, rng: Random): void {
  const n = fanIn * fanOut;
  const variance = kind.startsWith('glorot') ? 2 / (fanIn + fanOut) : kind.startsWith('he') ? 2 / fanIn : 1 / fanIn;
  if (kind === 'zeros') {
    f.fill(0, start, start + n);
  } else if (kind.endsWith('Uniform')) {
    const limit = Math.sqrt(3 * variance);
    for (let i = 0; i < n; i++) f[start + i] = (2 * rng.next() - 1) * limit;
  } else {
    const sd = Math.sqrt(variance);
    for (let i = 0; i < n; i++) f[start + i] = rng.normal() * sd;
  }
}
