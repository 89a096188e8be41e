// The largest things the library accepts, and why (the README's "Limits" says the same).
// Every size a user or a file declares is checked against these before anything is
// allocated for it, so a hostile header costs what its bytes cost and no more.

import { InputError, describe } from './errors.js';

/**
 * One model's heap: parameters, gradients, optimizer state, batch activations and the
 * resident training rows. Byte offsets travel as int32 words in the op records and the
 * JS views index the heap with 32-bit arithmetic, so 2 GiB is where the design ends
 * (the threads build's shared memory is declared with that maximum too).
 */
export const MAX_HEAP_BYTES = 2 ** 31;

/** Trainable numbers in one model: 256 MiB of float32, twice that with gradients. */
export const MAX_PARAMETERS = 2 ** 26;

/** Width of any layer's input or output, and Maxout's pieces per unit. */
export const MAX_WIDTH = 2 ** 24;

/** Layers in one model (each emits a few op records into every program). */
export const MAX_LAYERS = 10_000;

/** A model file's JSON header (layer configs, parameter names, metadata). */
export const MAX_HEADER_BYTES = 16 * 2 ** 20;

/** Nesting of the header's JSON, metadata included: deeper input is refused, not recursed into. */
export const MAX_JSON_DEPTH = 64;

/** A whole model file: the fixed fields, the largest header, the largest weights with two optimizer moments each, and the checksum. */
export const MAX_FILE_BYTES = 16 + MAX_HEADER_BYTES + 3 * 4 * MAX_PARAMETERS + 4;

/** A width or count: an integer from 1 to `max`. */
export function checkCount(value: unknown, argument: string, max = MAX_WIDTH, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`${argument}: expected an integer from ${min} to ${max.toLocaleString('en-US')}, got ${describe(value)}`);
  }
  return value;
}

/** A layer's own parameter count against the model limit (a model's total is checked when it is built). */
export function checkParameterCount(count: number, argument: string, formula: string): void {
  if (count > MAX_PARAMETERS) {
    throw new InputError(`${argument}: expected at most ${MAX_PARAMETERS.toLocaleString('en-US')} parameters, got ${formula} = ${count.toLocaleString('en-US')}`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 2 ** 20) return `${Math.ceil(bytes / 1024)} KiB`;
  if (bytes < 2 ** 30) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
