// Bounds on JSON-like values (a file's header, a model's metadata), checked by an
// iterative walk: a value nested thousands deep, or a graph whose shared branches
// would expand into billions of values, is refused before anything recurses into
// it (JSON.stringify does, and would overflow the stack or run for hours).

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
