// Shared by the training workloads: build each contender's model, warm it up with one
// untimed op, then time ops (each one epoch over the workload's rows) in one benny suite.
// Pairs of rows whose ratio is reported (a variant and its reference) are then timed once
// more, interleaved op by op, on the same models.
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
    const paired = {};
    for (const [variantId, referenceId] of opts.pairs ?? []) {
      const v = entries.find((e) => e.c.id === variantId), ref = entries.find((e) => e.c.id === referenceId);
      if (v && ref) paired[variantId] = await interleaved(v, ref, opts.pairRounds ?? 5);
    }
    return entries.map(({ c, model, rows, warmRows, check }) => ({
      contender: c.id,
      label: c.label,
      unitsPerOp: rows,
      warmUnits: warmRows,
      ...measured[c.id],
      notes: model.notes.train,
      check,
      paired: paired[c.id] ?? null,
    }));
  } finally {
    for (const { model } of entries) model.dispose();
  }
}

/**
 * t(variant)/t(reference) per unit, from `rounds` rounds that each time one op of both, back to
 * back (the order alternating between rounds): a slow stretch of the shared machine then hits
 * both sides of a ratio alike, where benny's cases are timed one after the other. Median, min
 * and max over the rounds, on the wall clock and in process CPU time.
 */
async function interleaved(variant, reference, rounds) {
  const time = async (e) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await e.op();
    const wall = (performance.now() - t0) / 1000;
    const d = process.cpuUsage(c0);
    return { wall: wall / e.rows, cpu: (d.user + d.system) / 1e6 / e.rows };
  };
  const wall = [], cpu = [];
  for (let i = 0; i < rounds; i++) {
    let tv, tr;
    if (i % 2 === 0) {
      tv = await time(variant);
      tr = await time(reference);
    } else {
      tr = await time(reference);
      tv = await time(variant);
    }
    wall.push(tv.wall / tr.wall);
    if (tr.cpu > 0) cpu.push(tv.cpu / tr.cpu);
  }
  return { reference: reference.c.id, rounds, wall: stats(wall), cpu: cpu.length ? stats(cpu) : null };
}

/** Throughput (units per second) from seconds-per-op samples, and per CPU-second when recorded. */
export function throughput(result) {
  const wall = stats(result.periods.map((p) => result.unitsPerOp / p));
  if (!result.cpuSeconds?.length) return wall;
  return { ...wall, perCpuSecond: stats(result.cpuSeconds.map((s) => result.unitsPerOp / s)).median };
}
