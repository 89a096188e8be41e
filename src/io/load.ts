// Reading a model back: from .simdnet bytes or from the readable JSON form.
// Everything a file says is checked against what its bytes hold and what its
// layers need before any memory is taken for the model: a header that declares
// a 16384×16384 layer without its weights costs nothing.

import type { BackendOption } from '../backend/select.js';
import { ModelFormatError, describe } from '../errors.js';
import { modelParamSpecs, modelStateSpecs } from '../layers/layout.js';
import { type ModelOptions, Sequential } from '../model.js';
import { prepareModel } from '../prepare.js';
import { readOptions } from '../options.js';
import { fileMomentLayout } from '../plan.js';
import { HEADER_KEYS, type ModelHeader, checkHeader, decodeModel, tensorLists } from './format.js';
import { jsonBoundsProblem } from './json.js';
import { matchEntries } from './entries.js';
import { asFormatError, layerFromConfig } from './layers.js';
import { type ModelSource, modelBytes } from './source.js';

export interface LoadOptions {
  /** Backend of the loaded model; default 'auto'. */
  backend?: BackendOption;
}

/** The readable form of a model: the header with the weights as number arrays. */
export interface ModelJSON extends ModelHeader {
  weights: number[][];
}

/** A model from a .simdnet file's bytes: a Uint8Array, an ArrayBuffer (or another view over one), or a fetch Response. */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<Sequential> {
  const o = readOptions(options, 'options', ['backend']);
  const { header, weights, state, moments } = decodeModel(await modelBytes(source));
  return build(header, () => ({ weights, state, moments }), o.backend);
}

export async function loadModelJSON(json: ModelJSON | string, options: LoadOptions = {}): Promise<Sequential> {
  const o = readOptions(options, 'options', ['backend']);
  let parsed: unknown = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new ModelFormatError(`json: expected a model in JSON, got text that does not parse (${(e as Error).message})`);
    }
  } else if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    parsed = asJson(json);
  }
  const header = checkHeader(parsed, [...HEADER_KEYS, 'weights']);
  const given = (header as ModelHeader & { weights?: unknown }).weights;
  // Sized by the params and the state, which match the layers by the time this runs.
  const weights = () => {
    const lists = tensorLists(header).map(([, list]) => list);
    const count = lists.reduce((n, list) => n + list.length, 0);
    if (!Array.isArray(given) || given.length !== count) {
      throw new ModelFormatError(`weights: expected ${count} arrays as the header's params and state say, got ${describe(given)}`);
    }
    // A loop, not map: map skips the holes of a sparse array.
    const all = lists.flat().map((p, i) => numbersOf(given[i], p));
    const [p, s] = [lists[0].length, lists[1].length];
    return { weights: all.slice(0, p), state: all.slice(p, p + s), moments: all.slice(p + s) };
  };
  return build(header, weights, o.backend);
}

/**
 * A model object as its JSON text would read: the header through JSON, so a bigint,
 * a function or a Map in it is refused now rather than by the model's save(); the
 * weights as given, so a NaN among them is named as NaN.
 */
function asJson(json: object): unknown {
  // An object from the caller may be a graph of any shape: bound it before reading it.
  const bounds = jsonBoundsProblem(json);
  if (bounds) throw new ModelFormatError(`json: expected a model within the limits, got ${bounds}`);
  const { weights, ...rest } = json as { weights?: unknown };
  let header: unknown;
  try {
    header = JSON.parse(JSON.stringify(rest));
  } catch (e) {
    throw new ModelFormatError(`json: expected a model that JSON can hold, got one that fails to serialize (${(e as Error).message})`);
  }
  return Object.hasOwn(json, 'weights') ? { ...(header as object), weights } : header;
}

/** One parameter's values from JSON: finite numbers that float32 holds, as many as the params say. */
function numbersOf(w: unknown, p: { name: string; length: number }): Float32Array {
  const at = `weights of ${JSON.stringify(p.name)}`;
  if (!Array.isArray(w) || w.length !== p.length) throw new ModelFormatError(`${at}: expected ${p.length} numbers, got ${describe(w)}`);
  const out = new Float32Array(p.length);
  for (let j = 0; j < w.length; j++) {
    const v: unknown = w[j];
    if (typeof v === 'number') out[j] = v;
    if (typeof v !== 'number' || !Number.isFinite(out[j])) throw new ModelFormatError(`${at}: expected finite numbers within float32's range, got ${describe(v)} at index ${j}`);
  }
  return out;
}

/** A float64 copy of `model` on the JS backend: the same layers, weights and state, for gradient checks. */
export async function float64Copy(model: Sequential): Promise<Sequential> {
  const json = model.toJSON();
  const p = json.params.length;
  return build(json, () => ({ weights: json.weights.slice(0, p).map((w) => Float32Array.from(w)), state: json.weights.slice(p).map((w) => Float32Array.from(w)), moments: [] }), 'js', 'float64');
}

interface Values {
  weights: Float32Array[];
  state: Float32Array[];
  moments: Float32Array[];
}

async function build(header: ModelHeader, values: () => Values, backend: unknown, precision?: 'float64'): Promise<Sequential> {
  const layers = header.layers.map(layerFromConfig);
  const t = header.training;
  const options = { loss: header.loss, optimizer: header.optimizer, precision, seed: t?.seed } as ModelOptions;
  const prepared = asFormatError(() => prepareModel(layers, options), 'header.');
  const params = modelParamSpecs(prepared.layers), states = modelStateSpecs(prepared.layers);
  matchEntries(header.params, params, 'params', 'parameters');
  matchEntries(header.state ?? [], states.filter((s) => s.kind === 'model'), 'state', 'state tensors');
  if (t) {
    const { length } = fileMomentLayout(params);
    matchEntries(t.moments, ['m', 'v'].slice(0, prepared.optimizer.moments).map((name) => ({ name, length })), 'training.moments', 'moments of the optimizer');
    const generators = states.filter((s) => s.kind === 'training');
    if (t.generators.length !== generators.length) throw new ModelFormatError(`header.training.generators: expected ${generators.length} for the layers as configured, got ${t.generators.length}`);
    generators.forEach((g, i) => {
      const got = t.generators[i];
      if (got.name !== g.name || got.words.length !== g.length) throw new ModelFormatError(`header.training.generators[${i}]: expected ${JSON.stringify(g.name)} with ${g.length} words, got ${JSON.stringify(got.name)} with ${got.words.length}`);
    });
  }
  const { weights, state, moments } = values();
  // The backend is the caller's option: a bad one is the caller's InputError, not the file's.
  const training = t ? { fits: t.fits, step: t.step, beta1Pow: t.beta1Pow, beta2Pow: t.beta2Pow, generators: t.generators, moments } : undefined;
  const model = await Sequential.fromPrepared({ ...prepared, backend: backend ?? 'auto' }, weights, state, training);
  model.metadata = header.metadata;
  return model;
}
