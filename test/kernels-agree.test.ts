// The SIMD kernels against their pure-TypeScript twin, kernel by kernel, over
// shapes chosen so that rows and widths hit full vectors, register tiles and
// every 1–3 element tail. Both backends get the same f32 inputs; every buffer
// is guarded, so a vector store past a tail fails the test too.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { JsKernels } from '../src/backend/js.js';
import { Act, LossKind, OP_WORDS, Op, Reduction, STEP_LAYER_WORDS } from '../src/backend/ops.js';
import { WasmKernels } from '../src/backend/wasm.js';
import { Arena } from '../src/plan.js';
import {
  type BufferSpec,
  type Pair,
  Rng,
  WASM_STATIC_END,
  createPair,
  expectClose,
  runTwin,
} from './helpers/kernel-harness.js';

const SIZES = [1, 3, 5, 7, 33, 127];

// Fixed seed: the random shapes are part of the test names and must not change between runs.
const shapeRng = new Rng(0x5eed);
const RANDOM_WIDTHS = [0, 1, 2].map(() => shapeRng.int(2, 100));

/** Every (rows, width) pair from SIZES, then a few random ones. */
const SHAPES2: [number, number][] = [
  ...SIZES.flatMap((r) => SIZES.map((c) => [r, c] as [number, number])),
  ...RANDOM_WIDTHS.map((c) => [shapeRng.int(1, 40), c] as [number, number]),
];

/** Every (rows, last) pair from SIZES; the middle dimension cycles through SIZES as well. */
const SHAPES3: [number, number, number][] = [
  ...SIZES.flatMap((r, i) => SIZES.map((c, j) => [r, SIZES[(i + 2 * j + 1) % SIZES.length], c] as [number, number, number])),
  ...RANDOM_WIDTHS.map((c) => [shapeRng.int(1, 40), shapeRng.int(1, 60), c] as [number, number, number]),
];

const LENGTHS = [...SIZES, 4, 8, 16, ...RANDOM_WIDTHS];

const ACTIVATIONS = [
  { name: 'linear', act: Act.linear, alpha: 0 },
  { name: 'sigmoid', act: Act.sigmoid, alpha: 0 },
  { name: 'tanh', act: Act.tanh, alpha: 0 },
  { name: 'relu', act: Act.relu, alpha: 0 },
  { name: 'leakyRelu', act: Act.leakyRelu, alpha: 0.1 },
  { name: 'elu', act: Act.elu, alpha: 1 },
  { name: 'softmax', act: Act.softmax, alpha: 0 },
] as const;

const REDUCTIONS = [
  ['mean', Reduction.mean],
  ['sum', Reduction.sum],
] as const;

let pair: Pair;
beforeAll(async () => {
  pair = await createPair();
});

/** A per-test seed derived from the test's parameters, so each case is reproducible on its own. */
function rngFor(...parts: number[]): Rng {
  let h = 2166136261;
  for (const p of parts) h = Math.imul(h ^ (p | 0), 16777619);
  return new Rng(h >>> 0);
}

const f32 = (length: number, init?: BufferSpec['init']): BufferSpec => ({ length, init });
const f64Acc = (init: number): BufferSpec => ({ length: 1, kind: 'f64', init: [init] });

function oneHotRows(rows: number, cols: number, rng: Rng): number[] {
  const t = new Array<number>(rows * cols).fill(0);
  for (let r = 0; r < rows; r++) t[r * cols + rng.int(0, cols)] = 1;
  return t;
}

describe('op numbers', () => {
  it('assembly/ops.ts mirrors src/backend/ops.ts', () => {
    const text = readFileSync(new URL('../assembly/ops.ts', import.meta.url), 'utf8');
    const asc = new Map<string, number>();
    for (const m of text.matchAll(/export const (\w+): i32 = (-?\d+);/g)) asc.set(m[1], Number(m[2]));
    const snake = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
    const expected = new Map<string, number>([['OP_WORDS', OP_WORDS], ['STEP_LAYER_WORDS', STEP_LAYER_WORDS]]);
    for (const [k, v] of Object.entries(Op)) expected.set(`OP_${snake(k)}`, v);
    for (const [k, v] of Object.entries(Act)) expected.set(`ACT_${snake(k)}`, v);
    for (const [k, v] of Object.entries(Reduction)) expected.set(`REDUCTION_${snake(k)}`, v);
    for (const [k, v] of Object.entries(LossKind)) expected.set(`LOSS_KIND_${snake(k)}`, v);
    expect(Object.fromEntries(asc)).toEqual(Object.fromEntries(expected));
  });
});

describe.each(ACTIVATIONS)('denseForward $name', ({ act, alpha }) => {
  it.each(SHAPES3)('rows %i, inDim %i, outDim %i', (rows, inDim, outDim) => {
    const { wasm, js } = runTwin(pair, rngFor(1, act, rows, inDim, outDim), {
      x: f32(rows * inDim),
      w: f32(inDim * outDim),
      b: f32(outDim),
      y: f32(rows * outDim),
    }, (k, p) => k.denseForward(p.x, p.w, p.b, p.y, rows, inDim, outDim, act, alpha));
    expectClose(wasm.y, js.y, 'y');
    expectClose(wasm.x, js.x, 'x untouched');
  });
});

describe.each([0, 1])('matmulNT accumulate %i', (accumulate) => {
  it.each(SHAPES3)('rows %i, k %i, n %i', (rows, k, n) => {
    const { wasm, js } = runTwin(pair, rngFor(2, accumulate, rows, k, n), {
      a: f32(rows * k),
      b: f32(n * k),
      c: f32(rows * n),
    }, (kern, p) => kern.matmulNT(p.a, p.b, p.c, rows, k, n, accumulate));
    expectClose(wasm.c, js.c, 'c');
  });
});

describe.each([0, 1])('matmulTN accumulate %i', (accumulate) => {
  it.each(SHAPES3)('rows %i, m %i, n %i', (rows, m, n) => {
    const { wasm, js } = runTwin(pair, rngFor(3, accumulate, rows, m, n), {
      a: f32(rows * m),
      b: f32(rows * n),
      c: f32(m * n),
    }, (k, p) => k.matmulTN(p.a, p.b, p.c, rows, m, n, accumulate));
    expectClose(wasm.c, js.c, 'c');
  });
});

// Inputs reach ±4 so sigmoid and tanh leave their linear region.
const wide = (rng: Rng) => rng.uniform(-4, 4);

describe.each(ACTIVATIONS)('activationForward $name', ({ act, alpha }) => {
  it.each(SHAPES2)('rows %i, cols %i (separate and in place)', (rows, cols) => {
    const n = rows * cols;
    const { wasm, js } = runTwin(pair, rngFor(4, act, rows, cols), { x: f32(n, wide), y: f32(n), z: f32(n, wide) }, (k, p) => {
      k.activationForward(p.x, p.y, rows, cols, act, alpha);
      k.activationForward(p.z, p.z, rows, cols, act, alpha);
    });
    expectClose(wasm.y, js.y, 'y');
    expectClose(wasm.z, js.z, 'in place');
  });
});

describe.each(ACTIVATIONS)('activationBackward $name', ({ act, alpha }) => {
  it.each(SHAPES2)('rows %i, cols %i (separate and in place)', (rows, cols) => {
    const n = rows * cols;
    const { wasm, js } = runTwin(pair, rngFor(5, act, rows, cols), { y: f32(n), dy: f32(n), dx: f32(n), dz: f32(n) }, (k, p) => {
      k.activationBackward(p.y, p.dy, p.dx, rows, cols, act, alpha);
      k.activationBackward(p.y, p.dz, p.dz, rows, cols, act, alpha);
    });
    expectClose(wasm.dx, js.dx, 'dx');
    expectClose(wasm.dz, js.dz, 'dx = dy in place');
    expectClose(wasm.dy, js.dy, 'dy untouched');
  });
});

// The API accepts any alpha > 0 (src/layers/activations.ts), so a slope above 1 is a valid leaky ReLU.
describe('leakyRelu with alpha > 1', () => {
  it.each([[3, 5], [2, 33]])('rows %i, cols %i, alpha 1.5', (rows, cols) => {
    const n = rows * cols;
    const { wasm, js } = runTwin(pair, rngFor(6, rows, cols), {
      x: f32(n), y: f32(n), w: f32(cols * cols), b: f32(cols), d: f32(n),
    }, (k, p) => {
      k.activationForward(p.x, p.y, rows, cols, Act.leakyRelu, 1.5);
      k.denseForward(p.x, p.w, p.b, p.d, rows, cols, cols, Act.leakyRelu, 1.5);
    });
    expectClose(wasm.y, js.y, 'activationForward');
    expectClose(wasm.d, js.d, 'denseForward');
  });
});

describe.each(ACTIVATIONS)('denseBackwardEpilogue $name', ({ act, alpha }) => {
  it.each(SHAPES2)('rows %i, cols %i (accumulate 0 and 1)', (rows, cols) => {
    for (const accumulate of [0, 1]) {
      const n = rows * cols;
      const { wasm, js } = runTwin(pair, rngFor(7, act, rows, cols, accumulate), { y: f32(n), dy: f32(n), db: f32(cols) }, (k, p) =>
        k.denseBackwardEpilogue(p.y, p.dy, p.db, rows, cols, act, alpha, accumulate),
      );
      expectClose(wasm.dy, js.dy, `dy in place, accumulate ${accumulate}`);
      expectClose(wasm.db, js.db, `db, accumulate ${accumulate}`);
    }
  });
});

describe('maxout', () => {
  it.each(SHAPES3)('forward: rows %i, units %i, k %i', (rows, units, k) => {
    const { wasm, js } = runTwin(pair, rngFor(8, rows, units, k), {
      z: f32(rows * units * k),
      y: f32(rows * units),
      arg: { length: rows * units, kind: 'i32', init: () => -7 },
    }, (kern, p) => kern.maxoutForward(p.z, p.y, p.arg, rows, units, k));
    expectClose(wasm.y, js.y, 'y');
    expect(wasm.arg).toEqual(js.arg);
  });

  it.each([[3, 5, 4], [7, 3, 3]])('forward with ties takes the same winner: rows %i, units %i, k %i', (rows, units, k) => {
    const { wasm, js } = runTwin(pair, rngFor(9, rows, units, k), {
      z: f32(rows * units * k, (rng) => rng.int(0, 2)),
      y: f32(rows * units),
      arg: { length: rows * units, kind: 'i32' },
    }, (kern, p) => kern.maxoutForward(p.z, p.y, p.arg, rows, units, k));
    expectClose(wasm.y, js.y, 'y');
    expect(wasm.arg).toEqual(js.arg);
  });

  it.each(SHAPES3)('backward: rows %i, units %i, k %i', (rows, units, k) => {
    const { wasm, js } = runTwin(pair, rngFor(10, rows, units, k), {
      dy: f32(rows * units),
      arg: { length: rows * units, kind: 'i32', init: (rng) => rng.int(0, k) },
      dz: f32(rows * units * k),
    }, (kern, p) => kern.maxoutBackward(p.dy, p.arg, p.dz, rows, units, k));
    expectClose(wasm.dz, js.dz, 'dz');
  });
});

const logits = (rng: Rng) => rng.uniform(-6, 6);

describe('softmaxCrossEntropy', () => {
  it.each(SHAPES2)('rows %i, cols %i (p aliasing z and not; mean and sum; one-hot and soft targets)', (rows, cols) => {
    for (const [rname, reduction] of REDUCTIONS) {
      for (const alias of [false, true]) {
        for (const soft of [false, true]) {
          const label = `${rname}, ${alias ? 'p = z' : 'p separate'}, ${soft ? 'soft' : 'one-hot'}`;
          const targetRng = rngFor(11, rows, cols, reduction, Number(alias), Number(soft));
          const t = soft ? Array.from({ length: rows }, () => targetRng.distribution(cols)).flat() : oneHotRows(rows, cols, targetRng);
          const n = rows * cols;
          const { wasm, js } = runTwin(pair, targetRng, { z: f32(n, logits), t: f32(n, t), p: f32(n), dz: f32(n), loss: f64Acc(0.75) }, (k, p) =>
            k.softmaxCrossEntropy(p.z, p.t, alias ? p.z : p.p, p.dz, rows, cols, p.loss, reduction),
          );
          expectClose(alias ? wasm.z : wasm.p, alias ? js.z : js.p, `p, ${label}`);
          expectClose(wasm.dz, js.dz, `dz, ${label}`);
          expectClose(wasm.loss, js.loss, `loss, ${label}`);
          if (!alias) expectClose(wasm.z, js.z, `z untouched, ${label}`);
        }
      }
    }
  });
});

describe('sigmoidCrossEntropy', () => {
  it.each(SHAPES2)('rows %i, cols %i (p aliasing z and not; mean and sum)', (rows, cols) => {
    for (const [rname, reduction] of REDUCTIONS) {
      for (const alias of [false, true]) {
        const label = `${rname}, ${alias ? 'p = z' : 'p separate'}`;
        const n = rows * cols;
        const { wasm, js } = runTwin(pair, rngFor(12, rows, cols, reduction, Number(alias)), {
          z: f32(n, (rng) => rng.uniform(-12, 12)),
          t: f32(n, (rng) => (rng.random() < 0.3 ? rng.random() : rng.int(0, 2))),
          p: f32(n),
          dz: f32(n),
          loss: f64Acc(-2.5),
        }, (k, p) => k.sigmoidCrossEntropy(p.z, p.t, alias ? p.z : p.p, p.dz, rows, cols, p.loss, reduction));
        expectClose(alias ? wasm.z : wasm.p, alias ? js.z : js.p, `p, ${label}`);
        expectClose(wasm.dz, js.dz, `dz, ${label}`);
        expectClose(wasm.loss, js.loss, `loss, ${label}`);
      }
    }
  });
});

describe('meanSquaredError', () => {
  it.each(SHAPES2)('rows %i, cols %i (mean and sum)', (rows, cols) => {
    for (const [rname, reduction] of REDUCTIONS) {
      const n = rows * cols;
      const { wasm, js } = runTwin(pair, rngFor(13, rows, cols, reduction), {
        y: f32(n, wide), t: f32(n, wide), dy: f32(n), loss: f64Acc(1.25),
      }, (k, p) => k.meanSquaredError(p.y, p.t, p.dy, rows, cols, p.loss, reduction));
      expectClose(wasm.dy, js.dy, `dy, ${rname}`);
      expectClose(wasm.loss, js.loss, `loss, ${rname}`);
    }
  });
});

describe('countCorrect', () => {
  it.each(SIZES.concat(RANDOM_WIDTHS))('cols 1, rows %i', (rows) => {
    // Some predictions sit exactly on 0.5, which counts as positive.
    const { wasm, js } = runTwin(pair, rngFor(14, rows), {
      p: f32(rows, (rng) => (rng.random() < 0.2 ? 0.5 : rng.random())),
      t: f32(rows, (rng) => rng.int(0, 2)),
      correct: f64Acc(3),
    }, (k, p) => k.countCorrect(p.p, p.t, rows, 1, p.correct));
    expect(wasm.correct).toEqual(js.correct);
  });

  it.each(SHAPES2.filter(([, c]) => c > 1))('rows %i, cols %i', (rows, cols) => {
    const rng = rngFor(15, rows, cols);
    const t = oneHotRows(rows, cols, rng);
    // Half the rows predict their own target, so hits and misses both occur.
    const { wasm, js } = runTwin(pair, rng, {
      p: f32(rows * cols, (r, i) => r.random() + (t[i] === 1 && Math.floor(i / cols) % 2 === 0 ? 1 : 0)),
      t: f32(rows * cols, t),
      correct: f64Acc(0),
    }, (k, p) => k.countCorrect(p.p, p.t, rows, cols, p.correct));
    expect(wasm.correct).toEqual(js.correct);
    expect(js.correct[0]).toBeGreaterThanOrEqual(Math.ceil(rows / 2));
  });

  it('ties in p resolve to the same (first) column', () => {
    const rows = 4, cols = 5;
    const { wasm, js } = runTwin(pair, new Rng(16), {
      p: f32(rows * cols, [0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 2, 2, 3, 0, 0, 0, 3]),
      t: f32(rows * cols, [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]),
      correct: f64Acc(0),
    }, (k, p) => k.countCorrect(p.p, p.t, rows, cols, p.correct));
    expect(wasm.correct).toEqual(js.correct);
  });
});

describe('sgdUpdate', () => {
  it.each(LENGTHS)('n %i', (n) => {
    const { wasm, js } = runTwin(pair, rngFor(17, n), { w: f32(n), g: f32(n), lr: f32(1, [0.37]) }, (k, p) => k.sgdUpdate(p.w, p.g, n, p.lr));
    expectClose(wasm.w, js.w, 'w');
    expectClose(wasm.g, js.g, 'g untouched');
  });
});

describe('fill', () => {
  it.each(LENGTHS)('n %i', (n) => {
    const { wasm, js } = runTwin(pair, rngFor(18, n), { a: f32(n), b: f32(n) }, (k, p) => {
      k.fill(p.a, n, -2.75);
      k.fill(p.b, n, 0);
    });
    expectClose(wasm.a, js.a, 'a');
    expectClose(wasm.b, js.b, 'b');
    expect(js.a.every((v) => v === -2.75)).toBe(true);
  });
});

describe('exp', () => {
  it.each(LENGTHS)('n %i', (n) => {
    const { wasm, js } = runTwin(pair, rngFor(19, n), { x: f32(n, (rng) => rng.uniform(-10, 10)), y: f32(n) }, (k, p) => k.exp(p.x, p.y, n));
    expectClose(wasm.y, js.y, 'y');
  });
});

// The engine's Arena hands out memory from byte 16 (src/plan.ts), parameters
// first. Whatever the module keeps in its own memory must survive that.
describe('heap layout as the engine plans it', () => {
  it('softmaxCrossEntropy loss after parameters fill the first 16 KiB', async () => {
    const rows = 4, cols = 5, n = rows * cols;
    const heaps = { wasm: await WasmKernels.create(), js: new JsKernels() };
    const losses: Record<string, number> = {};
    for (const k of [heaps.wasm, heaps.js]) {
      const rng = new Rng(21);
      const arena = new Arena(k.heap);
      const params = arena.claim(4096);
      const z = arena.claim(n), t = arena.claim(n), p = arena.claim(n), dz = arena.claim(n), loss = arena.claim(2);
      arena.commit(16, 'test', 'buffers');
      const f = k.heap.f32;
      for (let i = 0; i < params.length; i++) f[(params.offset >> 2) + i] = rng.uniform(-1, 1);
      for (let i = 0; i < n; i++) f[(z.offset >> 2) + i] = rng.uniform(-3, 3);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) f[(t.offset >> 2) + r * cols + j] = j === r % cols ? 1 : 0;
      k.heap.f64[loss.offset >> 3] = 0;
      k.softmaxCrossEntropy(z.offset, t.offset, p.offset, dz.offset, rows, cols, loss.offset, Reduction.sum);
      losses[k.kind] = k.heap.f64[loss.offset >> 3];
    }
    expectClose([losses.wasm], [losses.js], `loss (module static data at [1024, ${WASM_STATIC_END}))`);
  });
});
