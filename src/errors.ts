// Every error the library throws on purpose. Messages name the argument, what
// was expected and what came, so a caller can fix the call without a debugger.
// Each class names itself with a literal: a minifier renames classes, and
// `err.name === 'InputError'` must survive a production build.

export class SimdnetError extends Error {
  override name = 'SimdnetError';
}

/** A call's argument is malformed: wrong shape, non-finite value, label out of range, unknown name. */
export class InputError extends SimdnetError {
  override name = 'InputError';
}

/** The model was disposed; its memory is gone. */
export class DisposedError extends SimdnetError {
  override name = 'DisposedError';
}

/** Bytes that are not a model this version can read: wrong magic, unknown version, truncated, corrupt. */
export class ModelFormatError extends SimdnetError {
  override name = 'ModelFormatError';
}

/**
 * A request needs more memory than a model may have (see the README's Limits) or than
 * the engine would give. Nothing was changed: the model works as before the call.
 */
export class ResourceError extends SimdnetError {
  override name = 'ResourceError';
}

/** Training produced a non-finite loss or weights: the learning rate is usually too large. */
export class DivergenceError extends SimdnetError {
  override name = 'DivergenceError';

  constructor(
    message: string,
    /** The epoch (0-based) in which the loss or the weights stopped being finite. */
    readonly epoch: number,
    /** What happened and where, e.g. "the loss became NaN in epoch 3". */
    readonly detail: string,
  ) {
    super(message);
  }
}

/** Describe a value briefly for an error message, without running the caller's code or recursing into it. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    const short = value.length <= 4 && value.every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'));
    return short ? `[${value.map(describe).join(', ')}]` : `an array of length ${value.length}`;
  }
  if (ArrayBuffer.isView(value)) {
    const kind = Object.prototype.toString.call(value).slice(8, -1);
    return isDetached(value) ? `a ${kind} over a detached buffer` : `a ${kind} of length ${(value as unknown as ArrayLike<number>).length ?? value.byteLength}`;
  }
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`;
  const keys = Object.keys(value as object);
  return keys.length === 0 ? 'an object with no keys' : `an object with keys [${keys.slice(0, 6).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 6 ? ', …' : ''}]`;
}

/** Whether a typed array's buffer was transferred or detached (its views then read as empty and throw on use). */
export function isDetached(view: ArrayBufferView): boolean {
  const buffer = view.buffer as ArrayBuffer & { detached?: boolean };
  if (typeof buffer.detached === 'boolean') return buffer.detached;
  // Engines before ArrayBuffer.prototype.detached (Node 20): a detached buffer is empty and refuses to be sliced.
  if (buffer.byteLength > 0) return false;
  try {
    buffer.slice(0, 0);
    return false;
  } catch {
    return true;
  }
}
