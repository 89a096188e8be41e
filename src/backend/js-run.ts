// The JS backend's interpreter: the same records the WASM module's `run` reads
// (src/backend/ops.ts), each dispatched to the twin kernel of the same name.

import type { Kernels } from './kernels.js';
import { OP_WORDS, Op, fromF32Bits } from './ops.js';

/** Run `nOps` records at byte offset `program` with `rows` batch rows; a refusing guard ends the program. */
export function interpret(k: Kernels, program: number, nOps: number, rows: number): void {
  const code = k.heap.i32;
  for (let op = 0, at = program >> 2; op < nOps; op++, at += OP_WORDS) {
    switch (code[at]) {
      case Op.denseForward:
        k.denseForward(code[at + 1], code[at + 2], code[at + 3], code[at + 4], rows, code[at + 5], code[at + 6], code[at + 7], fromF32Bits(code[at + 8]));
        break;
      case Op.matmulNT:
        k.matmulNT(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], code[at + 6]);
        break;
      case Op.matmulTN:
        k.matmulTN(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], code[at + 6]);
        break;
      case Op.activationForward:
        k.activationForward(code[at + 1], code[at + 2], rows, code[at + 3], code[at + 4], fromF32Bits(code[at + 5]));
        break;
      case Op.activationBackward:
        k.activationBackward(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], fromF32Bits(code[at + 6]));
        break;
      case Op.denseBackwardEpilogue:
        k.denseBackwardEpilogue(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], fromF32Bits(code[at + 6]), code[at + 7]);
        break;
      case Op.maxoutForward:
        k.maxoutForward(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5]);
        break;
      case Op.maxoutBackward:
        k.maxoutBackward(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5]);
        break;
      case Op.softmaxCrossEntropy:
        k.softmaxCrossEntropy(code[at + 1], code[at + 2], code[at + 3], code[at + 4], rows, code[at + 5], code[at + 6], code[at + 7]);
        break;
      case Op.sigmoidCrossEntropy:
        k.sigmoidCrossEntropy(code[at + 1], code[at + 2], code[at + 3], code[at + 4], rows, code[at + 5], code[at + 6], code[at + 7]);
        break;
      case Op.meanSquaredError:
        k.meanSquaredError(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], code[at + 6]);
        break;
      case Op.countCorrect:
        k.countCorrect(code[at + 1], code[at + 2], rows, code[at + 3], code[at + 4]);
        break;
      case Op.sgdUpdate:
        k.sgdUpdate(code[at + 1], code[at + 2], code[at + 3], code[at + 4]);
        break;
      case Op.fill:
        k.fill(code[at + 1], code[at + 2], fromF32Bits(code[at + 3]));
        break;
      case Op.narrowStep:
        k.narrowStep(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7], code[at + 8]);
        break;
      case Op.dropoutForward:
        k.dropoutForward(code[at + 1], code[at + 2], code[at + 3], rows * code[at + 4], code[at + 5], code[at + 6], fromF32Bits(code[at + 7]));
        break;
      case Op.multiply:
        k.multiply(code[at + 1], code[at + 2], code[at + 3], rows * code[at + 4]);
        break;
      case Op.add:
        k.add(code[at + 1], code[at + 2], code[at + 3], rows * code[at + 4], code[at + 5]);
        break;
      case Op.copy:
        k.copy(code[at + 1], code[at + 2], rows * code[at + 3]);
        break;
      case Op.batchNormForward:
        k.batchNormForward(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7], rows, code[at + 8], fromF32Bits(code[at + 9]), code[at + 10]);
        break;
      case Op.batchNormBackward:
        k.batchNormBackward(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7], rows, code[at + 8]);
        break;
      case Op.batchNormUpdate:
        k.batchNormUpdate(code[at + 1], code[at + 2], rows, code[at + 3], fromF32Bits(code[at + 4]));
        break;
      case Op.guard:
        // A refused step ends the program: no update follows it.
        if (!k.guard(code[at + 1], code[at + 2], code[at + 3], code[at + 4])) return;
        break;
      case Op.optimizerStep:
        k.optimizerStep(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7]);
        break;
      default:
        throw new Error(`program: unknown opcode ${code[at]} in record ${op}`);
    }
  }
}
