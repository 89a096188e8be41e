// The inference entry's reading of a checked header's layers, without the trainer's layer
// classes (their backward, update and initialization code is most of them): each config
// is checked as the trainer's constructors check it, its tensors are matched against the
// file's lists as the trainer's reader matches them (io/entries.ts), and its forward ops are the ones the trainer's layers emit in
// inference (layers/layout.ts forwardLayers): a linear Dense followed by a BatchNorm is
// one product with folded weights, a Dropout is nothing. A test holds the two readers to
// the same files and the same bits (test/infer.test.ts, test/fuzz-infer.test.ts).

import { Act, Op, f32Bits } from '../backend/ops.js';
import { InputError, ModelFormatError, describe } from '../errors.js';
import { matchEntries } from '../io/entries.js';
import type { ModelHeader, TensorEntry } from '../io/format.js';
import { LAYER_FIELDS, layerFields } from '../io/layer-fields.js';
import { resolveActivation } from '../layers/activations.js';
import { foldBatchNorm } from '../layers/batchnorm-fold.js';
import { INITIALIZERS } from '../layers/init.js';
import { MAX_PARAMETERS, MAX_WIDTH, checkCount, checkParameterCount } from '../limits.js';
import { Arena, VECTOR_ALIGN } from '../plan.js';

/** An op record ([opcode, args…]) whose arguments naming per-row tensors are −(index into `widths`) − 1 until a batch is laid out. */
type OpRecord = number[];

export interface InferencePlan {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Bytes of weights, statistics and folded weights, from byte 16 on. */
  readonly persistentEnd: number;
  /** Writes them into a float32 view of the heap. */
  fill(f: Float32Array): void;
  /** The forward ops, per-row tensors as negative references. */
  readonly records: readonly OpRecord[];
  /** Floats per row of each per-row tensor; 0 is the input. */
  readonly widths: readonly number[];
  /** The reference of the output tensor. */
  readonly output: number;
}

/** The checks of the trainer's constructors say "Dense units: …": the file's field goes in front. */
function at<T>(where: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw e instanceof InputError ? new ModelFormatError(`${where}: ${e.message}`) : e;
  }
}

function initializer(value: unknown, argument: string): void {
  if (value !== undefined && !(INITIALIZERS as readonly unknown[]).includes(value)) throw new InputError(`${argument}: expected one of ${INITIALIZERS.join(', ')}, got ${describe(value)}`);
}

interface Run {
  /** The reference of the run's output, and its width (null before a layer declares one). */
  y: number;
  width: number | null;
}

class Planner {
  /** Weights, statistics and folded weights from byte 16 on: claims only, committed by the model. */
  private readonly arena = new Arena(null, 16);
  private readonly writes: ((f: Float32Array) => void)[] = [];
  readonly records: OpRecord[] = [];
  readonly widths: number[] = [];
  /** The tensors the layers as configured have, matched against the file's lists at the end. */
  private readonly specs = { params: [] as TensorEntry[], state: [] as TensorEntry[] };
  /** The model's input width: the first layer that declares one says it. */
  inputSize: number | null = null;

  constructor(
    private readonly header: ModelHeader,
    private readonly lists: { params: Float32Array[]; state: Float32Array[] },
  ) {}

  /** A per-row tensor of `width` floats. */
  row(width: number): number {
    this.widths.push(width);
    return -this.widths.length;
  }

  /** The slot of the next tensor of the file's `field` list, which the layers need as `name` with `length` values. */
  tensor(field: 'params' | 'state', name: string, length: number): number {
    const i = this.specs[field].push({ name, length }) - 1;
    const offset = this.arena.claim(length, 4, field === 'state' ? VECTOR_ALIGN : undefined).offset, values = this.lists[field];
    this.writes.push((f) => f.set(values[i], offset >> 2));
    return offset;
  }

  /** Point a linear Dense's record at folded weights, computed from its own and the BatchNorm's after it. */
  fold(dense: OpRecord, norm: { gamma: number; beta: number; mean: number; variance: number; epsilon: number }): void {
    const [, , w, b, , inDim, outDim] = dense;
    const wOut = this.arena.claim(inDim * outDim).offset, bOut = this.arena.claim(outDim).offset;
    const offsets = [w, b, norm.gamma, norm.beta, norm.mean, norm.variance, wOut, bOut].map((o) => o >> 2);
    this.writes.push((f) => foldBatchNorm(f, offsets, norm.epsilon, inDim, outDim));
    dense[2] = wOut;
    dense[3] = bOut;
  }

  /** The layers of one run (the model's, or a residual block's), from input `x` of `width`. */
  run(configs: readonly unknown[], where: string, prefix: string, x: number, width: number | null): Run {
    let y = x;
    // The record of a linear Dense just before, which a BatchNorm right after it folds into.
    let linear: OpRecord | null = null;
    configs.forEach((value, j) => {
      const config = value as { [key: string]: unknown };
      const here = `${where}[${j}]`, name = `${prefix}${j}.`;
      const fields = layerFields(config.type);
      if (!fields) throw new ModelFormatError(`${here}.type: expected one of ${[...LAYER_FIELDS.keys()].join(', ')}, got ${describe(config.type)}`);
      for (const key of Object.keys(config)) {
        if (key !== 'type' && !fields.includes(key)) throw new ModelFormatError(`${here}: expected the fields type, ${fields.join(', ')} for ${config.type}, got an unknown field ${JSON.stringify(key)}`);
      }
      const own = (key: string) => (Object.hasOwn(config, key) ? config[key] : undefined);
      const foldable = linear;
      linear = null;
      const input = (declared: number | null, what: string): number => {
        if (declared === null) {
          if (width === null) throw new ModelFormatError(`header.layers[0]: expected a layer that declares its input width (Dense or Maxout), got ${config.type}`);
          return width;
        }
        if (width !== null && width !== declared) throw new ModelFormatError(`${here} (${what}): expected an input of width ${declared}, got ${width} from the layer before`);
        this.inputSize ??= declared;
        return declared;
      };
      switch (config.type) {
        case 'Dense': {
          const inDim = at(here, () => checkCount(own('inputSize'), 'Dense inputSize'));
          const units = at(here, () => checkCount(own('units'), 'Dense units'));
          at(here, () => checkParameterCount(inDim * units + units, 'Dense units', `${inDim} × ${units} weights + ${units} biases`));
          const act = at(here, () => resolveActivation(own('activation') ?? 'linear', 'Dense activation'));
          at(here, () => initializer(own('init'), 'Dense init'));
          input(inDim, `Dense ${inDim}→${units}`);
          const w = this.tensor('params', `${name}kernel`, inDim * units), b = this.tensor('params', `${name}bias`, units);
          const record = [Op.denseForward, y, w, b, (y = this.row(units)), inDim, units, act.code, f32Bits(act.alpha)];
          this.records.push(record);
          if (act.code === Act.linear) linear = record;
          width = units;
          break;
        }
        case 'Maxout': {
          const inDim = at(here, () => checkCount(own('inputSize'), 'Maxout inputSize'));
          const units = at(here, () => checkCount(own('units'), 'Maxout units'));
          const pieces = at(here, () => checkCount(own('pieces') ?? 2, 'Maxout pieces', MAX_WIDTH, 2));
          const all = at(here, () => checkCount(units * pieces, 'Maxout units × pieces'));
          at(here, () => checkParameterCount(inDim * all + all, 'Maxout units', `${inDim} × ${units}·${pieces} weights + ${all} biases`));
          at(here, () => initializer(own('init'), 'Maxout init'));
          input(inDim, `Maxout ${inDim}→${units}`);
          const w = this.tensor('params', `${name}kernel`, inDim * all), b = this.tensor('params', `${name}bias`, all);
          const z = this.row(all), arg = this.row(units);
          this.records.push([Op.denseForward, y, w, b, z, inDim, all, Act.linear, 0], [Op.maxoutForward, z, (y = this.row(units)), arg, units, pieces]);
          width = units;
          break;
        }
        case 'Activation': {
          const act = at(here, () => resolveActivation(own('activation'), 'Activation'));
          const cols = input(null, 'Activation');
          this.records.push([Op.activationForward, y, (y = this.row(cols)), cols, act.code, f32Bits(act.alpha)]);
          break;
        }
        case 'Dropout': {
          const rate = own('rate');
          if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ModelFormatError(`${here}: Dropout rate: expected a number in [0, 1), got ${describe(rate)}`);
          // In inference a dropout passes its input through: the next layer reads it.
          input(null, 'Dropout');
          break;
        }
        case 'BatchNorm': {
          const momentum = own('momentum') ?? 0.9, epsilon = own('epsilon') ?? 1e-3;
          if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) throw new ModelFormatError(`${here}: BatchNorm momentum: expected a number in [0, 1), got ${describe(momentum)}`);
          if (typeof epsilon !== 'number' || !(Math.fround(epsilon) > 0) || !Number.isFinite(epsilon)) {
            throw new ModelFormatError(`${here}: BatchNorm epsilon: expected a number > 0 within float32's range, got ${describe(epsilon)}`);
          }
          const cols = input(null, 'BatchNorm');
          const gamma = this.tensor('params', `${name}gamma`, cols), beta = this.tensor('params', `${name}beta`, cols);
          // The kernel reads the variance one 16-byte-aligned row after the mean: slots are claimed that way.
          const mean = this.tensor('state', `${name}movingMean`, cols), variance = this.tensor('state', `${name}movingVariance`, cols);
          if (foldable) this.fold(foldable, { gamma, beta, mean, variance, epsilon });
          else this.records.push([Op.batchNormForward, y, (y = this.row(cols)), 0, gamma, beta, 0, mean, cols, f32Bits(epsilon), 0]);
          break;
        }
        case 'Residual': {
          const inner = own('layers');
          if (!Array.isArray(inner) || inner.length === 0) throw new ModelFormatError(`${here}.layers: expected a non-empty array of layer configs, got ${describe(inner)}`);
          inner.forEach((c: unknown, k) => {
            if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ModelFormatError(`${here}.layers[${k}]: expected a layer config object, got ${describe(c)}`);
          });
          const projection = own('projection') ?? false;
          if (typeof projection !== 'boolean') throw new ModelFormatError(`${here}: Residual projection: expected true or false, got ${describe(projection)}`);
          const before = width;
          const f = this.run(inner, `${here}.layers`, name, y, width);
          const inDim = before ?? (this.inputSize as number);
          const out = f.width as number;
          if (out !== inDim && !projection) {
            throw new ModelFormatError(`${here} (Residual): expected the block to keep the width of its input (${inDim}), got an output of width ${out}; pass { projection: true } for a learned projection on the skip`);
          }
          let skip = y;
          if (projection) {
            const k = this.tensor('params', `${name}projection.kernel`, inDim * out), b = this.tensor('params', `${name}projection.bias`, out);
            this.records.push([Op.denseForward, y, k, b, (skip = this.row(out)), inDim, out, Act.linear, 0]);
          }
          this.records.push([Op.add, f.y, skip, (y = this.row(out)), out, 0]);
          width = out;
          break;
        }
      }
    });
    return { y, width };
  }

  finish(output: Run): InferencePlan {
    const values = [...this.specs.params, ...this.specs.state].reduce((n, t) => n + t.length, 0);
    if (values > MAX_PARAMETERS) {
      throw new ModelFormatError(`header.layers: expected at most ${MAX_PARAMETERS.toLocaleString('en-US')} parameters and state values in all (see the README's Limits), got ${values.toLocaleString('en-US')}`);
    }
    matchEntries(this.header.params, this.specs.params, 'params', 'parameters');
    matchEntries(this.header.state ?? [], this.specs.state, 'state', 'state tensors');
    const writes = this.writes;
    this.widths[0] = this.inputSize as number;
    return {
      inputSize: this.inputSize as number,
      outputSize: output.width as number,
      persistentEnd: this.arena.mark,
      fill: (f) => writes.forEach((write) => write(f)),
      records: this.records,
      widths: this.widths,
      output: output.y,
    };
  }
}

/** The plan of a decoded file's model, or a ModelFormatError naming what in the header does not fit. */
export function planInference(header: ModelHeader, params: Float32Array[], state: Float32Array[]): InferencePlan {
  const planner = new Planner(header, { params, state });
  // The input, whose width the first layer declares.
  const x = planner.row(0);
  return planner.finish(planner.run(header.layers, 'header.layers', '', x, null));
}
