// The instruction set shared by both backends. A program is a run of fixed-size
// records of OP_WORDS int32 words in the heap: [opcode, arg1, …]. Pointers are
// byte offsets into the heap (16-byte aligned for matrices), sizes are element
// counts, f32 constants travel as their bit pattern. The batch row count is not
// in the record: `run(program, nOps, rows)` passes it, so one program serves the
// full batches and the shorter last one. assembly/ops.ts mirrors these numbers
// (a test holds them equal).

export const OP_WORDS = 12;

export const Op = {
  /** y = act(x·w + b); x [rows×inDim], w [inDim×outDim], b [outDim], y [rows×outDim]. args: x w b y inDim outDim act alphaBits */
  denseForward: 1,
  /** c (+)= a·bᵀ; a [rows×k], b [n×k], c [rows×n] (dX = dZ·Wᵀ). args: a b c k n accumulate */
  matmulNT: 2,
  /** c (+)= aᵀ·b; a [rows×m], b [rows×n], c [m×n] (dW = Xᵀ·dZ). args: a b c m n accumulate */
  matmulTN: 3,
  /** y = act(x) row-wise (x may equal y). args: x y cols act alphaBits */
  activationForward: 4,
  /** dx = dy ⊙ act'(y), from the output y (dx may equal dy). args: y dy dx cols act alphaBits */
  activationBackward: 5,
  /** dy ← dy ⊙ act'(y) in place, then db (+)= column sums of dy. args: y dy db cols act alphaBits accumulate */
  denseBackwardEpilogue: 6,
  /** y[r,j] = max_m z[r, j·k+m]; arg[r,j] = that m as int32. args: z y arg units k */
  maxoutForward: 7,
  /** dz[r, j·k+m] = m == arg[r,j] ? dy[r,j] : 0. args: dy arg dz units k */
  maxoutBackward: 8,
  /** p = softmax(z) (p may equal z); dz = (p − t)·scale; *lossSum (f64) += Σ −t·log p via log-sum-exp. args: z t p dz cols lossSum reduction */
  softmaxCrossEntropy: 9,
  /** p = σ(z) (p may equal z); dz = (p − t)·scale; *lossSum (f64) += Σ max(z,0) − z·t + log(1+e^−|z|). args: z t p dz cols lossSum reduction */
  sigmoidCrossEntropy: 10,
  /** dy = 2(y − t)·scale; *lossSum (f64) += Σ (y − t)². args: y t dy cols lossSum reduction */
  meanSquaredError: 11,
  /** *correct (f64) += rows whose argmax p equals argmax t (cols = 1: (p ≥ .5) == (t ≥ .5)). args: p t cols correct */
  countCorrect: 12,
  /** w −= (*lr)·g over n floats, lr an f32 in the heap. args: w g n lr */
  sgdUpdate: 13,
  /** ptr[0..n) = value. args: ptr n valueBits */
  fill: 14,
  /**
   * One per-sample SGD step (rows = 1) of a stack of dense layers at most 4 units wide:
   * forward, loss, backward and update in one kernel, leaving what the unfused ops leave.
   * args: table layers lossKind t lossSum correct reduction hyper — `table` holds one record
   * of STEP_LAYER_WORDS per layer: x w b y dy dW db inDim outDim act alphaBits, each x
   * being the y below it; correct = 0 counts nothing.
   */
  narrowStep: 15,
  /** mask = (fresh u32 ≥ threshold) ? scale : 0, y = x ⊙ mask; `state`: four sfc32 generators (assembly/dropout.ts). args: x y mask cols state threshold scaleBits */
  dropoutForward: 16,
  /** y = a ⊙ b. args: a b y cols */
  multiply: 17,
  /** y = a + b, or y += a with accumulate. args: a b y cols accumulate */
  add: 18,
  /** dst = src. args: src dst cols */
  copy: 19,
  /** Batch normalization of each column (assembly/batchnorm.ts); stats: batch μ, σ², 1/√(σ²+ε); running: μ, σ². args: x y xhat gamma beta stats running cols epsBits training */
  batchNormForward: 20,
  /** dγ, dβ, and dx (0: none) from the forward's x̂ and stats. args: dy xhat gamma stats dgamma dbeta dx cols */
  batchNormBackward: 21,
  /** running ← momentum·running + (1 − momentum)·batch (skipped for one row). args: stats running cols momentumBits */
  batchNormUpdate: 22,
  /** Σg² into the optimizer block; a non-finite loss or Σg² sets its status and ends the program. args: g n lossSum hyper */
  guard: 23,
  /** One update of the rule `kind` (OptimizerKind) over n parameters. args: kind w g m v n hyper */
  optimizerStep: 24,
} as const;

/** The update rules of Op.optimizerStep (assembly/optimizers.ts). */
export const OptimizerKind = { sgd: 0, adam: 1, adamw: 2, rmsprop: 3 } as const;

/** Byte offsets in an optimizer's hyperparameter block (assembly/optimizers.ts mirrors them). */
export const Hyper = {
  lr: 0,
  beta1: 4,
  beta2: 8,
  eps: 12,
  decay: 16,
  clip: 20,
  nesterov: 24,
  momentum: 28,
  step: 32,
  beta1Pow: 40,
  beta2Pow: 48,
  gradSq: 56,
  table: 64,
  tableLength: 68,
  tableFirst: 72,
  lrNow: 80,
  status: 84,
  failedRow: 88,
  failedEpoch: 92,
  bytes: 96,
} as const;

/** Words per layer record in a narrowStep table. */
export const STEP_LAYER_WORDS = 12;

/** The loss a narrowStep applies; with the cross-entropies the top layer's activation is theirs. */
export const LossKind = { mse: 0, sigmoidCrossEntropy: 1, softmaxCrossEntropy: 2 } as const;

export type OpCode = (typeof Op)[keyof typeof Op];

/** Activation codes. Derivatives are taken from the output y, so leaky ReLU and ELU need alpha > 0. */
export const Act = {
  linear: 0,
  sigmoid: 1,
  tanh: 2,
  relu: 3,
  leakyRelu: 4,
  elu: 5,
  softmax: 6,
} as const;

export type ActivationName = keyof typeof Act;

/** Gradient scale of a loss op: mean over the batch rows (softmax CE) or over all elements (MSE, sigmoid CE); sum = 1. */
export const Reduction = { mean: 0, sum: 1 } as const;

const bits = new Float32Array(1);
const bitsI = new Int32Array(bits.buffer);

/** The int32 bit pattern of x as an f32: how f32 constants travel in records. */
export function f32Bits(x: number): number {
  bits[0] = x;
  return bitsI[0];
}

/** The f32 whose bit pattern is `word` (the inverse of f32Bits). */
export function fromF32Bits(word: number): number {
  bitsI[0] = word;
  return bits[0];
}
