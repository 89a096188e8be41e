// Every error the library throws on purpose. Messages name the argument, what
// was expected and what came, so a caller can fix the call without a debugger.

export class SimdnetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A call's argument is malformed: wrong shape, non-finite value, label out of range, unknown name. */
export class InputError extends SimdnetError {}

/** The model was disposed; its memory is gone. */
export class DisposedError extends SimdnetError {}

/** Describe a value briefly for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'function') return 'a function';
  return `an object with keys [${Object.keys(value as object).slice(0, 6).join(', ')}]`;
}

/** Bytes that are not a model this version can read: wrong magic, unknown version, truncated, corrupt. */
export class ModelFormatError extends SimdnetError {}
