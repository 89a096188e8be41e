// Activation names as the API spells them, resolved to kernel codes.

import { Act, type ActivationName } from '../backend/ops.js';
import { InputError, describe } from '../errors.js';

export type { ActivationName };

/** An activation by name, or with its slope parameter: `{ name: 'leakyRelu', alpha: 0.01 }`. */
export type ActivationOption = ActivationName | { name: ActivationName; alpha?: number };

export interface ResolvedActivation {
  readonly name: ActivationName;
  readonly code: number;
  /** Negative-side slope of leaky ReLU (default 0.1, the lecture's max(0.1x, x)) and scale of ELU (default 1). */
  readonly alpha: number;
}

const DEFAULT_ALPHA: Partial<Record<ActivationName, number>> = { leakyRelu: 0.1, elu: 1 };
const ALIASES: Record<string, ActivationName> = {
  leaky_relu: 'leakyRelu',
  leakyrelu: 'leakyRelu',
  identity: 'linear',
  none: 'linear',
};

export function resolveActivation(option: unknown, argument: string): ResolvedActivation {
  const spec = typeof option === 'object' && option !== null ? (option as { name?: unknown; alpha?: unknown }) : { name: option };
  const raw = spec.name;
  const name = typeof raw === 'string' ? (raw in Act ? (raw as ActivationName) : ALIASES[raw.toLowerCase()]) : undefined;
  if (!name) {
    throw new InputError(`${argument}: expected one of ${Object.keys(Act).join(', ')}, got ${describe(raw)}`);
  }
  let alpha = DEFAULT_ALPHA[name] ?? 0;
  if (spec.alpha !== undefined) {
    if (!(name in DEFAULT_ALPHA)) throw new InputError(`${argument}.alpha: only leakyRelu and elu take alpha, got it for ${name}`);
    // Derivatives are read off the output, which needs a positive slope to keep the sign of x.
    if (typeof spec.alpha !== 'number' || !(spec.alpha > 0) || !Number.isFinite(spec.alpha)) {
      throw new InputError(`${argument}.alpha: expected a finite number > 0, got ${describe(spec.alpha)}`);
    }
    alpha = spec.alpha;
  }
  return { name, code: Act[name], alpha };
}

/** How a saved model records an activation: a name, plus alpha when it is not the default. */
export function activationConfig(a: ResolvedActivation): ActivationOption {
  return a.alpha === (DEFAULT_ALPHA[a.name] ?? 0) ? a.name : { name: a.name, alpha: a.alpha };
}
