// Option objects at the public edge: only their own, known keys are read, so a
// typo ({ activaton: 'relu' }) is an error instead of a silently ignored key, and
// nothing inherited (`constructor`, a polluted prototype) is mistaken for an option.

import { InputError, describe } from './errors.js';

export type Options<K extends string> = { readonly [key in K]?: unknown };

/** The own values of `known` keys of `value` (undefined: none given); any other key is an error. */
export function readOptions<K extends string>(value: unknown, argument: string, known: readonly K[]): Options<K> {
  const out: Partial<Record<K, unknown>> = Object.create(null);
  if (value === undefined) return out;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new InputError(`${argument}: expected an object with keys among [${known.join(', ')}], got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new InputError(`${argument}: expected keys among [${known.join(', ')}], got unknown key ${describe(key)}`);
    }
  }
  for (const key of known) if (Object.hasOwn(value, key)) out[key] = (value as Record<K, unknown>)[key];
  return out;
}
