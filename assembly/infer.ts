// The inference build (simdnet/infer): only the forward ops, so the module carries no
// backward, loss, optimizer or epoch code. Its kernels are the full build's own, so a
// prediction is bit-identical to the trainer's on the same SIMD build.
import { OP_WORDS } from "./ops";
import { runForward } from "./forward";

export { firstNonFinite } from "./checks";

/** Interprets `nOps` forward records at `program` over `rows` rows; any other op traps. */
export function run(program: usize, nOps: i32, rows: i32): void {
  for (let op = 0; op < nOps; op++) {
    if (!runForward(program + <usize>op * (<usize>OP_WORDS << 2), rows, false)) unreachable();
  }
}
