// The update rules against a float64 reference written from their stated conventions
// (test/helpers/optimizer-reference.ts), step by step over 20–50 steps with fresh seeded
// gradients: through the kernels as the train program calls them (guard, then the
// update), on the WASM backend, the float32 JS twin and the float64 JS twin; and through
// whole models, fed the model's own gradients or gradients computed here. Then the
// public constructors' refusals of bad hyperparameters.
//
// Tolerance. float32 against float64: each step may add a few roundings relative to the
// weights it stores and to the step it takes, the latter carried on by a moment with
// coefficient c for ~1/(1 − c) more steps; so step t adds k·2⁻²⁴·(max|w| + max|Δw|/(1 − c))
// and the bound after T steps is the sum of those (Budget in the helper): linear growth,
// a few ulps per step. k = 8 for the kernels (the longest chain, Adam's, has about eight
// roundings: the moments, the root, the scaling, ε, the division, the product, the
// store); the worst error seen is ~0.15 of that bound, about one rounding per step, and a
// test below keeps the bound within 100× of what is seen. The float64 twin is held to the
// same form with 2⁻⁵³. The reference takes the hyperparameters as the block holds them:
// float32 values (doubles in a float64 model, whose block is float64 too).
//
// The bound must also not pass a different rule: a reference with another library's
// convention or a common slip misses the kernels by 4,000× the bound or more (tested at
// 10×), and on the float64 twin even differences far below float32's resolution show
// (the clip's + 1e-6, where ε = 1e-8 is added).

import { beforeAll, describe, expect, it } from 'vitest';
import { JsKernels } from '../src/backend/js.js';
import type { Kernels } from '../src/backend/kernels.js';
import { Hyper, OptimizerKind } from '../src/backend/ops.js';
import { WasmKernels } from '../src/backend/wasm.js';
import { Adam, AdamW, Dense, InputError, type OptimizerOption, RMSProp, SGD, Sequential } from '../src/index.js';
import { type BufferSpec, Rng, layoutBuffers, load } from './helpers/kernel-harness.js';
import { Budget, type Flaw, ReferenceOptimizer, type RuleSpec, carry, maxDiff, readBlock, writeBlock } from './helpers/optimizer-reference.js';

const SIZES = [1, 3, 5, 7, 33, 127];
/** float32 roundings per step and unit of scale (see the header). */
const K32 = 8;
/** The same for the float64 twin, whose formulas differ from the reference's only in the order of operations. */
const K64 = 8;
const f32 = Math.fround;

type BackendName = 'wasm' | 'js' | 'js64';
const BACKENDS: BackendName[] = ['wasm', 'js', 'js64'];
let kernels: Record<BackendName, Kernels>;
beforeAll(async () => {
  kernels = { wasm: await WasmKernels.create(), js: new JsKernels('float32'), js64: new JsKernels('float64') };
});

interface Case {
  readonly name: string;
  readonly spec: RuleSpec;
  /** Size of the gradients (1 unless the case needs small ones, for ε to matter). */
  readonly gradScale?: number;
}

const RULES: Case[] = [
  { name: 'sgd', spec: { rule: 'sgd', lr: 0.1 } },
  { name: 'sgd, momentum', spec: { rule: 'sgd', lr: 0.05, momentum: 0.9 } },
  { name: 'sgd, nesterov', spec: { rule: 'sgd', lr: 0.05, momentum: 0.8, nesterov: true } },
  { name: 'sgd, weightDecay', spec: { rule: 'sgd', lr: 0.1, weightDecay: 0.05 } },
  { name: 'sgd, nesterov and weightDecay', spec: { rule: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 } },
  { name: 'adam', spec: { rule: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
  { name: 'adam, weightDecay', spec: { rule: 'adam', lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-7, weightDecay: 0.1 } },
  { name: 'adam, ε comparable to √v̂', spec: { rule: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-3 }, gradScale: 1e-3 },
  { name: 'adamw', spec: { rule: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 } },
  { name: 'rmsprop', spec: { rule: 'rmsprop', lr: 0.01, rho: 0.9, epsilon: 1e-8 } },
  { name: 'rmsprop, momentum', spec: { rule: 'rmsprop', lr: 0.01, rho: 0.99, epsilon: 1e-8, momentum: 0.7, weightDecay: 0.01 } },
];

const KIND = { sgd: OptimizerKind.sgd, adam: OptimizerKind.adam, adamw: OptimizerKind.adamw, rmsprop: OptimizerKind.rmsprop } as const;

function seeded(...parts: (number | string)[]): Rng {
  let h = 2166136261;
  for (const p of parts) {
    const s = String(p);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    h = Math.imul(h ^ 0x2c, 16777619);
  }
  return new Rng(h >>> 0);
}

/** The spec with a global-norm clip that binds in most steps (‖g‖ ≈ size·√(n/3) with size in [0.2, 2)). */
function clipped(c: Case, n: number): RuleSpec {
  return { ...c.spec, clipNorm: 0.5 * Math.sqrt(n / 3) * (c.gradScale ?? 1) };
}

interface Run {
  /** Per step: max |w_kernel − w_reference| and the budget then. */
  readonly steps: { diff: number; budget: number; at: number; clippedBy: number }[];
  readonly w: number[];
  readonly m: number[];
  readonly v: number[];
  readonly ref: ReferenceOptimizer;
  readonly refW: Float64Array;
}

interface RunOptions {
  readonly steps: number;
  readonly gradScale?: number;
  /** Each step's rate (default: the spec's, unchanged). */
  readonly lrAt?: (step: number, rng: Rng) => number;
  readonly flaw?: Flaw;
}

/**
 * `steps` updates of n parameters on one backend, as the train program makes them: the
 * block's rate rewritten, fresh gradients written, guard (Σg² into the block), update.
 * Every step is checked against the reference: weights within the budget, the block's
 * counters exact. The gradients come from `seed`, so every backend sees the same ones.
 */
function runKernels(k: Kernels, spec: RuleSpec, n: number, seed: Rng, o: RunOptions): Run {
  const specs: Record<'w' | 'g' | 'm' | 'v' | 'loss' | 'hyper', BufferSpec> = {
    w: { length: n },
    g: { length: n },
    m: { length: n },
    v: { length: n },
    loss: { length: 1, kind: 'f64' },
    hyper: { length: Hyper.bytes / 4, kind: 'i32' },
  };
  const layout = layoutBuffers(specs);
  const rng = seed;
  const w0 = Array.from(Float32Array.from({ length: n }, () => rng.uniform(-1, 1)));
  const zeros = new Array<number>(n).fill(0);
  load(k, layout, { w: w0, g: zeros, m: zeros, v: zeros, loss: [0.5], hyper: new Array<number>(Hyper.bytes / 4).fill(0) });
  const h = k.heap, p = layout.ptr;
  // Our own canaries after every buffer (any view), checked at the end.
  const CANARY = 0x3c;
  const shared = h.f32 instanceof Float32Array;
  if (shared) for (const [from, to] of layout.guards) h.u8.fill(CANARY, from, to);
  writeBlock(h, p.hyper, spec);

  const ref = new ReferenceOptimizer(spec, n, o.flaw ?? null);
  const refW = Float64Array.from(w0);
  const unit = h.f32 instanceof Float32Array ? 2 ** -24 : 2 ** -53;
  const budget = new Budget(unit === 2 ** -24 ? K32 : K64, carry(spec), unit);
  const steps: Run['steps'] = [];
  for (let t = 1; t <= o.steps; t++) {
    const lr = o.lrAt ? o.lrAt(t, rng) : spec.lr;
    const size = rng.uniform(0.2, 2) * (o.gradScale ?? 1);
    const g = Float32Array.from({ length: n }, () => rng.uniform(-1, 1) * size);
    h.f32.set(g, p.g >> 2);
    h.f32[(p.hyper + Hyper.lr) >> 2] = f32(lr);
    expect(Boolean(k.guard(p.g, n, p.loss, p.hyper)), `step ${t}: the guard passes finite gradients`).toBe(true);
    k.optimizerStep(KIND[spec.rule], p.w, p.g, p.m, p.v, n, p.hyper);

    const before = Float64Array.from(refW);
    const facts = ref.step(refW, g, lr);
    budget.add(before, refW);
    const w = h.f32.subarray(p.w >> 2, (p.w >> 2) + n);
    const { diff, at } = maxDiff(w, refW);
    steps.push({ diff, budget: budget.total, at, clippedBy: facts.scale });

    if (!o.flaw) {
      const block = readBlock(h, p.hyper);
      expect(block.step, `step ${t}: the block counts the step`).toBe(t);
      expect(block.lrNow, `step ${t}: the step's rate is the rewritten base rate`).toBe(f32(lr));
      expect(block.status).toBe(0);
      // Σg² of float32 squares summed in float64: within a few float32 roundings of the exact sum.
      expect(Math.abs(block.gradSq - facts.gradSq), `step ${t}: Σg²`).toBeLessThanOrEqual(4 * unit * facts.gradSq);
      if (spec.rule === 'adam' || spec.rule === 'adamw') {
        // Running products of the float32 β's in float64, in the same order: exact.
        expect(block.beta1Pow, `step ${t}: β1ᵗ`).toBe(ref.beta1Pow);
        expect(block.beta2Pow, `step ${t}: β2ᵗ`).toBe(ref.beta2Pow);
      } else {
        expect([block.beta1Pow, block.beta2Pow]).toEqual([1, 1]);
      }
    }
  }
  if (shared) {
    for (const [from, to] of layout.guards) {
      for (let i = from; i < to; i++) if (h.u8[i] !== CANARY) expect.fail(`${k.kind}: a write past a buffer, at byte ${i}`);
    }
  }
  const read = (at: number) => Array.from(h.f32.subarray(at >> 2, (at >> 2) + n));
  return { steps, w: read(p.w), m: read(p.m), v: read(p.v), ref, refW };
}

function expectWithinBudget(run: Run, label: string): void {
  for (const [i, s] of run.steps.entries()) {
    if (!(s.diff <= s.budget)) expect.fail(`${label}: step ${i + 1}: max |w − w_ref| = ${s.diff} at [${s.at}] exceeds the budget ${s.budget}`);
  }
}

/**
 * Moments against the reference's at the end: within 4 roundings per step of their largest
 * magnitude, carried 1/(1 − c) steps (the budget's form, for the moments themselves); the
 * regions a rule does not use stay zero.
 */
function expectMoments(run: Run, spec: RuleSpec, unit: number, label: string): void {
  const T = run.steps.length;
  const pairs: [string, number[], Float64Array][] = [];
  const usesM = spec.rule === 'adam' || spec.rule === 'adamw' || (spec.momentum ?? 0) > 0;
  const usesV = spec.rule !== 'sgd';
  if (usesM) pairs.push(['m', run.m, run.ref.m]);
  if (usesV) pairs.push(['v', run.v, run.ref.v]);
  for (const [name, got, want] of pairs) {
    const scale = want.reduce((s, x) => Math.max(s, Math.abs(x)), 0);
    const { diff, at } = maxDiff(got, want);
    expect(diff, `${label}: ${name}[${at}] (${got[at]} vs ${want[at]})`).toBeLessThanOrEqual(4 * T * unit * scale / (1 - carry(spec)));
  }
  if (!usesM) expect(run.m.every((x) => x === 0), `${label}: m untouched`).toBe(true);
  if (!usesV) expect(run.v.every((x) => x === 0), `${label}: v untouched`).toBe(true);
}

describe('the update kernels against the float64 reference', () => {
  const cases = RULES.flatMap((c) => SIZES.flatMap((n) => [false, true].map((clip) => [c.name, n, clip ? 'clipNorm' : 'no clip', c, clip] as const)));

  it.each(cases)('%s, n = %i, %s: 40 steps on WASM, the JS twin and the float64 twin', (_, n, __, c, clip) => {
    const spec = clip ? clipped(c, n) : c.spec;
    const runs: Partial<Record<BackendName, Run>> = {};
    for (const b of BACKENDS) {
      const run = runKernels(kernels[b], spec, n, seeded('rule', c.name, n, +clip), { steps: 40, gradScale: c.gradScale });
      expectWithinBudget(run, b);
      expectMoments(run, spec, b === 'js64' ? 2 ** -53 : 2 ** -24, b);
      runs[b] = run;
    }
    if (clip && n >= 33) {
      // The clip bound in some steps and not in others.
      const scales = runs.wasm!.steps.map((s) => s.clippedBy);
      expect(scales.some((s) => s < 0.9)).toBe(true);
      expect(scales.some((s) => s === 1)).toBe(true);
    }
  });

  it.each(RULES.map((c) => [c.name, c] as const))('%s: a learning rate rewritten before every step (50 steps, n = 33)', (_, c) => {
    for (const b of BACKENDS) {
      for (const clip of [false, true]) {
        const spec = clip ? clipped(c, 33) : c.spec;
        const run = runKernels(kernels[b], spec, 33, seeded('schedule', c.name, +clip), {
          steps: 50,
          gradScale: c.gradScale,
          // A rate between a tenth and twice the base, new at every step.
          lrAt: (_t, rng) => c.spec.lr * rng.uniform(0.1, 2),
        });
        expectWithinBudget(run, `${b}${clip ? ', clipped' : ''}`);
      }
    }
  });

  it('the float32 runs use their budget: the bound is within ~100× of the error seen, not vacuous', () => {
    // The largest error over all rules, as a fraction of the budget, at 40 steps.
    let worst = 0;
    for (const c of RULES) {
      for (const n of [33, 127]) {
        const run = runKernels(kernels.wasm, c.spec, n, seeded('rule', c.name, n, 0), { steps: 40, gradScale: c.gradScale });
        for (const s of run.steps) worst = Math.max(worst, s.diff / s.budget);
      }
    }
    expect(worst).toBeGreaterThan(0.01);
    expect(worst).toBeLessThanOrEqual(1);
  });

  // Conventions other libraries use, or easy slips: each must miss the kernels by at least
  // ten times the budget, so passing within the budget does pick out the stated rule.
  const FLAWS: [Flaw, string, Case, RunOptions['lrAt'] | undefined][] = [
    ['rateInsideMomentum', 'sgd, momentum, the rate changed every step', RULES[1], (_t, rng) => 0.05 * rng.uniform(0.1, 2)],
    ['noBiasCorrection', 'adam', RULES[5], undefined],
    ['kerasEpsilon', 'adam, ε comparable to √v̂', RULES[7], undefined],
    ['decayWithoutRate', 'adamw', RULES[8], undefined],
    ['epsilonInsideRoot', 'rmsprop, ε comparable to v', { name: '', spec: { rule: 'rmsprop', lr: 0.01, rho: 0.9, epsilon: 1e-4 }, gradScale: 1e-2 }, undefined],
    ['clipByValue', 'sgd, clipNorm 0.3', { name: '', spec: { ...RULES[0].spec, clipNorm: 0.3 } }, undefined],
  ];

  it.each(FLAWS)('a reference with the flaw %s (%s) misses the kernels by ≥ 10× the budget', (flaw, _, c, lrAt) => {
    const spec = c.spec;
    for (const b of ['wasm', 'js'] as const) {
      const right = runKernels(kernels[b], spec, 33, seeded('flaw', flaw), { steps: 30, gradScale: c.gradScale, lrAt });
      expectWithinBudget(right, b);
      const wrong = runKernels(kernels[b], spec, 33, seeded('flaw', flaw), { steps: 30, gradScale: c.gradScale, lrAt, flaw });
      const last = wrong.steps[wrong.steps.length - 1];
      expect(last.diff, `${b}: ${flaw}`).toBeGreaterThan(10 * last.budget);
    }
  });

  // Below float32's resolution, the float64 twin still tells the stated rule from its
  // neighbours: a clip without its + 1e-6, Keras's ε at the default 1e-8, ε inside the root.
  const FINE_FLAWS: [Flaw, RuleSpec][] = [
    ['clipWithoutOffset', { rule: 'sgd', lr: 0.1, momentum: 0.9, clipNorm: 0.5 }],
    ['kerasEpsilon', { rule: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
    ['epsilonInsideRoot', { rule: 'rmsprop', lr: 0.01, rho: 0.99, epsilon: 1e-8 }],
  ];

  it.each(FINE_FLAWS)('on the float64 twin, a reference with the flaw %s misses by ≥ 10× the float64 budget', (flaw, spec) => {
    const right = runKernels(kernels.js64, spec, 33, seeded('fine', flaw), { steps: 30 });
    expectWithinBudget(right, 'js64');
    const wrong = runKernels(kernels.js64, spec, 33, seeded('fine', flaw), { steps: 30, flaw });
    const last = wrong.steps[wrong.steps.length - 1];
    expect(last.diff).toBeGreaterThan(10 * last.budget);
  });
});

/** The option object for Sequential.create from a reference spec (every hyperparameter explicit). */
function optionOf(spec: RuleSpec): OptimizerOption {
  const common = { lr: spec.lr, weightDecay: spec.weightDecay ?? 0, ...(spec.clipNorm ? { clipNorm: spec.clipNorm } : {}) };
  if (spec.rule === 'sgd') return { type: 'sgd', ...common, momentum: spec.momentum ?? 0, nesterov: spec.nesterov ?? false };
  if (spec.rule === 'rmsprop') return { type: 'rmsprop', ...common, rho: spec.rho!, epsilon: spec.epsilon!, momentum: spec.momentum ?? 0 };
  return { type: spec.rule, ...common, beta1: spec.beta1!, beta2: spec.beta2!, epsilon: spec.epsilon! };
}

function flat(arrays: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[at++] = a[i];
  return out;
}

function table(rng: Rng, rows: number, cols: number): number[][] {
  // float32 values: the model copies its data into float32 (even a float64 model), the reference must see the same numbers.
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => f32(rng.uniform(-1, 1))));
}

type ModelBackend = 'wasm' | 'js' | 'float64';
const MODEL_BACKENDS: ModelBackend[] = ['wasm', 'js', 'float64'];
const backendOptions = (b: ModelBackend) => (b === 'float64' ? { backend: 'js' as const, precision: 'float64' as const } : { backend: b });

/** The model cases: every rule, with weight decay and a clip that binds across both layers. */
const MODEL_RULES: Case[] = [
  ...RULES.filter((c) => !c.gradScale),
  { name: 'sgd, momentum, clipNorm', spec: { rule: 'sgd', lr: 0.05, momentum: 0.9, clipNorm: 0.05 } },
  { name: 'adam, clipNorm', spec: { rule: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, clipNorm: 0.05 } },
  { name: 'adamw, clipNorm', spec: { rule: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05, clipNorm: 0.05 } },
  { name: 'rmsprop, momentum, clipNorm', spec: { rule: 'rmsprop', lr: 0.01, rho: 0.9, epsilon: 1e-8, momentum: 0.5, clipNorm: 0.05 } },
];

describe('whole models against the reference', () => {
  it.each(MODEL_BACKENDS.flatMap((b) => MODEL_RULES.map((c) => [c.name, b, c] as const)))(
    '%s (%s): 30 full-batch steps in two fits, the reference fed model.gradients() before each, the rate changed from a callback',
    async (_, b, c) => {
      const rng = seeded('model', c.name);
      const model = await Sequential.create([new Dense(4, 6, { activation: 'tanh' }), new Dense(6, 3)], { loss: 'mse', optimizer: optionOf(c.spec), seed: 5, ...backendOptions(b) });
      const x = table(rng, 10, 4), y = table(rng, 10, 3);
      const refW = flat(model.getWeights());
      const ref = new ReferenceOptimizer(c.spec, refW.length, null, b === 'float64' ? 'float64' : 'float32');
      const unit = b === 'float64' ? 2 ** -53 : 2 ** -24;
      const budget = new Budget(K32, carry(c.spec), unit);
      const seen: { diff: number; budget: number; scale: number }[] = [];
      let lr = c.spec.lr;
      // Two fits of 15 steps: the moments and the step count (Adam's bias correction) carry over.
      for (let fit = 0; fit < 2; fit++) {
        await model.fit(x, y, {
          epochs: 15,
          batchSize: 10,
          shuffle: false,
          callbacks: {
            onEpochBegin: () => {
              // Every fifth step a new rate, as a schedule set from a callback would.
              const t = seen.length;
              if (t > 0 && t % 5 === 0) lr = c.spec.lr * [0.5, 2, 0.25, 1.5, 1][t / 5 - 1];
              model.optimizer.lr = lr;
              const before = Float64Array.from(refW);
              const facts = ref.step(refW, flat(model.gradients(x, y).gradients), lr);
              budget.add(before, refW);
              seen.push({ diff: NaN, budget: budget.total, scale: facts.scale });
            },
            onEpochEnd: () => {
              seen[seen.length - 1].diff = maxDiff(flat(model.getWeights()), refW).diff;
            },
          },
        });
      }
      expect(seen).toHaveLength(30);
      for (const [t, s] of seen.entries()) {
        if (!(s.diff <= s.budget)) expect.fail(`step ${t + 1}: max |w − w_ref| = ${s.diff}, budget ${s.budget}`);
      }
      if (c.spec.clipNorm) expect(seen.some((s) => s.scale < 0.9), 'the clip binds').toBe(true);
      model.dispose();
    },
  );

  /** dL/dθ of a linear layer y = xW + b under MSE (mean over rows × outputs), in float64. */
  function linearGradients(w: Float64Array, x: number[][], t: number[][], p: number, q: number): Float64Array {
    const g = new Float64Array(w.length);
    const rows = x.length;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < q; j++) {
        let y = w[p * q + j];
        for (let i = 0; i < p; i++) y += x[r][i] * w[i * q + j];
        const dy = (2 * (y - t[r][j])) / (rows * q);
        for (let i = 0; i < p; i++) g[i * q + j] += x[r][i] * dy;
        g[p * q + j] += dy;
      }
    }
    return g;
  }

  it('the float64 gradients of a linear layer used below are the model\'s own', async () => {
    const rng = seeded('linear-check');
    const model = await Sequential.create([new Dense(5, 2)], { loss: 'mse', seed: 3, backend: 'js', precision: 'float64' });
    const x = table(rng, 4, 5), y = table(rng, 4, 2);
    const g = linearGradients(flat(model.getWeights()), x, y, 5, 2);
    const { diff } = maxDiff(flat(model.gradients(x, y).gradients), g);
    expect(diff).toBeLessThanOrEqual(1e-14);
    model.dispose();
  });

  it.each(MODEL_BACKENDS.flatMap((b) => MODEL_RULES.map((c) => [c.name, b, c] as const)))(
    '%s (%s): 8 epochs of 3 batches in one fit with no callbacks, against a reference with its own float64 gradients',
    async (_, b, c) => {
      const p = 5, q = 2, rows = 12, batch = 4, epochs = 8;
      const rng = seeded('linear', c.name);
      const model = await Sequential.create([new Dense(p, q)], { loss: 'mse', optimizer: optionOf(c.spec), seed: 9, ...backendOptions(b) });
      const x = table(rng, rows, p), y = table(rng, rows, q);
      const refW = flat(model.getWeights());
      const w0 = Float64Array.from(refW);
      const ref = new ReferenceOptimizer(c.spec, refW.length, null, b === 'float64' ? 'float64' : 'float32');
      const unit = b === 'float64' ? 2 ** -53 : 2 ** -24;
      // The gradients are float32 here too (a forward and a backward of p + 2 roundings
      // each), and the weights' errors feed back into them: twice the kernels' k.
      const budget = new Budget(2 * K32, carry(c.spec), unit);
      for (let e = 0; e < epochs; e++) {
        for (let start = 0; start < rows; start += batch) {
          const before = Float64Array.from(refW);
          ref.step(refW, linearGradients(refW, x.slice(start, start + batch), y.slice(start, start + batch), p, q));
          budget.add(before, refW);
        }
      }
      await model.fit(x, y, { epochs, batchSize: batch, shuffle: false });
      const { diff, at } = maxDiff(flat(model.getWeights()), refW);
      expect(diff, `weight ${at} after ${epochs * 3} steps`).toBeLessThanOrEqual(budget.total);
      // And the steps moved the weights well beyond the bound: the comparison has teeth.
      expect(maxDiff(flat(model.getWeights()), w0).diff).toBeGreaterThan(100 * budget.total);
      model.dispose();
    },
  );

  it('SGD.step on parameters outside a model follows the reference', () => {
    for (const spec of [RULES[0].spec, RULES[2].spec, RULES[4].spec, RULES[3].spec] as RuleSpec[]) {
      const rng = seeded('outside', JSON.stringify(spec));
      const sgd = new SGD({ lr: spec.lr, momentum: spec.momentum ?? 0, nesterov: spec.nesterov ?? false, weightDecay: spec.weightDecay ?? 0 });
      const n = 7;
      const value = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
      const refW = Float64Array.from(value);
      const ref = new ReferenceOptimizer(spec, n);
      const budget = new Budget(K32, carry(spec));
      for (let t = 0; t < 25; t++) {
        const grad = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
        sgd.step([{ value, grad }]);
        const before = Float64Array.from(refW);
        ref.step(refW, grad);
        budget.add(before, refW);
        expect(maxDiff(value, refW).diff).toBeLessThanOrEqual(budget.total);
      }
    }
  });
});

describe('hyperparameters refused at the public edge', () => {
  const BAD: [string, () => unknown, RegExp][] = [
    ['lr 0', () => new SGD({ lr: 0 }), /^optimizer\.lr: /],
    ['lr NaN', () => new Adam({ lr: NaN }), /^optimizer\.lr: .*NaN/],
    ['lr 1e39 (infinite as a float32)', () => new RMSProp({ lr: 1e39 }), /^optimizer\.lr: .*1e\+39/],
    ['lr −0.1', () => new AdamW({ lr: -0.1 }), /^optimizer\.lr: /],
    ['lr Infinity', () => new SGD({ lr: Infinity }), /^optimizer\.lr: /],
    ['lr 1e-50 (zero as a float32)', () => new SGD({ lr: 1e-50 }), /^optimizer\.lr: /],
    ['lr a string', () => new SGD({ lr: '0.1' as never }), /^optimizer\.lr: .*"0\.1"/],
    ['weightDecay −0.01', () => new SGD({ weightDecay: -0.01 }), /^optimizer\.weightDecay: .*-0\.01/],
    ['weightDecay −1 (AdamW)', () => new AdamW({ weightDecay: -1 }), /^optimizer\.weightDecay: /],
    ['weightDecay NaN', () => new Adam({ weightDecay: NaN }), /^optimizer\.weightDecay: /],
    ['weightDecay −1e-3 (RMSProp)', () => new RMSProp({ weightDecay: -1e-3 }), /^optimizer\.weightDecay: /],
    ['clipNorm 0', () => new SGD({ clipNorm: 0 }), /^optimizer\.clipNorm: /],
    ['clipNorm −1', () => new Adam({ clipNorm: -1 }), /^optimizer\.clipNorm: /],
    ['momentum 1', () => new SGD({ momentum: 1 }), /^optimizer\.momentum: .*\[0, 1\)/],
    ['momentum −0.1', () => new SGD({ momentum: -0.1 }), /^optimizer\.momentum: /],
    ['momentum 1.5 (RMSProp)', () => new RMSProp({ momentum: 1.5 }), /^optimizer\.momentum: /],
    ['nesterov without momentum', () => new SGD({ nesterov: true }), /^optimizer\.nesterov: .*momentum/],
    ['nesterov with momentum 0', () => new SGD({ nesterov: true, momentum: 0 }), /^optimizer\.nesterov: /],
    ['nesterov not a boolean', () => new SGD({ momentum: 0.9, nesterov: 1 as never }), /^optimizer\.nesterov: /],
    ['beta1 1', () => new Adam({ beta1: 1 }), /^optimizer\.beta1: .*\[0, 1\)/],
    ['beta1 −0.1', () => new Adam({ beta1: -0.1 }), /^optimizer\.beta1: /],
    ['beta1 1 − 1e-9 (1 as a float32)', () => new AdamW({ beta1: 1 - 1e-9 }), /^optimizer\.beta1: /],
    ['beta2 1', () => new AdamW({ beta2: 1 }), /^optimizer\.beta2: /],
    ['beta2 1.5', () => new Adam({ beta2: 1.5 }), /^optimizer\.beta2: /],
    ['beta2 NaN', () => new Adam({ beta2: NaN }), /^optimizer\.beta2: /],
    ['rho 1', () => new RMSProp({ rho: 1 }), /^optimizer\.rho: /],
    ['rho −0.5', () => new RMSProp({ rho: -0.5 }), /^optimizer\.rho: /],
    ['epsilon 0', () => new Adam({ epsilon: 0 }), /^optimizer\.epsilon: /],
    ['epsilon −1e-8', () => new AdamW({ epsilon: -1e-8 }), /^optimizer\.epsilon: /],
    ['epsilon 1e-50 (zero as a float32)', () => new Adam({ epsilon: 1e-50 }), /^optimizer\.epsilon: /],
    ['epsilon 0 (RMSProp)', () => new RMSProp({ epsilon: 0 }), /^optimizer\.epsilon: /],
    ['an unknown key (SGD)', () => new SGD({ momentun: 0.9 } as never), /^optimizer: .*unknown key "momentun"/],
    ['an unknown key (Adam)', () => new Adam({ beta_1: 0.9 } as never), /^optimizer: .*unknown key "beta_1"/],
    ['a key of another rule (Adam given momentum)', () => new Adam({ momentum: 0.9 } as never), /^optimizer: .*unknown key "momentum"/],
    ['a key of another rule (RMSProp given beta1)', () => new RMSProp({ beta1: 0.9 } as never), /^optimizer: .*unknown key "beta1"/],
    ['a key of another rule (SGD given epsilon)', () => new SGD({ epsilon: 1e-8 } as never), /^optimizer: .*unknown key "epsilon"/],
  ];

  it.each(BAD)('%s: an InputError that names the option', (_, make, message) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });

  const OPTION_BAD: [string, Record<string, unknown>, RegExp][] = [
    ['sgd, lr 0', { type: 'sgd', lr: 0 }, /^optimizer\.lr: /],
    ['adam, beta1 1', { type: 'adam', beta1: 1 }, /^optimizer\.beta1: /],
    ['adamw, epsilon 0', { type: 'adamw', epsilon: 0 }, /^optimizer\.epsilon: /],
    ['rmsprop, weightDecay −1', { type: 'rmsprop', weightDecay: -1 }, /^optimizer\.weightDecay: /],
    ['sgd, nesterov without momentum', { type: 'sgd', nesterov: true }, /^optimizer\.nesterov: /],
    ['adam, an unknown key', { type: 'adam', lr: 0.01, betas: [0.9, 0.999] }, /^optimizer: .*unknown key "betas"/],
    ['rmsprop, lr NaN', { type: 'rmsprop', lr: NaN }, /^optimizer\.lr: /],
  ];

  it.each(OPTION_BAD)('Sequential.create with %s: rejected, and its layers still build a model', async (_, option, message) => {
    const layers = [new Dense(3, 4, { activation: 'relu' }), new Dense(4, 1)];
    await expect(Sequential.create(layers, { loss: 'mse', optimizer: option as never, seed: 1 })).rejects.toSatisfy((e: unknown) => e instanceof InputError && message.test(e.message));
    const model = await Sequential.create(layers, { loss: 'mse', optimizer: { type: 'sgd', lr: 0.1 }, seed: 1 });
    expect(model.getWeights()).toHaveLength(4);
    model.dispose();
  });

  it.each(MODEL_BACKENDS)('a model whose optimizer refuses a new rate keeps its rate and trains as one never asked (%s)', async (b) => {
    const rng = seeded('refuse');
    const x = table(rng, 16, 3), y = table(rng, 16, 2);
    for (const option of [{ type: 'adam', lr: 0.01 }, { type: 'sgd', lr: 0.05, momentum: 0.9 }, { type: 'rmsprop', lr: 0.01 }, { type: 'adamw', lr: 0.01 }] as const) {
      const build = () => Sequential.create([new Dense(3, 5, { activation: 'tanh' }), new Dense(5, 2)], { loss: 'mse', optimizer: option, seed: 4, ...backendOptions(b) });
      const asked = await build(), quiet = await build();
      await asked.fit(x, y, { epochs: 3, batchSize: 8, seed: 1 });
      await quiet.fit(x, y, { epochs: 3, batchSize: 8, seed: 1 });
      for (const bad of [0, NaN, 1e39, -1, Infinity, 1e-50]) {
        expect(() => (asked.optimizer.lr = bad), `lr = ${bad}`).toThrow(InputError);
        expect(() => (asked.optimizer.lr = bad)).toThrow(/^optimizer\.lr: /);
        expect(asked.optimizer.lr).toBe(option.lr);
      }
      expect(asked.getWeights()).toEqual(quiet.getWeights());
      await asked.fit(x, y, { epochs: 3, batchSize: 8, seed: 2 });
      await quiet.fit(x, y, { epochs: 3, batchSize: 8, seed: 2 });
      expect(asked.getWeights()).toEqual(quiet.getWeights());
      expect(asked.optimizer.config()).toEqual(quiet.optimizer.config());
      asked.dispose();
      quiet.dispose();
    }
  });

  it('the documented defaults', () => {
    expect(new SGD().config()).toEqual({ type: 'sgd', lr: 0.01 });
    const adam = new Adam();
    expect([adam.lr, adam.beta1, adam.beta2, adam.epsilon, adam.weightDecay, adam.clipNorm]).toEqual([0.001, 0.9, 0.999, 1e-8, 0, 0]);
    const adamw = new AdamW();
    expect([adamw.type, adamw.lr, adamw.beta1, adamw.beta2, adamw.epsilon, adamw.weightDecay]).toEqual(['adamw', 0.001, 0.9, 0.999, 1e-8, 0.01]);
    const rms = new RMSProp();
    expect([rms.lr, rms.rho, rms.epsilon, rms.momentum, rms.weightDecay]).toEqual([0.01, 0.99, 1e-8, 0, 0]);
  });

  it('SGD refuses an option object whose `type` names another rule', () => {
    expect(() => new SGD({ type: 'adam' } as never)).toThrow(InputError);
    expect(() => new SGD({ type: 'adam' } as never)).toThrow(/^optimizer\.type: expected "sgd" for this rule, got "adam"/);
  });

  // Found by this test: `new Adam({ type: 'adamw', weightDecay: 0.1 })` once built Adam with an
  // L2 term instead of the decoupled decay asked for. Each rule now refuses another's `type`.
  it.each([
    ['Adam', () => new Adam({ type: 'adamw', weightDecay: 0.1 } as never)],
    ['AdamW', () => new AdamW({ type: 'sgd' } as never)],
    ['RMSProp', () => new RMSProp({ type: 'adam' } as never)],
  ] as const)('%s refuses a `type` naming another rule, as SGD does', (_, make) => {
    expect(make).toThrow(/^optimizer\.type: /);
  });
});
