// Products whose output rows are at most four floats wide and whose other sizes are
// small — the tiny networks of the lecture (2→4→1 on XOR). One partial vector holds a
// whole output row, so these skip the tiling machinery whose setup costs more than
// the arithmetic at these sizes.
import { ACT_SOFTMAX } from "./ops";
import { activateV } from "./math";
import { loadUpTo4, storeUpTo4 } from "./vec";
import { softmaxRow } from "./activations";


/** x·w + b for one row x, outDim ≤ 4, in the low lanes (zeros above). */
@inline export function narrowRow(x: usize, w: usize, b: usize, inDim: i32, outDim: i32): v128 {
  const ldw = <usize>outDim << 2;
  let acc = loadUpTo4(b, outDim);
  for (let k = 0; k < inDim; k++) {
    acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(x + (<usize>k << 2)), loadUpTo4(w + <usize>k * ldw, outDim)));
  }
  return acc;
}

/** y = act(x·w + b) for outDim ≤ 4. */
export function denseForwardNarrow(
  x: usize, w: usize, b: usize, y: usize, rows: i32, inDim: i32, outDim: i32, act: i32, alpha: f32,
): void {
  const av = f32x4.splat(alpha);
  const ld_ = <usize>outDim << 2;
  for (let r = 0; r < rows; r++) {
    const acc = narrowRow(x + <usize>r * (<usize>inDim << 2), w, b, inDim, outDim);
    const yr = y + <usize>r * ld_;
    if (act == ACT_SOFTMAX) {
      storeUpTo4(yr, acc, outDim);
      softmaxRow(yr, yr, outDim);
    } else {
      storeUpTo4(yr, activateV(acc, act, av), outDim);
    }
  }
}

/** c (+)= aᵀ·b for n ≤ 4: a [rows×m] with rows lda bytes apart, b [rows×n], c [m×n]. */
export function matmulTNNarrow(a: usize, lda: usize, b: usize, c: usize, rows: i32, m: i32, n: i32, accumulate: i32): void {
  const ldc = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const ci = c + <usize>i * ldc;
    let acc = accumulate != 0 ? loadUpTo4(ci, n) : f32x4.splat(0.0);
    for (let r = 0; r < rows; r++) {
      acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(a + <usize>r * lda + (<usize>i << 2)), loadUpTo4(b + <usize>r * ldc, n)));
    }
    storeUpTo4(ci, acc, n);
  }
}
