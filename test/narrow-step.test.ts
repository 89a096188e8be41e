// The fused per-sample step of narrow networks (Op.narrowStep) against the step it
// replaces: the unfused ops on the same backend, the JS twin, the interpreter's
// record and the epoch driver's shortcut for it. And the staged-input check
// (firstNonFinite) that predictions and fits now rely on.

import { beforeAll, describe, expect, it } from 'vitest';
import { narrowStepByOps } from '../src/backend/js-narrow-step.js';
import type { Kernels } from '../src/backend/kernels.js';
import { Act, Hyper, LossKind, OP_WORDS, Op, Reduction, STEP_LAYER_WORDS, f32Bits } from '../src/backend/ops.js';
import type { Engine } from '../src/engine.js';
import type { History } from '../src/callbacks.js';
import { Dense } from '../src/layers/dense.js';
import { Sequential } from '../src/model.js';
import { DivergenceError } from '../src/errors.js';
import {
  type BufferSpec,
  type Pair,
  Rng,
  createPair,
  drawInputs,
  expectClose,
  layoutBuffers,
  load,
  readBuffer,
  runTwin,
} from './helpers/kernel-harness.js';

let pair: Pair;
beforeAll(async () => {
  pair = await createPair();
});

const ELEMENTWISE: number[] = [Act.linear, Act.sigmoid, Act.tanh, Act.relu, Act.leakyRelu, Act.elu];
const ALPHA: Record<number, number> = { [Act.leakyRelu]: 0.1, [Act.elu]: 1 };

interface Net {
  /** Input width, then each layer's units (each ≤ 4). */
  widths: number[];
  acts: number[];
  lossKind: number;
  reduction: number;
  countCorrect: boolean;
}

const LOSSES = [
  ['mse', LossKind.mse],
  ['sigmoid cross-entropy', LossKind.sigmoidCrossEntropy],
  ['softmax cross-entropy', LossKind.softmaxCrossEntropy],
] as const;

// Widths hit every vector tail (1–4 units) and inputs past a vector (5, 33); depth 1–4.
const TOPOLOGIES = [[1, 1], [2, 4, 1], [3, 3], [5, 2, 3], [33, 4, 4, 2], [2, 1, 1, 1], [7, 4, 3, 2, 4]];

function nets(): [string, Net][] {
  const out: [string, Net][] = [];
  let turn = 0;
  for (const [lossName, lossKind] of LOSSES) {
    for (const widths of TOPOLOGIES) {
      const top = widths[widths.length - 1];
      if (lossKind === LossKind.softmaxCrossEntropy && top < 2) continue;
      for (const reduction of [Reduction.mean, Reduction.sum]) {
        const acts = widths.slice(1).map(() => ELEMENTWISE[turn++ % ELEMENTWISE.length]);
        if (lossKind === LossKind.sigmoidCrossEntropy) acts[acts.length - 1] = Act.sigmoid;
        if (lossKind === LossKind.softmaxCrossEntropy) acts[acts.length - 1] = Act.softmax;
        const countCorrect = lossKind !== LossKind.mse && turn % 2 === 0;
        const name = `${lossName}, ${widths.join('→')}, ${reduction === Reduction.mean ? 'mean' : 'sum'}${countCorrect ? ', counting correct' : ''}`;
        out.push([name, { widths, acts, lossKind, reduction, countCorrect }]);
      }
    }
  }
  return out;
}

/** Buffers of one step: per layer x (layer 0 only; the others read the y below), w, b, y, dy, dW, db. */
function specsOf(net: Net, rng: Rng): Record<string, BufferSpec> {
  const specs: Record<string, BufferSpec> = { x0: { length: net.widths[0] } };
  net.acts.forEach((_, l) => {
    const inDim = net.widths[l], outDim = net.widths[l + 1];
    Object.assign(specs, {
      [`w${l}`]: { length: inDim * outDim, init: () => rng.uniform(-1, 1) },
      [`b${l}`]: { length: outDim },
      [`y${l}`]: { length: outDim },
      [`dy${l}`]: { length: outDim },
      [`dW${l}`]: { length: inDim * outDim },
      [`db${l}`]: { length: outDim },
    });
  });
  const q = net.widths[net.widths.length - 1];
  const hot = rng.int(0, q);
  specs.t = {
    length: q,
    init: net.lossKind === LossKind.softmaxCrossEntropy ? (_r, i) => (i === hot ? 1 : 0) : net.lossKind === LossKind.mse ? (r) => r.uniform(-1, 1) : (r) => r.random(),
  };
  specs.lossSum = { length: 1, kind: 'f64', init: [0.25] };
  specs.correct = { length: 1, kind: 'f64', init: [2] };
  // The SGD block of the optimizer (ops.ts: Hyper): the base rate first, no schedule, status clear.
  specs.hyper = { length: Hyper.bytes / 4, init: (_r, i) => (i === 0 ? 0.3 : 0) };
  specs.table = { length: net.acts.length * STEP_LAYER_WORDS, kind: 'i32' };
  specs.code = { length: 2 * OP_WORDS, kind: 'i32' };
  return specs;
}

/** The table and a one-record program for the laid-out buffers (the layout depends on lengths only). */
function wordsOf(net: Net, p: Record<string, number>): { table: number[]; record: number[] } {
  const table = net.acts.flatMap((act, l) => {
    const rec = [l === 0 ? p.x0 : p[`y${l - 1}`], p[`w${l}`], p[`b${l}`], p[`y${l}`], p[`dy${l}`], p[`dW${l}`], p[`db${l}`], net.widths[l], net.widths[l + 1], act, f32Bits(ALPHA[act] ?? 0)];
    return [...rec, ...new Array<number>(STEP_LAYER_WORDS - rec.length).fill(0)];
  });
  const args = [p.table, net.acts.length, net.lossKind, p.t, p.lossSum, net.countCorrect ? p.correct : 0, net.reduction, p.hyper];
  return { table, record: [Op.narrowStep, ...args, ...new Array<number>(OP_WORDS - 1 - args.length).fill(0)] };
}

/** Specs with the table and program words filled in for their own layout. */
function withWords(net: Net, specs: Record<string, BufferSpec>): Record<string, BufferSpec> {
  const { table, record } = wordsOf(net, layoutBuffers(specs).ptr);
  return { ...specs, table: { ...specs.table, init: table }, code: { ...specs.code, init: [...record, ...new Array<number>(OP_WORDS).fill(0)] } };
}

function step(k: Kernels, net: Net, p: Record<string, number>): void {
  k.narrowStep(p.table, net.acts.length, net.lossKind, p.t, p.lossSum, net.countCorrect ? p.correct : 0, net.reduction, p.hyper);
}

function expectAllClose(a: Record<string, number[]>, b: Record<string, number[]>): void {
  for (const name of Object.keys(a)) expectClose(a[name], b[name], name);
}

describe.each(nets())('narrowStep: %s', (_name, net) => {
  const seed = net.widths.reduce((h, w) => h * 31 + w, net.lossKind * 7 + net.reduction);

  it('WASM fused agrees with the JS twin (the unfused ops in TypeScript)', () => {
    const rng = new Rng(seed);
    const { wasm, js } = runTwin(pair, rng, withWords(net, specsOf(net, rng)), (k, p) => step(k, net, p));
    expectAllClose(wasm, js);
  });

  it('WASM fused agrees with the unfused WASM ops', () => {
    const rng = new Rng(seed + 1);
    const specs = withWords(net, specsOf(net, rng));
    const layout = layoutBuffers(specs);
    const values = drawInputs(layout, specs, rng);
    const after = (fused: boolean) => {
      load(pair.wasm, layout, values);
      const p = layout.ptr;
      if (fused) step(pair.wasm, net, p);
      else narrowStepByOps(pair.wasm, p.table, net.acts.length, net.lossKind, p.t, p.lossSum, net.countCorrect ? p.correct : 0, net.reduction, p.hyper);
      return Object.fromEntries(Object.keys(specs).map((n) => [n, readBuffer(pair.wasm.heap, layout.buffers[n])]));
    };
    expectAllClose(after(true), after(false));
  });

  it('as a program record: WASM run agrees with JS direct calls', () => {
    const rng = new Rng(seed + 2);
    const { wasm, js } = runTwin(pair, rng, withWords(net, specsOf(net, rng)), (k, p) => {
      if (k.kind === 'wasm') k.run(p.code, 1, 1);
      else step(k, net, p);
    });
    expectAllClose(wasm, js);
  });
});

describe('narrowStep inside the epoch driver', () => {
  const net: Net = { widths: [3, 4, 2], acts: [Act.tanh, Act.softmax], lossKind: LossKind.softmaxCrossEntropy, reduction: Reduction.mean, countCorrect: true };
  const ROWS = 37;

  function specsWithData(rng: Rng): Record<string, BufferSpec> {
    const perm = Array.from({ length: ROWS }, (_, i) => i);
    for (let i = ROWS - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    return {
      ...withWords(net, specsOf(net, rng)),
      data: { length: ROWS * 3 },
      targets: { length: ROWS * 2, init: (_r, i) => ((i >> 1) % 3 === 0) === (i % 2 === 0) ? 1 : 0 },
      order: { length: ROWS, kind: 'i32', init: perm },
    };
  }

  const train = (k: Kernels, p: Record<string, number>, nOps: number) =>
    k.trainBatches(p.code, nOps, p.data, p.targets, p.order, 0, ROWS, 1, 3, 2, p.x0, p.t, p.hyper + Hyper.status);

  it('the one-record shortcut gives bit-identical results to the interpreted path', () => {
    const rng = new Rng(77);
    const specs = specsWithData(rng);
    const layout = layoutBuffers(specs);
    const values = drawInputs(layout, specs, rng);
    // The second record fills nothing (n = 0) but makes the program two ops long.
    const twoOps = [...values.code.slice(0, OP_WORDS), Op.fill, layout.ptr.hyper, 0, ...new Array<number>(OP_WORDS - 3).fill(0)];
    const after = (nOps: number) => {
      load(pair.wasm, layout, { ...values, code: nOps === 1 ? values.code : twoOps });
      train(pair.wasm, layout.ptr, nOps);
      return Object.fromEntries(Object.keys(specs).filter((n) => n !== 'code').map((n) => [n, readBuffer(pair.wasm.heap, layout.buffers[n])]));
    };
    expect(after(1)).toEqual(after(2));
  });

  it(`${ROWS} steps on WASM agree with the JS backend`, () => {
    const rng = new Rng(78);
    const { wasm, js } = runTwin(pair, rng, specsWithData(rng), (k, p) => train(k, p, 1));
    expectAllClose(wasm, js);
  });
});

describe('models train per-sample through the fused step', () => {
  const make = (backend: 'wasm' | 'js', hidden: number) =>
    Sequential.create([new Dense(4, hidden, { activation: 'tanh' }), new Dense(hidden, 3, { activation: 'softmax' })], {
      loss: 'crossEntropy',
      optimizer: { type: 'sgd', lr: 0.1 },
      seed: 5,
      backend,
    });

  it('narrow layers compile batch 1 to one op, a wider layer does not', async () => {
    const narrow = await make('wasm', 4), wide = await make('wasm', 5);
    const trainOps = (model: Sequential) => (model as unknown as { engine: Engine }).engine.plan(1).train.ops;
    expect(trainOps(narrow)).toBe(1);
    expect(trainOps(wide)).toBeGreaterThan(1);
    narrow.dispose();
    wide.dispose();
  });

  it('WASM and JS give the same weights and history after three epochs of batch 1', async () => {
    const rng = new Rng(9);
    const x = Array.from({ length: 60 }, () => Array.from({ length: 4 }, () => rng.uniform(-2, 2)));
    const labels = x.map((r) => (r[0] + r[1] > 0.5 ? 0 : r[2] > 0 ? 1 : 2));
    const runs: { history: History; weights: ArrayLike<number>[] }[] = [];
    for (const backend of ['wasm', 'js'] as const) {
      const model = await make(backend, 4);
      const history = await model.fit(x, labels, { epochs: 3, batchSize: 1 });
      runs.push({ history, weights: model.getWeights() });
      model.dispose();
    }
    runs[0].weights.forEach((w, i) => expectClose(w, runs[1].weights[i], `weights[${i}]`));
    expectClose(runs[0].history.history.loss, runs[1].history.history.loss, 'loss');
    expect(runs[0].history.history.accuracy).toEqual(runs[1].history.history.accuracy);
  });
});

describe.each(['wasm', 'js'] as const)('the fused step on %s under the divergence guard', (backend) => {
  const make = () => Sequential.create([new Dense(2, 3, { activation: 'tanh' }), new Dense(3, 1)], { loss: 'mse', optimizer: { type: 'sgd', lr: 1e15 }, seed: 3, backend });
  const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]), y = x.map(([a, b]) => 3 * a - b);

  it('refuses the step whose loss is not finite before any weight changes, and counts only the steps taken', async () => {
    // All epochs in one call (the step count kept in the driver) against one step per call (a
    // per-batch callback): the same refused step, the same weights, the same count.
    const whole = await make();
    const engine = (whole as unknown as { engine: Engine }).engine;
    expect(engine.plan(1).train.ops).toBe(1);
    const error = await whole.fit(x, y, { epochs: 3, batchSize: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const [, epoch, batch] = /in epoch (\d+), batch (\d+)/.exec((error as Error).message)!.map(Number);
    expect(engine.steps).toBe((epoch - 1) * 40 + batch - 1);
    for (const w of whole.getWeights()) expect(w.every(Number.isFinite)).toBe(true);

    const stepwise = await make();
    let before: ArrayLike<number>[] = stepwise.getWeights();
    const again = await stepwise.fit(x, y, { epochs: 3, batchSize: 1, callbacks: { onBatchEnd: () => void (before = stepwise.getWeights()) } }).catch((e: unknown) => e);
    expect((again as Error).message).toBe((error as Error).message);
    expect(whole.getWeights()).toEqual(before);
    expect((stepwise as unknown as { engine: Engine }).engine.steps).toBe(engine.steps);
    whole.dispose();
    stepwise.dispose();
  });
});

describe.each([1, 3, 4, 15, 16, 17, 33, 64, 100])('firstNonFinite over %i floats', (n) => {
  const cases: [string, number[]][] = [
    ['none', []],
    ['NaN first', [0]],
    ['+Infinity last', [n - 1]],
    ['−Infinity in the middle', [n >> 1]],
    ['two: the first wins', [Math.min(n - 1, 5), n - 1]],
  ];
  it.each(cases)('%s', (_label, positions) => {
    const bad = [Number.NaN, Infinity, -Infinity];
    const init = (r: Rng, i: number) => (positions.includes(i) ? bad[positions.indexOf(i) % 3] : r.uniform(-1e30, 1e30));
    const found: Record<string, number> = {};
    runTwin(pair, new Rng(n), { v: { length: n, init } }, (k, p) => {
      found[k.kind] = k.firstNonFinite(p.v, n);
    });
    const expected = positions.length === 0 ? -1 : Math.min(...positions);
    expect(found).toEqual({ wasm: expected, js: expected });
  });
});
