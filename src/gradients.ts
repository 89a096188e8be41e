// Gradients as a public API: one run of the gradients program (compile.ts) over a
// staged batch, read back shaped as the parameters, and per-layer norms of them.

import type { FloatArray } from './backend/kernels.js';
import type { BatchPlan, Engine } from './engine.js';

export interface Gradients {
  /** The loss of the batch, reduced as the model's loss says. */
  loss: number;
  /** dL/dθ for every parameter, in getWeights() order and shapes. */
  gradients: FloatArray[];
}

export interface LayerNorm {
  /** Index of the layer in the model. */
  layer: number;
  /** Its config's type, e.g. "Dense". */
  type: string;
  /** ‖dL/dθ‖₂ over all the layer's parameters. */
  norm: number;
}

export function gradientsOf(engine: Engine, plan: BatchPlan, x: Float32Array, t: Float32Array, rows: number): Gradients {
  // A callback may ask in the middle of an epoch: keep that epoch's running sums.
  const heldLoss = engine.summedLoss, heldCorrect = engine.correctCount;
  engine.resetAccumulators();
  engine.stage(plan, x, t, 0, rows);
  engine.run(plan.gradients, rows);
  const loss = engine.loss.reduce(engine.summedLoss, rows, engine.outputSize);
  engine.restoreAccumulators(heldLoss, heldCorrect);
  const f = engine.kernels.heap.f32;
  const gradients = engine.params.refs.map((r) => f.slice(r.grad.offset >> 2, (r.grad.offset >> 2) + r.grad.length));
  return { loss, gradients };
}

/** Norms per layer with parameters; parameter i belongs to the layer its name starts with. */
export function normsByLayer(engine: Engine, gradients: readonly FloatArray[]): LayerNorm[] {
  const sums = new Map<number, number>();
  engine.params.refs.forEach((ref, i) => {
    const layer = Number(ref.name.slice(0, ref.name.indexOf('.')));
    let s = sums.get(layer) ?? 0;
    for (const g of gradients[i]) s += g * g;
    sums.set(layer, s);
  });
  return [...sums].map(([layer, s]) => ({ layer, type: engine.layers[layer].config().type, norm: Math.sqrt(s) }));
}
