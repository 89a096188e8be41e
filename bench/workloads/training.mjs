// Shared by the training workloads: build each contender's model, warm it up with one
// untimed op, then time ops (each one epoch over the workload's rows) in one benny suite.
import { head } from '../data.mjs';
import { measure, stats } from '../harness.mjs';

export async function runTraining(workload, contenders, opts) {
  const data = workload.data(opts.quick);
  const entries = [];
  try {
    for (const c of contenders) {
      const model = await c.create(workload.spec);
      const entry = { c, model };
      entries.push(entry);
      const rows = workload.rows(c.id, opts.quick);
      const handle = model.prepare(head(data, rows));
      // The warm-up may be longer than a timed op: W3 checks what exactly its full run taught.
      const warmRows = workload.warmRows?.(opts.quick) ?? rows;
      await model.fit(warmRows === rows ? handle : model.prepare(head(data, warmRows)));
      const check = workload.check ? workload.check(model) : null;
      const op = async () => {
        await model.fit(handle);
      };
      Object.assign(entry, { rows, warmRows, op, check });
    }
    const measured = await measure(workload.suite, entries.map(({ c, op }) => ({ id: c.id, op, async: true, cpu: true })), { ...opts, maxTime: workload.maxTime ?? 1 });
    return entries.map(({ c, model, rows, warmRows, check }) => ({
      contender: c.id,
      label: c.label,
      unitsPerOp: rows,
      warmUnits: warmRows,
      ...measured[c.id],
      notes: model.notes.train,
      check,
    }));
  } finally {
    for (const { model } of entries) model.dispose();
  }
}

/** Throughput (units per second) from seconds-per-op samples, and per CPU-second when recorded. */
export function throughput(result) {
  const wall = stats(result.periods.map((p) => result.unitsPerOp / p));
  if (!result.cpuSeconds?.length) return wall;
  return { ...wall, perCpuSecond: stats(result.cpuSeconds.map((s) => result.unitsPerOp / s)).median };
}
