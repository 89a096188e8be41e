// What every layer is: it declares its parameters and scratch at build time,
// then only emits ops. It never calls a kernel itself.

import type { FloatArray } from '../backend/kernels.js';
import type { Arena, ParamRef, ParamSpec } from '../plan.js';
import type { ProgramBuilder } from '../program.js';
import type { Random } from '../random.js';
import type { ResolvedActivation } from './activations.js';

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
  readonly scratch: readonly number[];
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

  initialize(_f: FloatArray, _rng: Random): void {}

  /** Claim batch-sized scratch beyond the output and its gradient (which the model owns); the offsets come back in LayerIO.scratch. */
  claimScratch(_arena: Arena, _capacity: number): number[] {
    return [];
  }

  abstract forward(p: ProgramBuilder, io: LayerIO): void;

  abstract backward(p: ProgramBuilder, io: LayerIO): void;

  /** This layer's record in a fused per-sample step (Op.narrowStep), or null when it cannot take part. */
  narrowStepRecord(_io: LayerIO): number[] | null {
    return null;
  }

  abstract config(): LayerConfig;
}
