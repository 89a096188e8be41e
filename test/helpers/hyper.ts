// An optimizer's hyperparameter block (src/backend/ops.ts: Hyper) as int32 words, for
// kernel tests that lay it out as a buffer: f32 fields as their bits, f64 fields as
// two words, and back.
import { Hyper } from '../../src/backend/ops.js';

export interface HyperFields {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  decay?: number;
  clip?: number;
  nesterov?: number;
  momentum?: number;
  step?: number;
  beta1Pow?: number;
  beta2Pow?: number;
  gradSq?: number;
}

const F32 = ['lr', 'beta1', 'beta2', 'eps', 'decay', 'clip', 'momentum'] as const;
const F64 = ['step', 'beta1Pow', 'beta2Pow', 'gradSq'] as const;

export function hyperWords(fields: HyperFields): number[] {
  const view = new DataView(new ArrayBuffer(Hyper.bytes));
  view.setFloat64(Hyper.beta1Pow, 1, true);
  view.setFloat64(Hyper.beta2Pow, 1, true);
  for (const name of F32) if (fields[name] !== undefined) view.setFloat32(Hyper[name], fields[name]!, true);
  for (const name of F64) if (fields[name] !== undefined) view.setFloat64(Hyper[name], fields[name]!, true);
  view.setInt32(Hyper.nesterov, fields.nesterov ?? 0, true);
  return Array.from(new Int32Array(view.buffer));
}

export function readHyper(words: readonly number[]): Record<string, number> {
  const view = new DataView(Int32Array.from(words).buffer);
  const out: Record<string, number> = {};
  for (const name of F32) out[name] = view.getFloat32(Hyper[name], true);
  for (const name of F64) out[name] = view.getFloat64(Hyper[name], true);
  out.lrNow = view.getFloat32(Hyper.lrNow, true);
  out.status = view.getInt32(Hyper.status, true);
  return out;
}
