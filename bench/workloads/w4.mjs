// W4: W1's model serving predictions, one row at a time (latency) and in batches of 256 (throughput).
import { classification } from '../data.mjs';
import { measure, stats } from '../harness.mjs';
import { W1_SPEC } from './w1.mjs';

const BATCH = 256;
/** Distinct rows cycled through, so no contender can answer from a cache. */
const ROWS = 64;

export const w4 = {
  id: 'W4',
  title: 'W1\'s model (784→128→10), inference',
  async run(contenders, opts) {
    const data = classification(BATCH, 784, 10, 404);
    const entries = [];
    try {
      for (const c of contenders) {
        const model = await c.create(W1_SPEC);
        let i = 0;
        const one = () => {
          const r = i++ % ROWS;
          return model.predict(data.x.subarray(r * 784, (r + 1) * 784), 1);
        };
        const batch = () => model.predict(data.x, BATCH);
        for (let k = 0; k < (opts.quick ? 1 : 200); k++) one();
        for (let k = 0; k < (opts.quick ? 1 : 5); k++) batch();
        entries.push({ c, model, one, batch });
      }
      const suite = (name, pick, cpu) => measure(name, entries.map((e) => ({ id: e.c.id, op: e[pick], cpu })), { ...opts, maxTime: 2 });
      const latency = await suite('W4 inference batch 1', 'one', false);
      const bulk = await suite('W4 inference batch 256', 'batch', true);
      const calls = opts.quick ? { reps: 1, calls: 5 } : { reps: 5, calls: 1000 };
      const base = (e) => ({ contender: e.c.id, label: e.c.label, notes: e.model.notes.infer });
      return {
        batch1: entries.map((e) => ({ ...base(e), unitsPerOp: 1, periods: latency[e.c.id].periods, callMedians: perCallMedians(e.one, calls), calls })),
        batch256: entries.map((e) => ({ ...base(e), unitsPerOp: BATCH, ...bulk[e.c.id] })),
      };
    } finally {
      for (const { model } of entries) model.dispose();
    }
  },
};

/**
 * Latency as the median of single timed calls, per repetition: unlike benny's
 * mean over a cycle, a call preempted by a neighbour on this shared machine
 * moves it little. Includes ~0.1 µs of timer overhead.
 */
function perCallMedians(one, { reps, calls }) {
  const medians = [];
  const times = new Float64Array(calls);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < calls; i++) {
      const t0 = process.hrtime.bigint();
      one();
      times[i] = Number(process.hrtime.bigint() - t0) / 1e3;
    }
    medians.push(stats(times).median);
  }
  return medians;
}
