// Where each layer's batch-sized tensors go: used by the engine for the model's layers
// and by a layer of layers (Residual) for the ones inside it.

import type { Arena } from '../plan.js';
import type { Layer, LayerIO } from './layer.js';

/**
 * The output, its gradient and the scratch of each of `layers` for `capacity` rows, the
 * first reading `x` (its input gradient `dx`, or none): claims only. A layer of layers
 * lays out the ones inside it with this too.
 */
export function layoutLayers(arena: Arena, layers: readonly Layer[], capacity: number, x: number, dx: number | null, absorbLast: boolean): LayerIO[] {
  const ios: LayerIO[] = [];
  let input = x;
  let inputGrad = dx;
  layers.forEach((layer, i) => {
    const y = arena.claim(capacity * layer.outputSize).offset;
    const dy = arena.claim(capacity * layer.outputSize).offset;
    const scratch = layer.claimScratch(arena, capacity, input, inputGrad);
    ios.push({ x: input, y, dy, dx: inputGrad, absorbed: absorbLast && i === layers.length - 1, scratch });
    input = y;
    inputGrad = dy;
  });
  return ios;
}

