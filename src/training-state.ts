// What training further needs beyond the model itself — the optimizer's step count and
// moments, the dropout generators, how many fits ran — read from and written back to a
// model's heap for save({ optimizer: true }) and the reader.

import { Hyper } from './backend/ops.js';
import type { Engine } from './engine.js';
import { type ParamRef, fileMomentLayout } from './plan.js';

/** The state of training beyond the model (readTraining). */
export interface TrainingState {
  fits: number;
  step: number;
  beta1Pow: number;
  beta2Pow: number;
  generators: { name: string; words: number[] }[];
  moments: ArrayLike<number>[];
}

/** What training further needs beyond the model: the optimizer's step and moments, the generators, the fit count. */
export function readTraining(engine: Engine): TrainingState {
  const heap = engine.kernels.heap, h = engine.hyper;
  const { starts, length } = momentFileLayout(engine);
  const region = (at: number) => {
    const moment = new Float32Array(length);
    engine.params.refs.forEach((r, i) => moment.set(heap.f32.subarray(inHeap(engine, at, r), inHeap(engine, at, r) + r.value.length), starts[i]));
    return moment;
  };
  return {
    fits: engine.fits,
    step: heap.f64[(h + Hyper.step) >> 3],
    beta1Pow: heap.f64[(h + Hyper.beta1Pow) >> 3],
    beta2Pow: heap.f64[(h + Hyper.beta2Pow) >> 3],
    generators: engine.state.filter((r) => r.kind === 'training').map((r) => ({ name: r.name, words: Array.from(heap.i32.subarray(r.slot.offset >> 2, (r.slot.offset >> 2) + r.slot.length)) })),
    moments: [engine.m, engine.v].filter((at) => at !== 0).map(region),
  };
}

/** Training state read back from a file, already checked against this model's shapes. */
export function writeTraining(engine: Engine, t: TrainingState): void {
  const heap = engine.kernels.heap, h = engine.hyper;
  engine.fits = t.fits;
  heap.f64[(h + Hyper.step) >> 3] = t.step;
  heap.f64[(h + Hyper.beta1Pow) >> 3] = t.beta1Pow;
  heap.f64[(h + Hyper.beta2Pow) >> 3] = t.beta2Pow;
  const generators = engine.state.filter((r) => r.kind === 'training');
  generators.forEach((r, i) => heap.i32.set(t.generators[i].words, r.slot.offset >> 2));
  const { starts } = momentFileLayout(engine);
  [engine.m, engine.v].filter((at) => at !== 0).forEach((at, i) => {
    const moment = t.moments[i];
    engine.params.refs.forEach((r, j) => {
      const from = starts[j], to = inHeap(engine, at, r);
      for (let k = 0; k < r.value.length; k++) heap.f32[to + k] = moment[from + k];
    });
  });
}

/** Where parameter r's entries of the moment region at byte `at` start in the heap, in floats (it mirrors the parameter region). */
function inHeap(engine: Engine, at: number, r: ParamRef): number {
  return (at + r.value.offset - engine.params.values.offset) >> 2;
}

/** A moment in a file holds each parameter where a region of 16-byte steps put it, whatever the heap's own alignment. */
function momentFileLayout(engine: Engine): { starts: number[]; length: number } {
  return fileMomentLayout(engine.params.refs.map((r) => ({ name: r.name, length: r.value.length })));
}

