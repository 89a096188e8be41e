// Bounds on JSON-like values (a file's header, a model's metadata), checked by an
// iterative walk: a value nested thousands deep, or a graph whose shared branches
// would expand into billions of values, is refused before anything recurses into
// it (JSON.stringify does, and would overflow the stack or run for hours).

import { InputError, describe } from '../errors.js';
import { MAX_HEADER_BYTES, MAX_JSON_DEPTH } from '../limits.js';

/**
 * Why `value` is out of bounds, or null. `maxValues` bounds how many values the walk
 * visits, counting a shared branch as often as JSON would write it; every value takes
 * at least one byte of JSON, so the header limit is a natural bound.
 */
export function jsonBoundsProblem(value: unknown, maxValues = MAX_HEADER_BYTES): string | null {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let visited = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (++visited > maxValues) return `more than ${maxValues.toLocaleString('en-US')} values`;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `values nested more than ${MAX_JSON_DEPTH} deep`;
    const children = Array.isArray(v) ? v : Object.values(v);
    if (visited + values.length + children.length > maxValues) return `more than ${maxValues.toLocaleString('en-US')} values`;
    for (let i = 0; i < children.length; i++) {
      values.push(children[i]);
      depths.push(depth + 1);
    }
  }
  return null;
}

/** The metadata as the file will hold it; refused when the reader would refuse it. */
export function metadataForFile(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`metadata: expected a JSON object, got ${describe(value)}`);
  const bounds = jsonBoundsProblem(value);
  if (bounds) throw new InputError(`metadata: expected JSON within the limits, got ${bounds}`);
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(value));
  } catch (e) {
    throw new InputError(`metadata: expected a JSON-serializable object, got one that fails to serialize (${(e as Error).message})`);
  }
  // toJSON methods may turn it into anything: check what will actually be written.
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new InputError(`metadata: expected a JSON object, got one that serializes to ${describe(copy)}`);
  const written = jsonBoundsProblem(copy);
  if (written) throw new InputError(`metadata: expected JSON within the limits, got ${written}`);
  return copy as Record<string, unknown>;
}

