// Layers bound into a stack: each takes the width of the one before, and all of them
// together stay within the parameter limit. Shared by the trainer and the inference entry.

import { InputError } from '../errors.js';
import { MAX_PARAMETERS } from '../limits.js';
import type { Layer } from './layer.js';

export function bindLayers(layers: readonly Layer[]): void {
  let width = layers[0].declaredInputSize;
  if (width === null) throw new InputError(`layers[0]: expected a layer that declares its input width (Dense or Maxout), got ${layers[0].constructor.name}`);
  let parameters = 0;
  layers.forEach((layer, i) => {
    layer.bind(width as number, `layers[${i}]`);
    width = layer.outputSize;
    // The model's file holds its state (running statistics) beside the parameters.
    const sizes = [...layer.paramSpecs(), ...layer.stateSpecs().filter((s) => s.kind === 'model')];
    parameters += sizes.reduce((n, spec) => n + spec.length, 0);
  });
  if (parameters > MAX_PARAMETERS) {
    throw new InputError(`layers: expected at most ${MAX_PARAMETERS.toLocaleString('en-US')} parameters and state values in all (see the README's Limits), got ${parameters.toLocaleString('en-US')}`);
  }
}
