// The forward ops: the inference build's whole instruction set (assembly/infer.ts) and
// the first thing the full interpreter tries (assembly/program.ts), one switch for both.
import {
  OP_DENSE_FORWARD, OP_ACTIVATION_FORWARD, OP_MAXOUT_FORWARD, OP_ADD, OP_COPY, OP_BATCH_NORM_FORWARD,
} from "./ops";
import { denseForward } from "./gemm";
import { activationForward } from "./activations";
import { maxoutForward } from "./maxout";
import { add, copy } from "./elementwise";
import { batchNormForward } from "./batchnorm";
import { denseForwardShared } from "./parallel";
import { P, I, F } from "./record";

/**
 * Runs the record at `r` over `rows` rows if it is a forward op; false if it is another.
 * `training`: whether records may ask for batch statistics (the inference build's never do,
 * and without them its batch norm is the inference form alone).
 */
@inline export function runForward(r: usize, rows: i32, training: bool): bool {
  switch (load<i32>(r)) {
    // The threads build shares large products with its workers (parallel.ts).
    case OP_DENSE_FORWARD:
      if (ASC_FEATURE_THREADS) denseForwardShared(P(r, 1), P(r, 2), P(r, 3), P(r, 4), rows, I(r, 5), I(r, 6), I(r, 7), F(r, 8));
      else denseForward(P(r, 1), P(r, 2), P(r, 3), P(r, 4), rows, I(r, 5), I(r, 6), I(r, 7), F(r, 8));
      return true;
    case OP_ACTIVATION_FORWARD:
      activationForward(P(r, 1), P(r, 2), rows, I(r, 3), I(r, 4), F(r, 5));
      return true;
    case OP_MAXOUT_FORWARD:
      maxoutForward(P(r, 1), P(r, 2), P(r, 3), rows, I(r, 4), I(r, 5));
      return true;
    case OP_ADD:
      add(P(r, 1), P(r, 2), P(r, 3), rows * I(r, 4), I(r, 5));
      return true;
    case OP_COPY:
      copy(P(r, 1), P(r, 2), rows * I(r, 3));
      return true;
    case OP_BATCH_NORM_FORWARD:
      batchNormForward(P(r, 1), P(r, 2), P(r, 3), P(r, 4), P(r, 5), P(r, 6), P(r, 7), rows, I(r, 8), F(r, 9), training ? I(r, 10) : 0);
      return true;
    default:
      return false;
  }
}
