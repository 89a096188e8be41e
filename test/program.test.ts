// One training step as a program that touches every opcode but narrowStep (batch 1
// only: test/narrow-step.test.ts). Each interpreter is checked against the *other*
// backend's direct calls, so a mis-decoded record cannot hide behind a twin with the
// same mistake.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../src/backend/kernels.js';
import { Act, Hyper, OP_WORDS, Op, OptimizerKind, Reduction, f32Bits } from '../src/backend/ops.js';
import { type BufferSpec, type Pair, Rng, createPair, expectClose, layoutBuffers, runTwin } from './helpers/kernel-harness.js';
import { hyperWords } from './helpers/hyper.js';

let pair: Pair;
beforeAll(async () => {
  pair = await createPair();
});

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

describe('run', () => {
  const CAP = 7, IN = 6, HID = 8, UNITS = 3, K = 3, Z = UNITS * K;
  const BN_STRIDE = HID, OPT_N = 37, DROP_THRESHOLD = 0x40000000, DROP_SCALE = Math.fround(4 / 3);

  function specs(rng: Rng): Record<string, BufferSpec> {
    const t = oneHotRows(CAP, UNITS, rng);
    return {
      x: f32(CAP * IN), w1: f32(IN * HID), b1: f32(HID), h: f32(CAP * HID),
      w2: f32(HID * Z), b2: f32(Z), z: f32(CAP * Z), m: f32(CAP * UNITS),
      arg: { length: CAP * UNITS, kind: 'i32' }, t: f32(CAP * UNITS, t), p: f32(CAP * UNITS), dm: f32(CAP * UNITS),
      dz: f32(CAP * Z), db2: f32(Z), dw2: f32(HID * Z), dh: f32(CAP * HID), db1: f32(HID), dw1: f32(IN * HID),
      h2: f32(CAP * HID), dh2: f32(CAP * HID), t2: f32(CAP * Z, (r) => r.random()), p2: f32(CAP * Z), dz2: f32(CAP * Z),
      t3: f32(CAP * HID), dy3: f32(CAP * HID), filled: f32(13), lr: f32(1, [0.05]),
      loss: f64Acc(0.5), loss2: f64Acc(0), loss3: f64Acc(0), correct: f64Acc(1),
      bny: f32(CAP * HID), xhat: f32(CAP * HID), gamma: f32(HID, (r) => r.uniform(0.5, 1.5)), beta: f32(HID),
      stats: f32(3 * BN_STRIDE), running: f32(2 * BN_STRIDE, (r, i) => (i < BN_STRIDE ? r.uniform(-1, 1) : r.uniform(0.5, 2))),
      dgamma: f32(HID), dbeta: f32(HID), bndx: f32(CAP * HID),
      dropy: f32(CAP * HID), mask: f32(CAP * HID), dstate: { length: 16, kind: 'i32', init: (r) => r.int(-(2 ** 31), 2 ** 31) },
      muly: f32(CAP * HID), addy: f32(CAP * HID), copyy: f32(CAP * HID),
      ow: f32(OPT_N), og: f32(OPT_N), om: f32(OPT_N), ov: f32(OPT_N, (r) => r.uniform(0, 1)),
      hyper: { length: Hyper.bytes / 4, kind: 'i32', init: hyperWords({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }) },
    };
  }

  type P = Record<string, number>;
  const program = (p: P): number[][] => [
    [Op.denseForward, p.x, p.w1, p.b1, p.h, IN, HID, Act.sigmoid, f32Bits(0)],
    [Op.denseForward, p.h, p.w2, p.b2, p.z, HID, Z, Act.leakyRelu, f32Bits(0.1)],
    [Op.maxoutForward, p.z, p.m, p.arg, UNITS, K],
    [Op.softmaxCrossEntropy, p.m, p.t, p.p, p.dm, UNITS, p.loss, Reduction.mean],
    [Op.countCorrect, p.p, p.t, UNITS, p.correct],
    [Op.maxoutBackward, p.dm, p.arg, p.dz, UNITS, K],
    [Op.denseBackwardEpilogue, p.z, p.dz, p.db2, Z, Act.leakyRelu, f32Bits(0.1), 0],
    [Op.matmulTN, p.h, p.dz, p.dw2, HID, Z, 0],
    [Op.matmulNT, p.dz, p.w2, p.dh, Z, HID, 0],
    [Op.denseBackwardEpilogue, p.h, p.dh, p.db1, HID, Act.sigmoid, f32Bits(0), 1],
    [Op.matmulTN, p.x, p.dh, p.dw1, IN, HID, 1],
    [Op.activationForward, p.h, p.h2, HID, Act.tanh, f32Bits(0)],
    [Op.activationBackward, p.h2, p.dh, p.dh2, HID, Act.elu, f32Bits(0.7)],
    [Op.sigmoidCrossEntropy, p.z, p.t2, p.p2, p.dz2, Z, p.loss2, Reduction.sum],
    [Op.meanSquaredError, p.h2, p.t3, p.dy3, HID, p.loss3, Reduction.mean],
    [Op.matmulNT, p.dz2, p.w2, p.dh, Z, HID, 1],
    [Op.sgdUpdate, p.w1, p.dw1, IN * HID, p.lr],
    [Op.sgdUpdate, p.w2, p.dw2, HID * Z, p.lr],
    [Op.fill, p.filled, 13, f32Bits(-0.625)],
    [Op.batchNormForward, p.h2, p.bny, p.xhat, p.gamma, p.beta, p.stats, p.running, HID, f32Bits(1e-3), 1],
    [Op.batchNormBackward, p.dh2, p.xhat, p.gamma, p.stats, p.dgamma, p.dbeta, p.bndx, HID],
    [Op.batchNormUpdate, p.stats, p.running, HID, f32Bits(0.9)],
    [Op.dropoutForward, p.bny, p.dropy, p.mask, HID, p.dstate, DROP_THRESHOLD, f32Bits(DROP_SCALE)],
    [Op.multiply, p.dh2, p.mask, p.muly, HID],
    [Op.add, p.bny, p.h2, p.addy, HID, 0],
    [Op.add, p.h2, 0, p.addy, HID, 1],
    [Op.copy, p.dropy, p.copyy, HID],
    [Op.guard, p.og, OPT_N, p.loss, p.hyper],
    [Op.optimizerStep, OptimizerKind.adam, p.ow, p.og, p.om, p.ov, OPT_N, p.hyper],
  ];

  function direct(k: Kernels, p: P, rows: number): void {
    k.denseForward(p.x, p.w1, p.b1, p.h, rows, IN, HID, Act.sigmoid, 0);
    k.denseForward(p.h, p.w2, p.b2, p.z, rows, HID, Z, Act.leakyRelu, Math.fround(0.1));
    k.maxoutForward(p.z, p.m, p.arg, rows, UNITS, K);
    k.softmaxCrossEntropy(p.m, p.t, p.p, p.dm, rows, UNITS, p.loss, Reduction.mean);
    k.countCorrect(p.p, p.t, rows, UNITS, p.correct);
    k.maxoutBackward(p.dm, p.arg, p.dz, rows, UNITS, K);
    k.denseBackwardEpilogue(p.z, p.dz, p.db2, rows, Z, Act.leakyRelu, Math.fround(0.1), 0);
    k.matmulTN(p.h, p.dz, p.dw2, rows, HID, Z, 0);
    k.matmulNT(p.dz, p.w2, p.dh, rows, Z, HID, 0);
    k.denseBackwardEpilogue(p.h, p.dh, p.db1, rows, HID, Act.sigmoid, 0, 1);
    k.matmulTN(p.x, p.dh, p.dw1, rows, IN, HID, 1);
    k.activationForward(p.h, p.h2, rows, HID, Act.tanh, 0);
    k.activationBackward(p.h2, p.dh, p.dh2, rows, HID, Act.elu, Math.fround(0.7));
    k.sigmoidCrossEntropy(p.z, p.t2, p.p2, p.dz2, rows, Z, p.loss2, Reduction.sum);
    k.meanSquaredError(p.h2, p.t3, p.dy3, rows, HID, p.loss3, Reduction.mean);
    k.matmulNT(p.dz2, p.w2, p.dh, rows, Z, HID, 1);
    k.sgdUpdate(p.w1, p.dw1, IN * HID, p.lr);
    k.sgdUpdate(p.w2, p.dw2, HID * Z, p.lr);
    k.fill(p.filled, 13, -0.625);
    k.batchNormForward(p.h2, p.bny, p.xhat, p.gamma, p.beta, p.stats, p.running, rows, HID, Math.fround(1e-3), 1);
    k.batchNormBackward(p.dh2, p.xhat, p.gamma, p.stats, p.dgamma, p.dbeta, p.bndx, rows, HID);
    k.batchNormUpdate(p.stats, p.running, rows, HID, Math.fround(0.9));
    k.dropoutForward(p.bny, p.dropy, p.mask, rows * HID, p.dstate, DROP_THRESHOLD, DROP_SCALE);
    k.multiply(p.dh2, p.mask, p.muly, rows * HID);
    k.add(p.bny, p.h2, p.addy, rows * HID, 0);
    k.add(p.h2, 0, p.addy, rows * HID, 1);
    k.copy(p.dropy, p.copyy, rows * HID);
    k.guard(p.og, OPT_N, p.loss, p.hyper);
    k.optimizerStep(OptimizerKind.adam, p.ow, p.og, p.om, p.ov, OPT_N, p.hyper);
  }

  it('the test program uses every opcode (but narrowStep: batch 1 only, test/narrow-step.test.ts)', () => {
    const used = new Set(program(Object.fromEntries(Object.keys(specs(new Rng(1))).map((n) => [n, 0]))).map((r) => r[0]));
    const batched = Object.values(Op).filter((op) => op !== Op.narrowStep);
    expect([...used].sort((a, b) => a - b)).toEqual(batched.sort((a, b) => a - b));
  });

  describe.each([
    ['wasm.run', 'js direct calls'],
    ['js.run', 'wasm direct calls'],
  ])('%s vs %s', (interpreted) => {
    it.each([CAP, 3, 1])('rows %i of capacity 7', (rows) => {
      const rng = rngFor(20, rows, interpreted.length);
      const bufs = specs(rng);
      const nOps = 29;
      // The program lives in the heap with the data, as the engine keeps it.
      const probe = layoutBuffers({ ...bufs, code: { length: nOps * OP_WORDS, kind: 'i32' } });
      const records = program(probe.ptr);
      expect(records.length).toBe(nOps);
      const words = records.flatMap((r) => [...r, ...new Array<number>(OP_WORDS - r.length).fill(0)]);
      const { wasm, js, layout } = runTwin<string>(pair, rng, { ...bufs, code: { length: words.length, kind: 'i32', init: words } }, (k, p) => {
        const runs = interpreted === 'wasm.run' ? k.kind === 'wasm' : k.kind === 'js';
        if (runs) k.run(p.code, nOps, rows);
        else direct(k, p, rows);
      });
      expect(layout.ptr).toEqual(probe.ptr);
      for (const name of Object.keys(bufs)) {
        if (name === 'arg' || name === 'dstate' || name === 'mask') expect(wasm[name], name).toEqual(js[name]);
        else if (name === 'hyper') expect(wasm.hyper.slice(0, Hyper.gradSq / 4), name).toEqual(js.hyper.slice(0, Hyper.gradSq / 4));
        else expectClose(wasm[name], js[name], name);
      }
    });
  });
});

