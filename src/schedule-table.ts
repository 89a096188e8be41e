// The table of learning rates a schedule gives the steps of one backend call: written
// into the heap before the call, read by the update kernels (Hyper.table), so a schedule
// costs the epochs-in-WASM loop a load per step.

import { Hyper } from './backend/ops.js';
import type { Engine, Resident } from './engine.js';
import { scheduledRates } from './schedules.js';

/** Steps one backend call may take while a schedule sets their rates (the size of its table). */
export const SCHEDULE_STEPS = 65536;
let scheduleBuffer: Float32Array | undefined;

/** Write the schedule's rates for the next `count` steps (≤ SCHEDULE_STEPS) where the update kernels read them. */
export function writeSchedule(engine: Engine, data: Resident, count: number): void {
  const schedule = engine.optimizer.schedule;
  if (!schedule || data.rates === 0) return;
  const first = engine.steps;
  const rates = (scheduleBuffer ??= new Float32Array(SCHEDULE_STEPS)).subarray(0, count);
  scheduledRates(schedule, rates, first);
  const heap = engine.kernels.heap;
  heap.f32.set(rates, data.rates >> 2);
  heap.i32[(engine.hyper + Hyper.table) >> 2] = data.rates;
  heap.i32[(engine.hyper + Hyper.tableLength) >> 2] = count;
  heap.f64[(engine.hyper + Hyper.tableFirst) >> 3] = first;
}

/** No schedule table: the rates of steps beyond a fit are the base rate. */
export function clearSchedule(engine: Engine): void {
  engine.kernels.heap.i32[(engine.hyper + Hyper.table) >> 2] = 0;
}
