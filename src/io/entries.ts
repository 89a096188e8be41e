// A file's list of tensors against what its layers, as configured, need: for the trainer's
// reader (io/load.ts) and the inference entry's (infer/plan.ts).

import { ModelFormatError } from '../errors.js';
import type { TensorEntry } from './format.js';

/** The file's entries must be the layers' own, in order, by name and length. */
export function matchEntries(entries: TensorEntry[], specs: readonly { name: string; length: number }[], field: string, what: string): void {
  specs.forEach((spec, i) => {
    const p = entries[i];
    if (!p || p.length !== spec.length) {
      throw new ModelFormatError(`header.${field}[${i}]: expected ${spec.length} values for the layers as configured, got ${p ? p.length : 'no entry'}`);
    }
    if (p.name !== spec.name) throw new ModelFormatError(`header.${field}[${i}].name: expected ${JSON.stringify(spec.name)} for the layers as configured, got ${JSON.stringify(p.name)}`);
  });
  if (entries.length !== specs.length) throw new ModelFormatError(`header.${field}: expected ${specs.length} ${what} for the layers as configured, got ${entries.length}`);
}
