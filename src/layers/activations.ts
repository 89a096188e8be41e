// Activation names as the API spells them, resolved to kernel codes.

import { Act, type ActivationName } from '../backend/ops.js';
import { InputError, describe } from '../errors.js';
import { readOptions } from '../options.js';
import { Registry } from '../registry.js';

export type { ActivationName };

/** An activation by name, or with its slope parameter: `{ name: 'leakyRelu', alpha: 0.01 }`. */
export type ActivationOption = ActivationName | { name: ActivationName; alpha?: number };

export interface ResolvedActivation {
  readonly name: ActivationName;
  readonly code: number;
  /** Negative-side slope of leaky ReLU (default 0.1, the lecture's max(0.1x, x)) and scale of ELU (default 1). */
  readonly alpha: number;
}

/** Each activation's kernel code and, for those that take one, its default alpha. */
const ACTIVATIONS = new Registry<{ code: number; alpha: number | null }>(
  'activation',
  (Object.keys(Act) as ActivationName[]).map((name) => [name, { code: Act[name], alpha: name === 'leakyRelu' ? 0.1 : name === 'elu' ? 1 : null }]),
  [
    ['leaky_relu', 'leakyRelu'],
    ['identity', 'linear'],
    ['none', 'linear'],
  ],
  (name) => name.toLowerCase(),
);

export function resolveActivation(option: unknown, argument: string): ResolvedActivation {
  const spec = typeof option === 'object' && option !== null ? readOptions(option, argument, ['name', 'alpha']) : { name: option, alpha: undefined };
  const name = ACTIVATIONS.resolve(spec.name, argument) as ActivationName;
  const { code, alpha: defaultAlpha } = ACTIVATIONS.get(name, argument);
  let alpha = defaultAlpha ?? 0;
  if (spec.alpha !== undefined) {
    if (defaultAlpha === null) throw new InputError(`${argument}.alpha: expected alpha only with leakyRelu or elu, got it with ${name}`);
    // Derivatives are read off the output, which needs a positive slope to keep the sign of x;
    // the kernels hold alpha as a float32.
    const a = spec.alpha;
    if (typeof a !== 'number' || !(Math.fround(a) > 0) || !Number.isFinite(Math.fround(a))) {
      throw new InputError(`${argument}.alpha: expected a number > 0 within float32's range, got ${describe(a)}`);
    }
    alpha = a;
  }
  return { name, code, alpha };
}

/** How a saved model records an activation: a name, plus alpha when it is not the default. */
export function activationConfig(a: ResolvedActivation): ActivationOption {
  const defaultAlpha = ACTIVATIONS.get(a.name, 'activation').alpha ?? 0;
  return a.alpha === defaultAlpha ? a.name : { name: a.name, alpha: a.alpha };
}
