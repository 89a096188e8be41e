// Reading a model back: from .simdnet bytes or from the readable JSON form.

import type { BackendOption } from '../backend/select.js';
import { ModelFormatError } from '../errors.js';
import { Sequential } from '../model.js';
import { type ModelHeader, checkHeader, decodeModel } from './format.js';
import { layerFromConfig } from './layers.js';

export interface LoadOptions {
  /** Backend of the loaded model; default 'auto'. */
  backend?: BackendOption;
}

/** The readable form of a model: the header with the weights as number arrays. */
export interface ModelJSON extends ModelHeader {
  weights: number[][];
}

export async function loadModel(bytes: Uint8Array, options: LoadOptions = {}): Promise<Sequential> {
  const { header, weights } = decodeModel(bytes);
  return build(header, weights, options);
}

export async function loadModelJSON(json: ModelJSON | string, options: LoadOptions = {}): Promise<Sequential> {
  let parsed: ModelJSON;
  try {
    parsed = typeof json === 'string' ? JSON.parse(json) : json;
  } catch (e) {
    throw new ModelFormatError(`json: expected a model in JSON, got text that does not parse (${(e as Error).message})`);
  }
  checkHeader(parsed);
  if (!Array.isArray(parsed.weights) || parsed.weights.length !== parsed.params.length) {
    throw new ModelFormatError(`weights: expected ${parsed.params.length} arrays as the header's params say, got ${Array.isArray(parsed.weights) ? parsed.weights.length : typeof parsed.weights}`);
  }
  const weights = parsed.weights.map((w, i) => {
    if (!Array.isArray(w) || w.length !== parsed.params[i].length) {
      throw new ModelFormatError(`weights[${i}]: expected ${parsed.params[i].length} numbers, got ${Array.isArray(w) ? w.length : typeof w}`);
    }
    return Float32Array.from(w);
  });
  return build(parsed, weights, options);
}

async function build(header: ModelHeader, weights: Float32Array[], options: LoadOptions): Promise<Sequential> {
  const layers = header.layers.map(layerFromConfig);
  let model: Sequential;
  try {
    model = await Sequential.create(layers, { loss: header.loss as never, optimizer: header.optimizer as never, backend: options.backend });
  } catch (e) {
    throw new ModelFormatError(`header: expected a model that builds, got: ${(e as Error).message}`);
  }
  const expected = model.getWeights();
  expected.forEach((w, i) => {
    const p = header.params[i];
    if (!p || p.length !== w.length) {
      model.dispose();
      throw new ModelFormatError(`header.params[${i}]: expected ${w.length} values for the layers as configured, got ${p ? p.length : 'no entry'}`);
    }
  });
  if (header.params.length !== expected.length) {
    model.dispose();
    throw new ModelFormatError(`header.params: expected ${expected.length} parameters for the layers as configured, got ${header.params.length}`);
  }
  model.setWeights(weights);
  model.metadata = header.metadata;
  return model;
}
