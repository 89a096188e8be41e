// Layers rebuilt from the configs a saved model records. Each type lists the
// fields its config may have (layer-fields.ts); the layer's own constructor checks their values.

import { InputError, ModelFormatError, describe } from '../errors.js';
import { Activation } from '../layers/activation.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import { BatchNorm } from '../layers/batchnorm.js';
import { Dropout } from '../layers/dropout.js';
import { Maxout } from '../layers/maxout.js';
import { Residual } from '../layers/residual.js';
import { Registry } from '../registry.js';
import { layerFields } from './layer-fields.js';

type Build = (c: Record<string, unknown>, at: string) => Layer;

const LAYER_TYPES = new Registry<Build>('layer type', [
  ['Dense', (c) => new Dense(c.inputSize as number, c.units as number, { activation: c.activation as never, init: c.init as never })],
  ['Activation', (c) => new Activation(c.activation as never)],
  ['Maxout', (c) => new Maxout(c.inputSize as number, c.units as number, { pieces: c.pieces as never, init: c.init as never })],
  ['Dropout', (c) => new Dropout(c.rate as number)],
  ['BatchNorm', (c) => new BatchNorm({ momentum: c.momentum as never, epsilon: c.epsilon as never })],
  ['Residual', (c, at) => new Residual(innerLayers(c.layers, `${at}.layers`), { projection: c.projection as never })],
]);

/** The configs of a block's layers: an array of layer configs, each read like a top-level one. */
function innerLayers(value: unknown, at: string): Layer[] {
  if (!Array.isArray(value) || value.length === 0) throw new ModelFormatError(`${at}: expected a non-empty array of layer configs, got ${describe(value)}`);
  return value.map((c: unknown, j) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ModelFormatError(`${at}[${j}]: expected a layer config object, got ${describe(c)}`);
    return layerAt(c as Record<string, unknown>, `${at}[${j}]`);
  });
}

/** The layer a checked header's layers[index] describes, or a ModelFormatError naming the field. */
export function layerFromConfig(config: Record<string, unknown>, index: number): Layer {
  return layerAt(config, `header.layers[${index}]`);
}

function layerAt(config: Record<string, unknown>, at: string): Layer {
  return asFormatError(() => {
    const build = LAYER_TYPES.get(config.type, `${at}.type`);
    const fields = layerFields(config.type) as readonly string[];
    for (const key of Object.keys(config)) {
      if (key !== 'type' && !fields.includes(key)) throw new InputError(`${at}: expected the fields type, ${fields.join(', ')} for ${config.type}, got an unknown field ${JSON.stringify(key)}`);
    }
    // Only own fields reach the constructor: a missing one is undefined, never inherited.
    const own: Record<string, unknown> = Object.create(null);
    for (const key of fields) if (Object.hasOwn(config, key)) own[key] = config[key];
    return build(own, at);
  }, `${at}: `);
}

/**
 * Run `build`; an InputError from it becomes a ModelFormatError about the file, its
 * message behind `prefix` ("header." before a field the error names, "header.layers[0]: "
 * before a layer constructor's own words).
 */
export function asFormatError<T>(build: () => T, prefix: string): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new ModelFormatError(e.message.startsWith('header') ? e.message : prefix + e.message);
  }
}
