// Mirror of src/backend/ops.ts (a test holds the numbers equal).

export const OP_WORDS: i32 = 12;

export const OP_DENSE_FORWARD: i32 = 1;
export const OP_MATMUL_NT: i32 = 2;
export const OP_MATMUL_TN: i32 = 3;
export const OP_ACTIVATION_FORWARD: i32 = 4;
export const OP_ACTIVATION_BACKWARD: i32 = 5;
export const OP_DENSE_BACKWARD_EPILOGUE: i32 = 6;
export const OP_MAXOUT_FORWARD: i32 = 7;
export const OP_MAXOUT_BACKWARD: i32 = 8;
export const OP_SOFTMAX_CROSS_ENTROPY: i32 = 9;
export const OP_SIGMOID_CROSS_ENTROPY: i32 = 10;
export const OP_MEAN_SQUARED_ERROR: i32 = 11;
export const OP_COUNT_CORRECT: i32 = 12;
export const OP_SGD_UPDATE: i32 = 13;
export const OP_FILL: i32 = 14;
export const OP_NARROW_STEP: i32 = 15;
export const OP_DROPOUT_FORWARD: i32 = 16;
export const OP_MULTIPLY: i32 = 17;
export const OP_ADD: i32 = 18;
export const OP_COPY: i32 = 19;
export const OP_BATCH_NORM_FORWARD: i32 = 20;
export const OP_BATCH_NORM_BACKWARD: i32 = 21;
export const OP_BATCH_NORM_UPDATE: i32 = 22;
export const OP_GUARD: i32 = 23;
export const OP_OPTIMIZER_STEP: i32 = 24;

export const STEP_LAYER_WORDS: i32 = 12;

export const LOSS_KIND_MSE: i32 = 0;
export const LOSS_KIND_SIGMOID_CROSS_ENTROPY: i32 = 1;
export const LOSS_KIND_SOFTMAX_CROSS_ENTROPY: i32 = 2;

export const ACT_LINEAR: i32 = 0;
export const ACT_SIGMOID: i32 = 1;
export const ACT_TANH: i32 = 2;
export const ACT_RELU: i32 = 3;
export const ACT_LEAKY_RELU: i32 = 4;
export const ACT_ELU: i32 = 5;
export const ACT_SOFTMAX: i32 = 6;

export const REDUCTION_MEAN: i32 = 0;
export const REDUCTION_SUM: i32 = 1;
