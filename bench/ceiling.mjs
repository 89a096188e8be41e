// The machine's own ceiling for f32x4 arithmetic in WebAssembly, per core: a loop that keeps
// K independent v128 accumulators in registers and updates each with acc = acc·a + b, with no
// memory traffic inside the loop. Plain SIMD spells that f32x4.mul then f32x4.add; relaxed SIMD
// spells it f32x4.relaxed_madd (one FMA where the CPU has it). A multiply-add counts as 2 flops,
// so each accumulator update is 8 flops.
//
// The module is assembled here as raw bytes, so the bench needs no compiler. Relaxed SIMD
// validates in Node 20 only under --experimental-wasm-relaxed-simd (a flag NODE_OPTIONS refuses),
// so when this process lacks it the relaxed figure comes from a child process started with it.
//
//   node bench/ceiling.mjs            both ceilings, as text
//   node bench/ceiling.mjs --json     the same as JSON (what the suite's child process prints)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stats } from './harness.mjs';

export const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Independent accumulators (live v128 values: these + the two operands). Each chain is a
 * multiply then an add (or one FMA), so enough chains must be in flight to cover that latency
 * on every port. V8 11.3 (Node 20) has 16 xmm registers and spills beyond ~12–14 live v128
 * values in a loop. Swept here (`--sweep`, Intel Xeon model 207, Node 20.20.2): the plain loop
 * rises up to 12 and is flat within noise beyond; the relaxed loop is flat from 10.
 */
export const ACCUMULATORS = 12;
/** Copies of the update sequence per loop trip: the counter, branch and V8's loop stack check amortised over 48 updates. */
const UNROLL = 4;

const FLOPS_PER_UPDATE = 8; // 4 lanes × (multiply + add)

// --- a minimal WebAssembly encoder: just what this module needs ---
const uleb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const f32 = (v) => [...new Uint8Array(new Float32Array([v]).buffer)];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const simd = (op) => [0xfd, ...uleb(op)];

const OP = {
  localGet: 0x20, localSet: 0x21, localTee: 0x22, f32Const: 0x43, i32Const: 0x41, i32Sub: 0x6b,
  block: 0x02, loop: 0x03, brIf: 0x0d, end: 0x0b, void: 0x40,
};
const SIMD = { f32x4Splat: 0x13, f32x4ExtractLane: 0x1f, f32x4Add: 0xe4, f32x4Mul: 0xe6, f32x4RelaxedMadd: 0x105 };
const T = { i32: 0x7f, f32: 0x7d, v128: 0x7b, func: 0x60 };

/**
 * `run(trips: i32) -> f32`: trips × UNROLL × K accumulator updates (trips ≥ 1), returning lane 0
 * of the accumulators' sum so nothing is dead. With a = 0.9999 and b = 1e-4 every accumulator
 * converges to 1: no overflow, no denormals, whatever the trip count.
 */
export function ceilingModule({ relaxed = false, accumulators = ACCUMULATORS, unroll = UNROLL } = {}) {
  const trips = 0, a = accumulators + 1, b = accumulators + 2; // local 0 is the parameter
  const acc = (i) => 1 + i;
  const code = [];
  const splat = (value, local) => code.push(OP.f32Const, ...f32(value), ...simd(SIMD.f32x4Splat), OP.localSet, local);
  for (let i = 0; i < accumulators; i++) splat(i / accumulators, acc(i));
  splat(0.9999, a);
  splat(1e-4, b);
  code.push(OP.loop, OP.void);
  for (let u = 0; u < unroll; u++) {
    for (let i = 0; i < accumulators; i++) {
      if (relaxed) {
        code.push(OP.localGet, acc(i), OP.localGet, a, OP.localGet, b, ...simd(SIMD.f32x4RelaxedMadd));
      } else {
        code.push(OP.localGet, acc(i), OP.localGet, a, ...simd(SIMD.f32x4Mul), OP.localGet, b, ...simd(SIMD.f32x4Add));
      }
      code.push(OP.localSet, acc(i));
    }
  }
  code.push(OP.localGet, trips, OP.i32Const, 1, OP.i32Sub, OP.localTee, trips, OP.brIf, 0, OP.end);
  code.push(OP.localGet, acc(0));
  for (let i = 1; i < accumulators; i++) code.push(OP.localGet, acc(i), ...simd(SIMD.f32x4Add));
  code.push(...simd(SIMD.f32x4ExtractLane), 0, OP.end);
  const locals = vec([[...uleb(accumulators + 2), T.v128]]);
  const body = [...locals, ...code];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[T.func, 1, T.i32, 1, T.f32]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...vec([...'run'].map((c) => c.charCodeAt(0))), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ];
  return { bytes: new Uint8Array(bytes), flopsPerTrip: unroll * accumulators * FLOPS_PER_UPDATE };
}

export const relaxedValidates = () => WebAssembly.validate(ceilingModule({ relaxed: true }).bytes);

/**
 * GFLOP/s of one variant on this thread: warm up until V8 has tiered the function up (its
 * first calls run in the baseline compiler), size a call to `repMs`, then time `reps` calls.
 */
export function measureCeiling({ relaxed = false, accumulators = ACCUMULATORS, reps = 7, repMs = 150 } = {}) {
  const { bytes, flopsPerTrip } = ceilingModule({ relaxed, accumulators });
  const { run } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  const timeCall = (trips) => {
    const t0 = performance.now();
    const v = run(trips);
    const ms = performance.now() - t0;
    if (!(v > 0)) throw new Error(`ceiling loop returned ${v}`);
    return ms;
  };
  // Warm-up: short calls until ~300 ms have passed (tier-up happens between calls), at least 20 of them.
  let trips = 20_000;
  const warmUntil = performance.now() + Math.max(50, 2 * repMs);
  for (let i = 0; i < 20 || performance.now() < warmUntil; i++) timeCall(trips);
  // Size one call to about repMs.
  for (let ms = timeCall(trips); ms < repMs / 4; ms = timeCall(trips)) trips *= 2;
  trips = Math.max(1, Math.round((trips * repMs) / timeCall(trips)));
  const gflops = [];
  for (let r = 0; r < reps; r++) gflops.push((trips * flopsPerTrip) / (timeCall(trips) * 1e6));
  return {
    ...stats(gflops),
    accumulators,
    unroll: UNROLL,
    callMs: repMs,
    op: relaxed ? 'f32x4.relaxed_madd' : 'f32x4.mul + f32x4.add',
  };
}

/** The relaxed ceiling from a child Node started with the flag (this process lacks it). */
function relaxedInChild({ reps, repMs }) {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [RELAXED_FLAG, script, '--json', '--relaxed-only', `--reps=${reps}`, `--rep-ms=${repMs}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return JSON.parse(out).relaxed;
}

/**
 * Both ceilings. The plain one is measured on this thread; the relaxed one here too when
 * relaxed SIMD validates in this process, otherwise in a child process with the flag
 * (same CPU, a moment later). Either may come back `{ error }` rather than figures.
 */
export function ceilings({ quick = false } = {}) {
  const opts = quick ? { reps: 1, repMs: 20 } : { reps: 7, repMs: 150 };
  const plain = { ...measureCeiling(opts), where: 'this process' };
  let relaxed;
  if (relaxedValidates()) {
    relaxed = { ...measureCeiling({ ...opts, relaxed: true }), where: 'this process' };
  } else {
    try {
      relaxed = { ...relaxedInChild(opts), where: `a child process: node ${RELAXED_FLAG}` };
    } catch (error) {
      relaxed = { error: String(error.stderr || error.message).trim().split('\n')[0], where: `a child process: node ${RELAXED_FLAG}` };
    }
  }
  return { plain, relaxed, flopsPerUpdate: FLOPS_PER_UPDATE };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const opts = { reps: arg('reps', 7), repMs: arg('rep-ms', 150) };
  const json = process.argv.includes('--json');
  if (process.argv.includes('--relaxed-only')) {
    if (!relaxedValidates()) throw new Error(`relaxed SIMD does not validate in this process (start node with ${RELAXED_FLAG})`);
    process.stdout.write(JSON.stringify({ relaxed: measureCeiling({ ...opts, relaxed: true }) }) + '\n');
  } else if (process.argv.includes('--sweep')) {
    // Which accumulator count runs fastest here (not part of the bench).
    for (const accumulators of [4, 8, 10, 12, 14, 16]) {
      const p = measureCeiling({ ...opts, accumulators });
      const r = relaxedValidates() ? measureCeiling({ ...opts, accumulators, relaxed: true }) : null;
      console.log(`K=${String(accumulators).padStart(2)}  plain ${p.median.toFixed(1)} GFLOP/s [${p.min.toFixed(1)}–${p.max.toFixed(1)}]${r ? `  relaxed ${r.median.toFixed(1)} [${r.min.toFixed(1)}–${r.max.toFixed(1)}]` : ''}`);
    }
  } else {
    const c = ceilings({ quick: false });
    if (json) process.stdout.write(JSON.stringify(c) + '\n');
    else {
      for (const [name, v] of Object.entries({ plain: c.plain, relaxed: c.relaxed })) {
        console.log(v.error ? `${name}: ${v.error}` : `${name.padEnd(8)} ${v.median.toFixed(1)} GFLOP/s per core [${v.min.toFixed(1)}–${v.max.toFixed(1)}], ${v.op}, ${v.accumulators} accumulators (${v.where})`);
      }
    }
  }
}
