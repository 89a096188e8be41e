// What a model's file holds: the header (layers, loss, optimizer, tensor lists, metadata,
// and with { optimizer: true } the training block) and the values in file order — each
// checked as the reader will check it, so a model never saves what it cannot load.

import { firstNonFinite } from '../backend/finite.js';
import type { FloatArray } from '../backend/kernels.js';
import type { Engine } from '../engine.js';
import { InputError, describe } from '../errors.js';
import { readOptions } from '../options.js';
import { readTraining } from '../training-state.js';
import { FORMAT_VERSION, type ModelHeader } from './format.js';
import { metadataForFile } from './json.js';

export interface SaveOptions {
  /** Keep the optimizer's state too, to resume training exactly; default false. */
  optimizer?: boolean;
}

export function savesTraining(options: unknown): boolean {
  const o = readOptions(options, 'options', ['optimizer']);
  const v = o.optimizer ?? false;
  if (typeof v !== 'boolean') throw new InputError(`options.optimizer: expected true or false, got ${describe(v)}`);
  return v;
}

/** The header and the values of a model's file; non-finite values are refused, naming the tensor. */
export function modelFile(engine: Engine, seed: number, metadata: unknown, training: boolean): { header: ModelHeader; values: ArrayLike<number>[] } {
  const header: ModelHeader = {
    format: 'simdnet',
    version: FORMAT_VERSION,
    layers: engine.layers.map((l) => l.config()),
    loss: engine.loss.config(),
    optimizer: engine.optimizer.config(),
    params: engine.params.refs.map((r) => ({ name: r.name, length: r.value.length })),
    state: engine.modelState.map((r) => ({ name: r.name, length: r.slot.length })),
    metadata: metadataForFile(metadata),
  };
  const values: ArrayLike<number>[] = [...engine.readParams(), ...engine.readModelState()];
  const names = [...header.params, ...header.state!].map((e) => e.name);
  if (training) {
    const { moments, ...rest } = readTraining(engine);
    header.training = { seed, ...rest, moments: ['m', 'v'].slice(0, moments.length).map((name, i) => ({ name, length: moments[i].length })) };
    values.push(...moments);
    names.push(...header.training.moments.map((m) => m.name));
  }
  values.forEach((w, i) => {
    const at = firstNonFinite(w as FloatArray);
    if (at >= 0) throw new InputError(`model: expected finite weights to save, got ${w[at]} in ${names[i]} at index ${at} (did training diverge?)`);
  });
  return { header, values };
}
