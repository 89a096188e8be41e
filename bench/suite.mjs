// The whole benchmark as one function: every workload on every contender in one
// process, so the ratios between them are comparable. run.mjs and the smoke test call it.
import { brainJs } from './contenders/brain.mjs';
import { jaxjs } from './contenders/jaxjs.mjs';
import { cosineDecay } from 'simdnet';
import { simdnetInfer, simdnetJs, simdnetWasm, simdnetWasm2t, simdnetWasmDenseOnly } from './contenders/simdnet.mjs';
import { tfjsCpu, tfjsWasm } from './contenders/tfjs.mjs';
import { variant } from './contenders/variant.mjs';
import { ceilings, measureCeiling } from './ceiling.mjs';
import { stats } from './harness.mjs';
import { machine } from './machine.mjs';
import { latencyProbe } from './probe.mjs';
import { memoryReport } from './memory.mjs';
import { throughput } from './workloads/training.mjs';
import { w1 } from './workloads/w1.mjs';
import { FLOPS_FORMULA, FLOPS_PER_SAMPLE, w2 } from './workloads/w2.mjs';
import { w3 } from './workloads/w3.mjs';
import { w4 } from './workloads/w4.mjs';
import { W5_FLOPS_PER_SAMPLE, W5_SPEC, jaxjsW5, tfjsCpuW5, tfjsWasmW5, w5 } from './workloads/w5-peers.mjs';

/** Longest wait for a quiet machine before a workload. */
const QUIET_WAIT_S = 120;

export const CONTENDERS = [simdnetWasm, simdnetWasm2t, simdnetJs, tfjsWasm, tfjsCpu, brainJs];
/**
 * jax-js joins the minibatch training workloads only: W1 and W2 (this contender) and W5 (its own
 * model, in w5-peers.mjs). W3 and W4 skip it: not for a missing feature (its predict works, and
 * per-sample steps would run), but because the issue that added it asks for W1/W2, and W3's
 * 20,000 per-sample steps per op would each be a jit dispatch plus a read-back — untried here.
 */
export const TRAINING_ONLY = [jaxjs];
const ALL = [...CONTENDERS, ...TRAINING_ONLY];

/** W1 and W2 once more with Adam, on simdnet-wasm and TF.js wasm: W5's hyperparameters (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7). */
const ADAM = W5_SPEC.optimizer;
const ADAM_NOTE = `Adam lr ${ADAM.lr}, β1 ${ADAM.beta1}, β2 ${ADAM.beta2}, ε ${ADAM.epsilon} (ε added to √v̂), in place of SGD`;
const adam = (spec) => ({ ...spec, optimizer: ADAM });
export const simdnetWasmAdam = variant(simdnetWasm, { id: 'simdnet-wasm-adam', label: 'simdnet wasm, Adam', spec: adam, note: ADAM_NOTE });
export const tfjsWasmAdam = variant(tfjsWasm, { id: 'tfjs-wasm-adam', label: 'TF.js wasm, Adam', spec: adam, note: `tf.train.adam(${ADAM.lr}, ${ADAM.beta1}, ${ADAM.beta2}, ${ADAM.epsilon}) in place of SGD` });
/** Each variant right after the row it is compared with, so the two are timed back to back rather than a suite apart. */
const W1_W2 = [simdnetWasm, simdnetWasmAdam, simdnetWasm2t, simdnetJs, tfjsWasm, tfjsWasmAdam, tfjsCpu, brainJs, jaxjs];

/** The floor W3's cosine schedule decays to, from its lr of 0.5. */
const COSINE_FLOOR = 0.05;
/** Steps of the mid-decay variant's schedule: more than any run takes, so every timed step is inside the decay. */
const COSINE_LONG_STEPS = 1e9;
/**
 * W3 with lr = cosineDecay({ lr: 0.5, steps, floor: 0.05 }). `steps` is the run whose result the
 * workload checks (the 20,000-step warm-up): its timed ops come after, at the floor rate. The
 * mid-decay twin decays over 1e9 steps, so its timed steps pay for the decaying part's rates.
 */
function cosineRows(steps) {
  const make = (id, label, n, note) => variant(simdnetWasm, {
    id,
    label,
    spec: (spec) => ({ ...spec, optimizer: { type: 'sgd', lr: cosineDecay({ lr: spec.lr, steps: n, floor: COSINE_FLOOR }) } }),
    note,
  });
  return [
    make('simdnet-wasm-cosine', 'simdnet wasm, cosine schedule', steps, `lr = cosineDecay({ lr: 0.5, steps: ${steps.toLocaleString('en')}, floor: ${COSINE_FLOOR} }): the decay spans the checked warm-up run; the timed ops come after it, at the floor rate`),
    make('simdnet-wasm-cosine-mid', 'simdnet wasm, cosine mid-decay', COSINE_LONG_STEPS, `lr = cosineDecay({ lr: 0.5, steps: 1e9, floor: ${COSINE_FLOOR} }): every timed step is inside the decay (its rates computed by the rotation, not the floor's constant); its warm-up barely decays from 0.5`),
  ];
}

/** W5 on every contender that has it (TF.js and jax-js through their W5 models) and W5's Dense layers alone, right after simdnet-wasm. */
const W5_CONTENDERS = [simdnetWasm, simdnetWasmDenseOnly, simdnetWasm2t, simdnetJs, tfjsWasmW5, tfjsCpuW5, jaxjsW5];

/** Threads a contender's products run on (for W2's and W5's share of the per-core ceiling). */
const THREADS = { 'simdnet-wasm-2t': 2 };

/** Who each simdnet backend is compared with: what a user would otherwise pick for that job. */
function peerOf(table, contender) {
  if (contender === 'simdnet-wasm' || contender === 'simdnet-wasm-2t') return table === 'W3' ? 'brain.js' : 'tfjs-wasm';
  if (contender === 'simdnet-wasm-adam') return 'tfjs-wasm-adam';
  if (contender === 'simdnet-js') return 'tfjs-cpu';
  return null;
}

/** A table of medians with min/max and speed ratios (> 1: faster than the reference). */
function table(id, title, unit, results, metricOf, higherIsBetter = true) {
  const rows = results.map((r) => ({ ...r, ...metricOf(r) }));
  const byId = Object.fromEntries(rows.map((r) => [r.contender, r]));
  const speedup = (a, b) => (higherIsBetter ? a.median / b.median : b.median / a.median);
  for (const r of rows) {
    r.vsWasm = speedup(r, byId['simdnet-wasm']);
    r.peer = peerOf(id, r.contender);
    r.vsPeer = r.peer ? speedup(r, byId[r.peer]) : null;
    delete r.periods;
    delete r.callMedians;
    delete r.cpuSeconds;
  }
  return { id, title, unit, higherIsBetter, rows };
}

/** Median of the repetitions' per-call medians; benny's mean-based figure rides along. */
function latency(result) {
  const benny = stats(result.periods.map((p) => p * 1e6));
  return { ...stats(result.callMedians), bennyMeanMedian: benny.median };
}

function gflops(result, flopsPerSample) {
  const s = throughput(result);
  const f = flopsPerSample / 1e9;
  return { gflops: { median: s.median * f, min: s.min * f, max: s.max * f } };
}

/** A table with GFLOP/s per row and each row's share of the plain f32x4 ceiling times its threads. */
function flopsTable(workload, results, flopsPerSample, ceiling) {
  const t = table(workload.id, workload.title, workload.unit, results, (r) => ({ ...throughput(r), ...gflops(r, flopsPerSample) }));
  for (const r of t.rows) {
    r.threads = THREADS[r.contender] ?? 1;
    r.ofPlainCeiling = ceiling.plain.median ? r.gflops.median / (ceiling.plain.median * r.threads) : null;
  }
  return t;
}

/**
 * Which rows are timed once more in pairs (variant, reference), interleaved op by op, and for
 * how many rounds (each round one op of both: ~2.5 s in W5, ~1.2 s in W2, ~0.2 s in W1, ~5 ms in W3).
 */
const PAIRS = {
  W1: { pairs: [['simdnet-wasm-adam', 'simdnet-wasm']], rounds: 15 },
  W2: { pairs: [['simdnet-wasm-adam', 'simdnet-wasm']], rounds: 7 },
  W3: { pairs: [['simdnet-wasm-cosine', 'simdnet-wasm'], ['simdnet-wasm-cosine-mid', 'simdnet-wasm']], rounds: 101 },
  W5: { pairs: [['simdnet-wasm', 'simdnet-wasm-dense']], rounds: 7 },
};
const pairOpts = (id, quick) => ({ pairs: PAIRS[id].pairs, pairRounds: quick ? 2 : PAIRS[id].rounds });

/**
 * t(variant)/t(reference) − 1 for two rows of one table. `wall` and `cpu`: the median over the
 * interleaved rounds (training.mjs) of the per-round ratio, on the wall clock and in CPU time;
 * `fromRows`: the same from the two rows' median samples/s, timed one after the other by benny.
 */
function extraTime(t, variantId, referenceId) {
  if (!t) return null;
  const v = t.rows.find((r) => r.contender === variantId), ref = t.rows.find((r) => r.contender === referenceId);
  if (!v || !ref) return null;
  const fromRows = ref.median / v.median - 1;
  const p = v.paired?.reference === referenceId ? v.paired : null;
  return {
    table: t.id,
    variant: variantId,
    reference: referenceId,
    rounds: p?.rounds ?? 0,
    wall: p ? p.wall.median - 1 : fromRows,
    wallRange: p ? [p.wall.min - 1, p.wall.max - 1] : null,
    cpu: p?.cpu ? p.cpu.median - 1 : null,
    fromRows,
  };
}

/** 1 − t(dense only)/t(W5): the share of a W5 step outside its dense products, on simdnet-wasm one thread. */
function nonDenseShare(t) {
  const x = extraTime(t, 'simdnet-wasm', 'simdnet-wasm-dense');
  // t(W5)/t(dense) − 1 = e  ⇒  1 − t(dense)/t(W5) = e/(1 + e), increasing in e (so medians carry over).
  const share = (e) => (e === null ? null : e / (1 + e));
  return x && { ...x, wall: share(x.wall), wallRange: x.wallRange?.map(share) ?? null, cpu: share(x.cpu), fromRows: share(x.fromRows) };
}

/** The workloads in the order they run; `only` in runBench picks some of them. */
export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5'];

/**
 * Every workload (or those `only` names: a partial run, for measuring one workload; the
 * reports then miss the others' tables and targets) on every contender, in one process.
 */
export async function runBench({ quick = false, saveTo = null, memory = !quick, log = console.log, only = null } = {}) {
  const started = performance.now();
  const meta = machine();
  const opts = { quick, saveTo, log };
  const wants = (id) => !only || only.includes(id);
  const unknown = (only ?? []).filter((id) => !WORKLOADS.includes(id));
  if (unknown.length) throw new Error(`runBench only: unknown workload ${unknown.join(', ')} (expected some of ${WORKLOADS.join(', ')})`);
  const tables = [];
  const probes = [];
  const probeModel = await latencyProbe();
  // Before each workload, wait (up to QUIET_WAIT_S) for the probe to read within 15% of its
  // best: a slow stretch on the host then shifts fewer absolute figures.
  const probe = async (before) => {
    const started = performance.now();
    let ns = await probeModel.measure();
    const best = () => Math.min(ns, ...probes.map((p) => p.nsPerStep));
    while (!opts.quick && ns > 1.15 * best() && performance.now() - started < QUIET_WAIT_S * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      ns = await probeModel.measure();
    }
    probes.push({ before, nsPerStep: ns, waitedSeconds: Math.round((performance.now() - started) / 1000) });
  };
  const ceilingOpts = quick ? { reps: 1, repMs: 20 } : { reps: 7, repMs: 150 };
  let w1Table = null, w2Table = null, w3Table = null, w5Table = null;
  let ceiling = { plain: null, relaxed: null }, ceilingW5 = null;
  if (wants('W1')) {
    await probe('W1');
    const r1 = await w1.run(W1_W2, { ...opts, ...pairOpts('W1', quick) });
    tables.push((w1Table = table('W1', w1.title, w1.unit, r1, throughput)));
  }
  if (wants('W2')) {
    await probe('W2');
    // The machine's own f32x4 ceiling, right before the workload that is compared with it.
    ceiling = ceilings({ quick });
    const r2 = await w2.run(W1_W2, { ...opts, ...pairOpts('W2', quick) });
    tables.push((w2Table = flopsTable(w2, r2, FLOPS_PER_SAMPLE, ceiling)));
  }
  if (wants('W3')) {
    await probe('W3');
    const [w3First, ...w3Rest] = CONTENDERS;
    const r3 = await w3.run([w3First, ...cosineRows(w3.warmRows(quick)), ...w3Rest], { ...opts, ...pairOpts('W3', quick) });
    tables.push((w3Table = table('W3', w3.title, w3.unit, r3, throughput)));
  }
  if (wants('W4')) {
    await probe('W4');
    // simdnet/infer right after the trainer's predict, which it must match.
    const r4 = await w4.run([CONTENDERS[0], simdnetInfer, ...CONTENDERS.slice(1)], opts);
    tables.push(table('W4 batch 1', `${w4.title}: batch-1 latency (one predict call per row)`, 'µs', r4.batch1, latency, false));
    tables.push(table('W4 batch 256', `${w4.title}: batch-256 throughput`, 'samples/s', r4.batch256, throughput));
  }
  if (wants('W5')) {
    await probe('W5');
    // The plain ceiling once more, right before the workload compared with it (the one before W2 is minutes old).
    ceilingW5 = { plain: { ...measureCeiling(ceilingOpts), where: 'this process' } };
    const r5 = await w5.run(W5_CONTENDERS, { ...opts, ...pairOpts('W5', quick) });
    tables.push((w5Table = flopsTable(w5, r5, W5_FLOPS_PER_SAMPLE, ceilingW5)));
  }
  await probe('end');
  probeModel.dispose();
  const memoryRows = memory ? memoryReport() : [];
  const wasmShare = (t) => t?.rows.find((r) => r.contender === 'simdnet-wasm')?.ofPlainCeiling ?? null;
  return {
    meta: {
      ...meta,
      quick,
      only,
      durationSeconds: +((performance.now() - started) / 1000).toFixed(1),
      contenders: ALL.map((c) => ({ id: c.id, label: c.label, ...c.info?.() })),
      flopsPerSampleW2: FLOPS_PER_SAMPLE,
      flopsPerSampleW5: W5_FLOPS_PER_SAMPLE,
      flopsFormula: FLOPS_FORMULA,
      latencyProbes: probes,
    },
    ceiling: {
      ...ceiling,
      plainBeforeW5: ceilingW5?.plain ?? null,
      w2SimdnetWasmOfPlain: wasmShare(w2Table),
      w5SimdnetWasmOfPlain: wasmShare(w5Table),
    },
    tables,
    // Ratios of two rows measured next to each other in one suite (see the method notes).
    costs: {
      w5NonDenseShare: nonDenseShare(w5Table),
      w2AdamCost: extraTime(w2Table, 'simdnet-wasm-adam', 'simdnet-wasm'),
      w1AdamCost: extraTime(w1Table, 'simdnet-wasm-adam', 'simdnet-wasm'),
      w3ScheduleCost: extraTime(w3Table, 'simdnet-wasm-cosine', 'simdnet-wasm'),
      w3ScheduleMidDecayCost: extraTime(w3Table, 'simdnet-wasm-cosine-mid', 'simdnet-wasm'),
    },
    memory: memoryRows,
  };
}
