// Where each layer's tensors go and how a run of layers emits its forward ops: used by
// the engine and the inference entry for a model's layers, and by a layer of layers
// (Residual) for the ones inside it.

import type { Arena, ParamRef, ParamSpec, StateRef, StateSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Layer, LayerIO, Mode } from './layer.js';

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

/**
 * The forward ops of a run of layers. In inference a folded pair (layers/fold.ts) is one
 * op, and a layer that passes its input through (Dropout) is none: the op before it
 * writes into its output.
 */
export function forwardLayers(p: ProgramBuilder, layers: readonly Layer[], ios: readonly LayerIO[], mode: Mode): void {
  const infer = mode === 'infer';
  for (let i = 0; i < layers.length; ) {
    const fold = infer && i + 1 < layers.length ? layers[i].fold : null;
    let last = fold ? i + 1 : i;
    // The first layer has no op before it to take its place.
    while (infer && last + 1 < layers.length && layers[last + 1].passesThrough) last++;
    const y = ios[last].y;
    if (fold) fold.emit(p, ios[i].x, y);
    else layers[i].forward(p, last === i ? ios[i] : { ...ios[i], y }, mode);
    i = last + 1;
  }
}

/** Every parameter of bound layers in order, named "<layer index>.<name>" as files record them. */
export function modelParamSpecs(layers: readonly Layer[]): ParamSpec[] {
  return layers.flatMap((layer, i) => layer.paramSpecs().map((s) => ({ ...s, name: `${i}.${s.name}` })));
}

/** Every layer's state in order, named as the parameters are. */
export function modelStateSpecs(layers: readonly Layer[]): StateSpec[] {
  return layers.flatMap((layer, i) => layer.stateSpecs().map((s) => ({ ...s, name: `${i}.${s.name}` })));
}

/** Hand each layer its slice of the laid-out parameters and state. */
export function attachLayers(layers: readonly Layer[], params: readonly ParamRef[], state: readonly StateRef[]): void {
  let at = 0, stateAt = 0;
  for (const layer of layers) {
    const k = layer.paramSpecs().length, s = layer.stateSpecs().length;
    layer.attachParams(params.slice(at, at + k));
    layer.attachState(state.slice(stateAt, stateAt + s));
    at += k;
    stateAt += s;
  }
}
