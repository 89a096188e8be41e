// Layers rebuilt from the configs a saved model records.

import { InputError } from '../errors.js';
import { Activation } from '../layers/activation.js';
import { Dense } from '../layers/dense.js';
import type { Layer, LayerConfig } from '../layers/layer.js';
import { Maxout } from '../layers/maxout.js';
import { ModelFormatError } from '../errors.js';

type Builder = (c: Record<string, unknown>) => Layer;

const BUILDERS: Record<string, Builder> = {
  Dense: (c) => new Dense(c.inputSize as number, c.units as number, { activation: c.activation as never, init: c.init as never }),
  Activation: (c) => new Activation(c.activation as never),
  Maxout: (c) => new Maxout(c.inputSize as number, c.units as number, { pieces: c.pieces as number, init: c.init as never }),
};

export function layerFromConfig(config: LayerConfig, index: number): Layer {
  const build = BUILDERS[config?.type];
  if (!build) throw new ModelFormatError(`header.layers[${index}].type: expected one of ${Object.keys(BUILDERS).join(', ')}, got ${JSON.stringify(config?.type)}`);
  try {
    return build(config);
  } catch (e) {
    if (e instanceof InputError) throw new ModelFormatError(`header.layers[${index}]: ${e.message}`);
    throw e;
  }
}
