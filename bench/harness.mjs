// benny drives every measurement: one suite per workload, one case per contender.
import b from 'benny';

/** Full runs: ≥ 5 timed repetitions after the adapters' own warm-up; quick runs: one. */
function caseOptions(quick, maxTime) {
  return quick ? { minSamples: 1, maxTime: 0, minTime: 1e-6, initCount: 1 } : { minSamples: 5, maxTime, initCount: 1 };
}

/**
 * benny calls each case once while preparing, to learn whether it returns a
 * promise, and does not await that call. An async case answers that probe
 * without running the workload, so no epoch overlaps a timed one.
 */
function asyncCase(op) {
  let probed = false;
  const run = () => {
    if (probed) return op();
    probed = true;
    return Promise.resolve();
  };
  return () => run;
}

/**
 * The process CPU time of every call of `op`. On a shared machine a preempted op
 * takes longer on the wall clock but not in CPU time, so this is the steadier figure
 * (GC helper threads count too). Costs ~1 µs per call: use it for ops of milliseconds.
 */
function withCpuTime(op, async, seconds) {
  const since = (c0) => {
    const d = process.cpuUsage(c0);
    seconds.push((d.user + d.system) / 1e6);
  };
  if (async) {
    return async () => {
      const c0 = process.cpuUsage();
      await op();
      since(c0);
    };
  }
  return () => {
    const c0 = process.cpuUsage();
    op();
    since(c0);
  };
}

/**
 * Runs `cases` ({ id, op, async, cpu }) as one benny suite and returns, per case id,
 * the seconds per op of each benny sample (a sample is the mean of ≥ 1 ops) and,
 * for cases with `cpu`, the CPU seconds of every op.
 */
export async function measure(name, cases, { quick = false, maxTime = 1, saveTo = null, log = console.log } = {}) {
  const options = caseOptions(quick, maxTime);
  const reported = new Map();
  const cpu = {};
  const entries = cases.map((c) => {
    const op = c.cpu ? withCpuTime(c.op, c.async, (cpu[c.id] = [])) : c.op;
    return b.add(c.id, c.async ? asyncCase(op) : op, options);
  });
  const extras = [];
  if (!quick) {
    extras.push(
      b.cycle((current) => {
        if (current.samples === reported.get(current.name)) return;
        reported.set(current.name, current.samples);
        log(`  ${name} · ${current.name}: ${current.samples} sample(s), last ${formatPeriod(current.details.sampleResults.at(-1))}/op`);
      }),
      b.complete((summary) => log(`  ${name}: fastest ${summary.fastest.name}, slowest ${summary.slowest.name}`)),
    );
  }
  if (saveTo) extras.push(b.save({ file: slug(name), folder: saveTo, details: true, format: 'json' }));
  const summary = await b.suite(name, ...entries, ...extras);
  const out = {};
  for (const r of summary.results) {
    if (!r.completed) throw new Error(`${name} · ${r.name}: benny recorded no samples`);
    // Every call counts for CPU time, timed by benny or not (calibration, a sync case's probe): each is one whole op.
    out[r.name] = { periods: [...r.details.sampleResults], cpuSeconds: cpu[r.name] };
  }
  return out;
}

function formatPeriod(s) {
  if (s === undefined) return '?';
  return s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(2)} µs`;
}

const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Median, min and max of a sample. */
export function stats(values) {
  const v = [...values].sort((x, y) => x - y);
  const mid = v.length >> 1;
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1], n: v.length };
}
