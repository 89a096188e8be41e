// Layers rebuilt from the configs a saved model records. Each type lists the
// fields its config may have; the layer's own constructor checks their values.

import { InputError, ModelFormatError } from '../errors.js';
import { Activation } from '../layers/activation.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import { Maxout } from '../layers/maxout.js';
import { Registry } from '../registry.js';

interface LayerType {
  /** The fields of its config besides `type`. */
  readonly fields: readonly string[];
  build(c: Record<string, unknown>): Layer;
}

const LAYER_TYPES = new Registry<LayerType>('layer type', [
  ['Dense', { fields: ['inputSize', 'units', 'activation', 'init'], build: (c) => new Dense(c.inputSize as number, c.units as number, { activation: c.activation as never, init: c.init as never }) }],
  ['Activation', { fields: ['activation'], build: (c) => new Activation(c.activation as never) }],
  ['Maxout', { fields: ['inputSize', 'units', 'pieces', 'init'], build: (c) => new Maxout(c.inputSize as number, c.units as number, { pieces: c.pieces as never, init: c.init as never }) }],
]);

/** The layer a checked header's layers[index] describes, or a ModelFormatError naming the field. */
export function layerFromConfig(config: Record<string, unknown>, index: number): Layer {
  const at = `header.layers[${index}]`;
  return asFormatError(() => {
    const type = LAYER_TYPES.get(config.type, `${at}.type`);
    for (const key of Object.keys(config)) {
      if (key !== 'type' && !type.fields.includes(key)) throw new InputError(`${at}: expected the fields type, ${type.fields.join(', ')} for ${config.type}, got an unknown field ${JSON.stringify(key)}`);
    }
    // Only own fields reach the constructor: a missing one is undefined, never inherited.
    const own: Record<string, unknown> = Object.create(null);
    for (const key of type.fields) if (Object.hasOwn(config, key)) own[key] = config[key];
    return type.build(own);
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
