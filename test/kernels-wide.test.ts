// The dense products' special paths against the JS twin, on shapes the odd-size sweep
// in kernels-agree never reaches: packed panels (512+ columns, scratch borrowed from
// the output's last rows), the batch-1 sweep, 2-row tiles for 1–2 tail columns, and
// both loop orders of the small-k (≤ 10) NT kernel. Every buffer is guarded.
import { beforeAll, describe, expect, it } from 'vitest';
import { Act } from '../src/backend/ops.js';
import { type BufferSpec, type Pair, Rng, createPair, expectClose, runTwin } from './helpers/kernel-harness.js';

let pair: Pair;
beforeAll(async () => {
  pair = await createPair();
});

const f32 = (length: number): BufferSpec => ({ length });
const seed = (...parts: number[]) => new Rng(parts.reduce((h, p) => Math.imul(h ^ p, 16777619) >>> 0, 2166136261));

describe('denseForward', () => {
  // [rows, inDim, outDim]: packed (the first four, one past a 256-row k block), direct
  // because too few rows could lend scratch (40 × 514), batch 1 and odd rows, pair tails;
  // then the row kernel's 32-column strips: W4's 784 × 128, odd k, strips with vector and
  // lane tails, a single W row, and a leftover row whose last k block is one row.
  const shapes: [number, number, number][] = [
    [64, 300, 514], [48, 257, 1030], [32, 9, 512], [128, 20, 1024], [40, 300, 514],
    [1, 300, 37], [1, 64, 4], [1, 9, 3], [3, 130, 18], [2, 17, 66],
    [9, 33, 10], [8, 300, 9], [5, 7, 17], [6, 40, 2], [7, 260, 258],
    [1, 784, 128], [1, 301, 160], [3, 257, 101], [2, 2, 96], [1, 1, 64], [5, 129, 35],
  ];
  const acts = [
    { name: 'linear', act: Act.linear, alpha: 0 },
    { name: 'relu', act: Act.relu, alpha: 0 },
    { name: 'tanh', act: Act.tanh, alpha: 0 },
    { name: 'softmax', act: Act.softmax, alpha: 0 },
  ];
  describe.each(acts)('$name', ({ act, alpha }) => {
    it.each(shapes)('rows %i, inDim %i, outDim %i', (rows, inDim, outDim) => {
      const { wasm, js } = runTwin(pair, seed(1, act, rows, inDim, outDim), {
        x: f32(rows * inDim), w: f32(inDim * outDim), b: f32(outDim), y: f32(rows * outDim),
      }, (k, p) => k.denseForward(p.x, p.w, p.b, p.y, rows, inDim, outDim, act, alpha));
      expectClose(wasm.y, js.y, 'y');
      expectClose(wasm.w, js.w, 'w untouched');
    });
  });
});

describe.each([0, 1])('matmulTN accumulate %i', (accumulate) => {
  // [rows, m, n]: packed A strips and B panels (the first four; k blocks past 128 rows,
  // column tails), narrow n, batch 1. Accumulating never packs: c holds data.
  const shapes: [number, number, number][] = [
    [130, 257, 1026], [64, 300, 520], [3, 40, 1024], [20, 129, 266],
    [128, 256, 10], [17, 33, 9], [5, 1030, 2], [1, 35, 300],
  ];
  it.each(shapes)('rows %i, m %i, n %i', (rows, m, n) => {
    const { wasm, js } = runTwin(pair, seed(2, accumulate, rows, m, n), {
      a: f32(rows * m), b: f32(rows * n), c: f32(m * n),
    }, (k, p) => k.matmulTN(p.a, p.b, p.c, rows, m, n, accumulate));
    expectClose(wasm.c, js.c, 'c');
    expectClose(wasm.b, js.b, 'b untouched');
  });
});

describe.each([0, 1])('matmulNT accumulate %i', (accumulate) => {
  // [rows, k, n]: k ≤ 10 by columns (n ≤ 256) and by rows (n > 256), with row and column tails.
  const shapes: [number, number, number][] = [];
  for (let k = 1; k <= 11; k++) shapes.push([7, k, 13], [9, k, 301], [1, k, 300]);
  shapes.push([64, 10, 128], [128, 10, 1024], [4, 3, 257], [130, 12, 260]);
  it.each(shapes)('rows %i, k %i, n %i', (rows, k, n) => {
    const { wasm, js } = runTwin(pair, seed(3, accumulate, rows, k, n), {
      a: f32(rows * k), b: f32(n * k), c: f32(rows * n),
    }, (kern, p) => kern.matmulNT(p.a, p.b, p.c, rows, k, n, accumulate));
    expectClose(wasm.c, js.c, 'c');
  });
});


describe('a row of denseForward is the same alone as in any batch', () => {
  // The row kernel (batch 1, leftover rows) and the register tiles sum each output's terms
  // in the same order, so a row's bits cannot depend on the batch it came in. Relaxed SIMD
  // fuses in the tiles and in the row kernel's strips but not in its sweeps, which is why
  // predict runs rows in calls of a multiple of 4 (src/plan.ts); there the property holds
  // for such calls, and for single rows only when strips cover every column (32·j
  // columns, rows of up to 1 KiB).
  it.each([[8, 784, 128], [7, 301, 160], [6, 65, 37], [9, 130, 300], [5, 99, 64]] as [number, number, number][])('rows %i, inDim %i, outDim %i', (rows, inDim, outDim) => {
    const allStrips = outDim % 32 === 0 && outDim <= 256;
    const { wasm } = runTwin(pair, seed(2, rows, inDim, outDim), {
      x: f32(rows * inDim), w: f32(inDim * outDim), b: f32(outDim), y: f32(rows * outDim), one: f32(rows * outDim),
    }, (k, p) => {
      k.denseForward(p.x, p.w, p.b, p.y, rows, inDim, outDim, Act.relu, 0);
      const alone = k.kind === 'wasm' && pair.wasm.simd === 'relaxed-simd' && !allStrips ? 4 : 1;
      for (let r = 0; r < rows; r += alone) {
        const n = Math.min(alone, rows - r);
        k.denseForward(p.x + r * inDim * 4, p.w, p.b, p.one + r * outDim * 4, n, inDim, outDim, Act.relu, 0);
      }
    });
    expect(wasm.one).toEqual(wasm.y);
  });
});
