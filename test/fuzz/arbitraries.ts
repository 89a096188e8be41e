// Generators of what a hostile user or a damaged file brings: values of every JS
// type with the built-in property names among the strings, sizes from plausible
// to absurd, model headers that are valid in most fields and wrong in a few, and
// byte-level damage to valid files.
import fc from 'fast-check';

/** Names every plain object answers to, beside the library's own. */
export const BUILT_IN_NAMES = ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf', 'toLocaleString', 'isPrototypeOf', 'propertyIsEnumerable', 'prototype', 'length', ''];

const name = (valid: readonly string[]) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: fc.constantFrom(...BUILT_IN_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });

/** Anything at all, small: primitives of every type, arrays, objects with odd keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 1e300, 1e39, 2 ** 31, 2 ** 53, '', '3', '1e3', [], {}, [3], 1n, -1n),
  fc.constantFrom(...BUILT_IN_NAMES),
  fc.anything({ maxDepth: 2, maxKeys: 3, withBigInt: true, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withTypedArray: true, withSparseArray: true }),
);

/** A layer width: usually small and valid, else absurd, negative, fractional or not a number. */
export const size: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 16384, 2 ** 24, 2 ** 24 + 1, 1.4e8, 2 ** 31, 2 ** 53, 1e300, NaN, Infinity) },
  { weight: 1, arbitrary: hostileValue },
);

export const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax'];
export const INITS = ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'lecunUniform', 'lecunNormal', 'zeros'];

export const activation: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: name(ACTIVATIONS) },
  { weight: 1, arbitrary: fc.record({ name: name(['leakyRelu', 'elu', 'relu']), alpha: fc.oneof(fc.double(), hostileValue) }, { requiredKeys: ['name'] }) },
  { weight: 1, arbitrary: hostileValue },
);

const init = fc.oneof({ weight: 4, arbitrary: name(INITS) }, { weight: 1, arbitrary: hostileValue });

/** A layer config as a file would hold it: the valid fields, mostly. */
const leafConfig: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: name(['Dense']), inputSize: size, units: size, activation, init }, { requiredKeys: ['type', 'inputSize', 'units'] }) },
  { weight: 2, arbitrary: fc.record({ type: name(['Maxout']), inputSize: size, units: size, pieces: fc.oneof(fc.integer({ min: 2, max: 4 }), size), init }, { requiredKeys: ['type', 'inputSize', 'units'] }) },
  { weight: 2, arbitrary: fc.record({ type: name(['Activation']), activation }) },
  { weight: 1, arbitrary: fc.record({ type: name(['Dropout']), rate: fc.oneof(fc.constantFrom(0, 0.1, 0.5, 0.99), hostileValue) }) },
  { weight: 1, arbitrary: fc.record({ type: name(['BatchNorm']), momentum: fc.oneof(fc.constantFrom(0.9, 0.99, 0), hostileValue), epsilon: fc.oneof(fc.constantFrom(1e-3, 1e-5), hostileValue) }, { requiredKeys: ['type'] }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('type', ...BUILT_IN_NAMES), fc.string({ maxLength: 6 })), hostileValue, { maxKeys: 4 }) },
);

/** A layer config, possibly a residual block of them (nested twice at most). */
export const layerConfig: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 8, arbitrary: leafConfig },
  {
    weight: 1,
    arbitrary: fc.record({ type: name(['Residual']), layers: fc.oneof(fc.array(fc.oneof(leafConfig, fc.record({ type: fc.constant('Residual'), layers: fc.array(leafConfig, { minLength: 1, maxLength: 2 }) })), { minLength: 1, maxLength: 3 }), hostileValue), projection: fc.oneof(fc.boolean(), hostileValue) }, { requiredKeys: ['type', 'layers'] }),
  },
);

export const loss: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: name(['mse', 'crossEntropy', 'binaryCrossEntropy', 'meanSquaredError', 'categorical_cross_entropy']) },
  { weight: 1, arbitrary: fc.record({ name: name(['mse', 'crossEntropy']), reduction: name(['mean', 'sum']) }, { requiredKeys: ['name'] }) },
  { weight: 1, arbitrary: hostileValue },
);

export const optimizer: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: name(['sgd']), lr: fc.oneof(fc.double({ min: 1e-4, max: 1, noNaN: true }), hostileValue) }, { requiredKeys: ['type'] }) },
  { weight: 1, arbitrary: hostileValue },
);

/** The parameters a Dense or Maxout config declares, when its fields are small integers. */
type Entry = { name: string; length: number };

/** The parameters a list of layer configs declares, when its fields are small integers. */
export function declaredParams(layers: unknown[]): Entry[] {
  return declaredTensors(layers).params;
}

/** Parameters and (batch-norm) state the configs declare, walking the widths as the model does. */
export function declaredTensors(layers: unknown[], prefix = '', start = 0): { params: Entry[]; state: Entry[]; width: number } {
  const params: Entry[] = [], state: Entry[] = [];
  const n = (v: unknown, fallback: number) => (Number.isInteger(v) && (v as number) > 0 && (v as number) < 1000 ? (v as number) : fallback);
  let width = start;
  layers.forEach((l, i) => {
    const c = (typeof l === 'object' && l !== null ? l : {}) as Record<string, unknown>;
    const at = `${prefix}${i}.`;
    if (c.type === 'Dense' || c.type === 'Maxout') {
      const units = n(c.units, 1), pieces = c.type === 'Maxout' ? n(c.pieces, 2) : 1;
      params.push({ name: `${at}kernel`, length: n(c.inputSize, 1) * units * pieces }, { name: `${at}bias`, length: units * pieces });
      width = units;
    } else if (c.type === 'BatchNorm') {
      params.push({ name: `${at}gamma`, length: width }, { name: `${at}beta`, length: width });
      state.push({ name: `${at}movingMean`, length: width }, { name: `${at}movingVariance`, length: width });
    } else if (c.type === 'Residual' && Array.isArray(c.layers)) {
      const inner = declaredTensors(c.layers, at, width);
      params.push(...inner.params);
      state.push(...inner.state);
      if (c.projection === true) params.push({ name: `${at}projection.kernel`, length: width * inner.width }, { name: `${at}projection.bias`, length: inner.width });
      width = inner.width;
    }
  });
  return { params, state, width };
}

/** Where a header's text may get a value nested `depth` deep (JSON.stringify cannot write one). */
export const DEEP = '"__deep__"';

/** A header of no particular shape: fields from the generators above, params consistent with its layers half the time. */
const wildHeader: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    format: fc.oneof({ weight: 9, arbitrary: fc.constant('simdnet') }, { weight: 1, arbitrary: hostileValue }),
    version: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: hostileValue }),
    layers: fc.oneof({ weight: 9, arbitrary: fc.array(layerConfig, { minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: hostileValue }),
    loss,
    optimizer,
    metadata: fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: fc.object({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constant({ deep: '__deep__' }) }, { weight: 1, arbitrary: hostileValue }),
    params: fc.oneof({ weight: 4, arbitrary: fc.constant('consistent') }, { weight: 2, arbitrary: fc.array(fc.record({ name: fc.oneof(fc.string({ maxLength: 8 }), hostileValue), length: size }), { maxLength: 4 }) }, { weight: 1, arbitrary: hostileValue }),
  })
  .map(({ params, ...h }) => ({ ...h, params: params === 'consistent' ? declaredParams(Array.isArray(h.layers) ? h.layers : []) : params }));

const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== 'softmax');

/** A model the writer could have written: layers that chain, an output that suits the loss, consistent params. */
const validHeader: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    loss: fc.constantFrom('mse', 'crossEntropy', 'binaryCrossEntropy'),
    reduction: fc.constantFrom('mean', 'sum'),
    input: fc.integer({ min: 1, max: 5 }),
    hidden: fc.array(fc.record({ type: fc.constantFrom('Dense', 'Maxout', 'Activation', 'BatchNorm', 'Dropout', 'Residual'), units: fc.integer({ min: 1, max: 5 }), activation: fc.constantFrom(...HIDDEN_ACTIVATIONS), pieces: fc.integer({ min: 2, max: 3 }), init: fc.constantFrom(...INITS) }), { maxLength: 3 }),
    outputs: fc.integer({ min: 1, max: 4 }),
    outputActivation: fc.constantFrom(...ACTIVATIONS),
    lr: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    metadata: fc.oneof(fc.constant({}), fc.object({ maxDepth: 2, maxKeys: 3 })),
  })
  .map((m) => {
    const layers: Record<string, unknown>[] = [];
    let width = m.input;
    for (const l of m.hidden) {
      if (l.type === 'Activation') layers.push({ type: 'Activation', activation: l.activation });
      else if (l.type === 'BatchNorm') layers.push({ type: 'BatchNorm', momentum: 0.9, epsilon: 1e-3 });
      else if (l.type === 'Dropout') layers.push({ type: 'Dropout', rate: (l.pieces - 2) * 0.3 });
      else if (l.type === 'Residual') {
        // The block keeps its width, or projects to `units`.
        const keep = l.pieces === 2;
        layers.push({ type: 'Residual', layers: [{ type: 'Dense', inputSize: width, units: keep ? width : l.units, activation: l.activation, init: l.init }, { type: 'BatchNorm', momentum: 0.9, epsilon: 1e-3 }], projection: !keep });
        width = keep ? width : l.units;
        continue;
      } else if (l.type === 'Maxout') layers.push({ type: 'Maxout', inputSize: width, units: l.units, pieces: l.pieces, init: l.init });
      else layers.push({ type: 'Dense', inputSize: width, units: l.units, activation: l.activation, init: l.init });
      if (l.type === 'Dense' || l.type === 'Maxout') width = l.units;
    }
    const outputs = m.loss === 'crossEntropy' ? Math.max(2, m.outputs) : m.outputs;
    const act = m.loss === 'crossEntropy' ? 'softmax' : m.loss === 'binaryCrossEntropy' ? 'sigmoid' : m.outputActivation;
    layers.push({ type: 'Dense', inputSize: width, units: outputs, activation: act, init: 'glorotUniform' });
    const { params, state } = declaredTensors(layers);
    return {
      format: 'simdnet',
      version: 2,
      layers,
      loss: m.reduction === 'mean' ? m.loss : { name: m.loss, reduction: m.reduction },
      optimizer: { type: 'sgd', lr: m.lr },
      params,
      state,
      metadata: m.metadata,
    };
  });

/** One field of a header replaced, added or removed: the damage a hostile writer does with intent. */
type Substitution = { at: number; field: number; value: unknown; remove: boolean };
const substitution: fc.Arbitrary<Substitution> = fc.record({
  at: fc.nat(),
  field: fc.nat(),
  value: fc.oneof(size, hostileValue, fc.constantFrom(...BUILT_IN_NAMES), fc.constant('__deep__')),
  remove: fc.boolean(),
});

function substitute(h: Record<string, unknown>, s: Substitution): void {
  const pick = <T>(list: readonly T[], n: number) => list[n % list.length];
  const set = (o: Record<string, unknown>, key: string) => {
    if (s.remove) delete o[key];
    else Object.defineProperty(o, key, { value: s.value, enumerable: true, writable: true, configurable: true });
  };
  // An earlier substitution may have replaced the lists themselves.
  const objects = (v: unknown) => (Array.isArray(v) ? v.filter((o) => typeof o === 'object' && o !== null) : []) as Record<string, unknown>[];
  const layers = objects(h.layers);
  const params = objects(h.params);
  const metadata = h.metadata;
  const target = s.at % 5;
  if (target === 0) set(h, pick([...Object.keys(h), ...BUILT_IN_NAMES, 'weights'], s.field));
  else if ((target === 1 || target === 2) && layers.length > 0) {
    const layer = pick(layers, s.field);
    set(layer, pick([...Object.keys(layer), ...BUILT_IN_NAMES, 'pieces', 'alpha'], s.at >> 3));
  } else if (target === 3 && params.length > 0) {
    const p = pick(params, s.field);
    set(p, pick(['name', 'length', ...BUILT_IN_NAMES], s.at >> 3));
  } else if (target === 4 && typeof metadata === 'object' && metadata !== null) set(metadata as Record<string, unknown>, pick(['a', ...BUILT_IN_NAMES], s.field));
}

/** A header: mostly one the writer could have made with a few fields replaced, sometimes one of no particular shape. */
export const header: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(validHeader, fc.array(substitution, { maxLength: 2 })).map(([h, subs]) => {
      for (const s of subs) substitute(h, s);
      return h;
    }),
  },
  { weight: 1, arbitrary: wildHeader },
);

/** The header as text: JSON, with any marker replaced by arrays nested up to 5,000 deep. */
export const headerText: fc.Arbitrary<string> = fc.tuple(header, fc.integer({ min: 1, max: 5000 }), fc.nat({ max: 8 })).map(([h, depth, pad]) => {
  let text: string;
  try {
    text = JSON.stringify(h) ?? 'null';
  } catch {
    text = '{"format":"simdnet"}'; // a bigint among the hostile values
  }
  return text.replaceAll(DEEP, '['.repeat(depth) + '1' + ']'.repeat(depth)) + ' '.repeat(pad);
});

/** float32 weights: ordinary numbers mostly, with NaN, ±Infinity and extremes among them. */
export const weight = fc.oneof({ weight: 20, arbitrary: fc.float({ min: -10, max: 10, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e-45) });

/** Damage to a file: a list of edits, then (or not) the checksum recomputed so the damage passes it. */
export type Edit = { kind: 'flip'; at: number; bit: number } | { kind: 'set'; at: number; value: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'delete'; at: number; count: number };

export const edits: fc.Arbitrary<Edit[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x22, 0x5b, 0x7b, 0x30) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);

export function applyEdits(file: Uint8Array, list: readonly Edit[]): Uint8Array {
  let bytes = Array.from(file);
  for (const e of list) {
    const at = bytes.length === 0 ? 0 : e.at % bytes.length;
    if (e.kind === 'flip') bytes[at] ^= 1 << e.bit;
    else if (e.kind === 'set') bytes[at] = e.value;
    else if (e.kind === 'cut') bytes = bytes.slice(0, at);
    else if (e.kind === 'insert') bytes.splice(at, 0, ...e.bytes);
    else bytes.splice(at, e.count);
  }
  return Uint8Array.from(bytes);
}
