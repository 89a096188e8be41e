// What every layer is: it declares its parameters, state and scratch at build time,
// then only emits ops. It never calls a kernel itself.

import type { FloatArray, Heap } from '../backend/kernels.js';
import type { Arena, ParamRef, ParamSpec, StateRef, StateSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import type { ResolvedActivation } from './activations.js';

/**
 * Which program a layer emits into. Training behaviour (batch statistics, dropout
 * masks) is for 'train'; 'infer' (infer and evaluate) uses the running statistics and
 * drops nothing; 'gradients' (model.gradients) takes batch statistics like training
 * but drops nothing and changes no state, so it is deterministic.
 */
export type Mode = 'train' | 'infer' | 'gradients';

/** Byte offsets of a layer's input, output and their gradients, for `capacity` rows. */
export interface LayerIO {
  readonly x: number;
  readonly y: number;
  readonly dy: number;
  /** Gradient of the input; null for the first layer, whose input needs none. */
  readonly dx: number | null;
  /** The loss op applies this layer's output activation (softmax or sigmoid with cross-entropy) and hands back dL/dz. */
  readonly absorbed: boolean;
  /** What claimScratch returned for this layer. */
  readonly scratch: Scratch;
}

/** A layer's batch-sized scratch: offsets, and for a layer of layers the IO of each one inside. */
export interface Scratch {
  readonly offsets: readonly number[];
  readonly inner: readonly LayerIO[];
}

export const NO_SCRATCH: Scratch = { offsets: [], inner: [] };

/** Two layers computed in inference as one op from `x` (the first one's input) to `y` (the second one's output). */
export interface FoldedPair {
  emit(p: ProgramBuilder, x: number, y: number): void;
}

export interface LayerConfig {
  readonly type: string;
  readonly [key: string]: unknown;
}

export abstract class Layer {
  /** Width of the input, once bound into a model. */
  inputSize = 0;
  /** Width of the output, once bound into a model. */
  outputSize = 0;
  protected paramRefs: ParamRef[] = [];
  protected stateRefs: StateRef[] = [];
  /** Set once the layer is part of a model: a layer object serves one model only. */
  built = false;

  /** The input width given to the constructor; null for layers that take the width of the layer before. */
  abstract readonly declaredInputSize: number | null;

  /** The activation applied last, if any: the loss checks it and may absorb it. */
  abstract readonly activation: ResolvedActivation | null;

  /** Fix the input width (checking it against any declared one); sets inputSize and outputSize. */
  abstract bind(inputSize: number, position: string): void;

  paramSpecs(): ParamSpec[] {
    return [];
  }

  attachParams(refs: ParamRef[]): void {
    this.paramRefs = refs;
  }

  params(): readonly ParamRef[] {
    return this.paramRefs;
  }

  /** Numbers the layer keeps between steps that no gradient moves (running statistics, generator state). */
  stateSpecs(): StateSpec[] {
    return [];
  }

  attachState(refs: StateRef[]): void {
    this.stateRefs = refs;
  }

  initialize(_f: FloatArray, _rng: Random): void {}

  /** Starting values of the state: a fresh heap is zero. */
  initializeState(_heap: Heap, _rng: Random): void {}

  /**
   * Claim batch-sized scratch beyond the output and its gradient (which the model owns);
   * it comes back in LayerIO.scratch. `x` and `dx` are this layer's input and its
   * gradient (null: none), for a layer of layers to lay out the ones inside it.
   */
  claimScratch(_arena: Arena, _capacity: number, _x: number, _dx: number | null): Scratch {
    return NO_SCRATCH;
  }

  /** The layers inside this one (a residual block's), which serve it alone. */
  children(): readonly Layer[] {
    return [];
  }

  /** The run of layers this one holds and feeds in order (a residual block's F), not counting theirs. */
  sequence(): readonly Layer[] {
    return [];
  }

  /**
   * Set when inference runs this layer and the next one as a single op: a Dense with
   * the BatchNorm after it folded into its weights (layers/fold.ts).
   */
  fold: FoldedPair | null = null;

  /** In inference the output is the input (Dropout): the layer before writes straight into this one's output. */
  get passesThrough(): boolean {
    return false;
  }

  abstract forward(p: ProgramBuilder, io: LayerIO, mode: Mode): void;

  /** Ops of the backward pass, in 'train' or 'gradients' mode (as the forward pass was). */
  abstract backward(p: ProgramBuilder, io: LayerIO, mode: Mode): void;

  /** Ops after a step passed the divergence guard, before the parameter update: state updates (running statistics). */
  update(_p: ProgramBuilder, _io: LayerIO): void {}

  /** Whether the fused per-sample step can stand for this layer's ops (see narrowStepRecord). */
  narrowStepRecord(_io: LayerIO): number[] | null {
    return null;
  }

  abstract config(): LayerConfig;
}
