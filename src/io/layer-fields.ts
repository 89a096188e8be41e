// The fields a saved layer config may have besides `type`, per layer type: one list for
// the trainer's reader (io/layers.ts) and the inference entry's (infer/plan.ts).

export const LAYER_FIELDS = new Map<string, readonly string[]>([
  ['Dense', ['inputSize', 'units', 'activation', 'init']],
  ['Activation', ['activation']],
  ['Maxout', ['inputSize', 'units', 'pieces', 'init']],
  ['Dropout', ['rate']],
  ['BatchNorm', ['momentum', 'epsilon']],
  ['Residual', ['layers', 'projection']],
]);

/** The fields of `type`, or null for a type no reader knows. */
export function layerFields(type: unknown): readonly string[] | null {
  return typeof type === 'string' ? (LAYER_FIELDS.get(type) ?? null) : null;
}
