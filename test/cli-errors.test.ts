// Bad input to the simdnet command: each case ends with exactly one line on
// stderr, "simdnet: <message>", no stack trace, and exit code 2 for a wrong
// command line or 1 for bad data or model files. A failed train writes no model.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, Sequential, loadModel } from '../src/index.js';
import { decodeModel, encodeModel } from '../src/io/format.js';
import { saveModelFile } from '../src/node/files.js';
import { assertBuilt, run, tempDir, writeIris } from './cli-helpers.js';

let dir: string;
let iris: string;
let model: string;
const at = (name: string) => join(dir, name);

async function csv(name: string, text: string): Promise<string> {
  await writeFile(at(name), text);
  return at(name);
}

beforeAll(async () => {
  assertBuilt();
  dir = await tempDir();
  iris = await writeIris(dir);
  model = at('iris.simdnet');
  const t = await run('train', iris, '--target', 'species', '--epochs', '5', '--out', model);
  expect(t.code).toBe(0);
  await csv('wrong-length.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6\n7,8,x\n');
  await csv('text.csv', 'a,b,label\n1,2,x\n3,abc,y\n5,6,x\n');
  await csv('nan.csv', 'a,b,label\n1,2,x\n3,4,y\nNaN,6,x\n');
  await csv('infinity.csv', 'a,b,label\n1,2,x\n3,Infinity,y\n5,6,x\n');
  await csv('overflow.csv', 'a,b,label\n1,2,x\n3,1e999,y\n5,6,x\n');
  await csv('empty-cell.csv', 'a,b,label\n1,2,x\n3,,y\n5,6,x\n');
  await csv('one-class.csv', 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n');
  await csv('quote.csv', 'a,b,label\n1,"2,x\n3,4,y\n');
  await csv('far.csv', 'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n5.1,1e39,1.4,0.2,setosa\n');
  await csv('empty.csv', '');
  await csv('ten.csv', 'a,b,label\n' + Array.from({ length: 10 }, (_, i) => `${i},${i % 3},${i < 5 ? 'x' : 'y'}`).join('\n') + '\n');
  await csv('header-only.csv', 'a,b,label\n');
  await csv('duplicate.csv', 'a,a,label\n1,2,x\n3,4,y\n');
  await csv('no-petal.csv', 'sepal_length,sepal_width,species\n5.1,3.5,setosa\n');
  await csv('new-class.csv', 'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n5.1,3.5,1.4,0.2,daisy\n');
  await writeFile(at('random.simdnet'), Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 255));
  const bytes = await readFile(model);
  await writeFile(at('truncated.simdnet'), bytes.subarray(0, bytes.length - 20));
  const bare = await Sequential.create([new Dense(4, 3, { activation: 'softmax' })], { loss: 'crossEntropy' });
  await saveModelFile(bare, at('library.simdnet'));
  bare.dispose();
  // Hostile and inconsistent model files, each passing the checksum.
  const { header, weights } = decodeModel(bytes);
  await writeFile(at('proto-type.simdnet'), encodeModel({ ...header, layers: [{ ...header.layers[0], type: '__proto__' }, ...header.layers.slice(1)] }, weights));
  const edited = async (name: string, edit: (m: Record<string, unknown>) => void) => {
    const loaded = await loadModel(bytes, { backend: 'js' });
    edit(loaded.metadata);
    await saveModelFile(loaded, at(name));
  };
  await edited('twice-feature.simdnet', (m) => ((m.features as string[])[1] = (m.features as string[])[0]));
  await edited('twice-class.simdnet', (m) => ((m.classes as string[])[2] = 'setosa'));
  await edited('zero-std.simdnet', (m) => ((m.normalization as { std: number[] }).std[2] = 0));
}, 60_000);

type Case = [name: string, args: () => string[], code: number, message: RegExp];

const cases: Case[] = [
  // Hostile input never ends in "internal error".
  ['a model whose layer type is __proto__', () => ['predict', at('proto-type.simdnet'), iris], 1, /proto-type\.simdnet: not a usable simdnet model file: header\.layers\[0\]\.type: expected one of Dense, Activation, Maxout, Dropout, BatchNorm, Residual, got "__proto__"$/],
  ['a model naming one feature twice', () => ['predict', at('twice-feature.simdnet'), iris], 1, /twice-feature\.simdnet: a simdnet model, but not one saved by `simdnet train`: metadata\.features: expected 4 distinct feature names, got "sepal_length" twice for a model with 4 inputs$/],
  ['a model naming one class twice', () => ['evaluate', at('twice-class.simdnet'), iris], 1, /twice-class\.simdnet: .*metadata\.classes: expected 3 distinct class names, got "setosa" twice$/],
  ['a model with a zero standard deviation', () => ['predict', at('zero-std.simdnet'), iris], 1, /zero-std\.simdnet: .*metadata\.normalization\.std\[2\]: expected a standard deviation > 0, got 0$/],
  ['a value too far from the training values', () => ['predict', model, at('far.csv')], 1, /far\.csv: column "sepal_width": expected values within float32's reach of the training values, got 1e\+39 in row 2, too far to standardize$/],
  ['a hidden layer past the width limit', () => ['train', iris, '--target', 'species', '--hidden', '99999999'], 2, /^bad model option: Dense units: expected an integer from 1 to 16,777,216, got 99999999$/],
  ['a built-in property as the activation', () => ['train', iris, '--target', 'species', '--activation', 'constructor'], 2, /^bad model option: Dense activation: expected one of linear, .*, got "constructor"$/],
  // Data and model files: exit 1.
  ['a missing data file', () => ['train', at('nope.csv'), '--target', 'label'], 1, /^cannot read ".*nope\.csv": no such file$/],
  ['a directory as data', () => ['train', dir, '--target', 'label'], 1, /^cannot read ".*": is a directory, not a file$/],
  ['a binary file as CSV', () => ['train', model, '--target', 'label'], 1, /iris\.simdnet: expected a CSV text file, got binary data/],
  ['an unclosed quote', () => ['train', at('quote.csv'), '--target', 'label'], 1, /quote\.csv: malformed CSV: Quote Not Closed.*line 3/],
  ['a row with the wrong number of columns', () => ['train', at('wrong-length.csv'), '--target', 'label'], 1, /wrong-length\.csv: line 4: expected 3 fields as in the header, got 2$/],
  ['a non-numeric cell', () => ['train', at('text.csv'), '--target', 'label'], 1, /text\.csv: line 3, column "b": expected a number, got "abc"$/],
  ['a NaN cell', () => ['train', at('nan.csv'), '--target', 'label'], 1, /nan\.csv: line 4, column "a": expected a finite number, got "NaN"$/],
  ['an Infinity cell', () => ['train', at('infinity.csv'), '--target', 'label'], 1, /infinity\.csv: line 3, column "b": expected a finite number, got "Infinity"$/],
  ['a number that overflows', () => ['train', at('overflow.csv'), '--target', 'label'], 1, /overflow\.csv: line 3, column "b": expected a finite number, got 1e999, which overflows to Infinity$/],
  ['an empty cell', () => ['train', at('empty-cell.csv'), '--target', 'label'], 1, /empty-cell\.csv: line 3, column "b": expected a number, got an empty cell$/],
  ['an unknown target column', () => ['train', iris, '--target', 'color'], 1, /iris\.csv: no target column "color"; the columns are "sepal_length", "sepal_width", "petal_length", "petal_width", "species"$/],
  ['a single-class target', () => ['train', at('one-class.csv'), '--target', 'label'], 1, /one-class\.csv: target "label": expected at least 2 classes for classification, got only "x" in all 3 rows$/],
  ['an empty file', () => ['train', at('empty.csv'), '--target', 'label'], 1, /empty\.csv: expected a header row and data rows, got an empty file$/],
  ['a header and no rows', () => ['train', at('header-only.csv'), '--target', 'label'], 1, /header-only\.csv: expected data rows after the header, got none$/],
  ['duplicate column names', () => ['train', at('duplicate.csv'), '--target', 'label'], 1, /duplicate\.csv: line 1: expected unique column names, got "a" twice \(columns 1 and 2\)$/],
  ['regression on text', () => ['train', iris, '--target', 'species', '--task', 'regression'], 1, /iris\.csv: line 2, column "species": expected a number, got "setosa"$/],
  ['a CSV as the model', () => ['predict', iris, iris], 1, /iris\.csv: not a usable simdnet model file: .*\(not a model file\)$/],
  ['random bytes as the model', () => ['evaluate', at('random.simdnet'), iris], 1, /random\.simdnet: not a usable simdnet model file: .*not a model file/],
  ['a truncated model', () => ['predict', at('truncated.simdnet'), iris], 1, /truncated\.simdnet: not a usable simdnet model file: /],
  ['a model without the CLI metadata', () => ['predict', at('library.simdnet'), iris], 1, /library\.simdnet: a simdnet model, but not one saved by `simdnet train`: metadata\.kind/],
  ['a missing model file', () => ['predict', at('nope.simdnet'), iris], 1, /^cannot read model ".*nope\.simdnet": no such file$/],
  ['a missing feature column', () => ['predict', model, at('no-petal.csv')], 1, /no-petal\.csv: missing feature columns "petal_length", "petal_width" that the model was trained on/],
  ['a class the model does not know', () => ['evaluate', model, at('new-class.csv')], 1, /new-class\.csv: line 3, column "species": expected one of the model's classes "setosa", "versicolor", "virginica", got "daisy"$/],
  ['an unwritable --out', () => ['train', iris, '--target', 'species', '--out', join(dir, 'no-such-dir', 'm.simdnet')], 1, /^cannot write model to ".*m\.simdnet": no such file$/],
  ['accuracy below --min-accuracy', () => ['train', iris, '--target', 'species', '--epochs', '1', '--lr', '0.0001', '--min-accuracy', '1'], 1, /^accuracy [\d.]+ is below --min-accuracy 1$/],
  // The command line: exit 2.
  ['no command', () => [], 2, /^expected a command: train, predict, evaluate \(see simdnet --help\)$/],
  ['an unknown command', () => ['fit', iris], 2, /^unknown command "fit"; expected a command: train, predict, evaluate/],
  ['an unknown option', () => ['train', iris, '--target', 'species', '--colour', 'red'], 2, /^train: unknown option --colour \(see simdnet train --help\)$/],
  ['an option without its value', () => ['train', iris, '--target', 'species', '--epochs'], 2, /^train: option --epochs needs a value/],
  ['no --target', () => ['train', iris], 2, /^train: expected --target <column>/],
  ['no data file', () => ['train', '--target', 'species'], 2, /^train: expected <data\.csv>, got no <data\.csv>/],
  ['an extra argument', () => ['predict', model, iris, 'more.csv'], 2, /^predict: unexpected argument "more\.csv"/],
  ['a bad --epochs', () => ['train', iris, '--target', 'species', '--epochs', '1.5'], 2, /^--epochs: expected an integer ≥ 1, got "1\.5"$/],
  ['a bad --lr', () => ['train', iris, '--target', 'species', '--lr', '-1'], 2, /^train: option --lr needs a value; write a value that starts with '-' as --lr=VALUE/],
  ['a negative --lr', () => ['train', iris, '--target', 'species', '--lr=-1'], 2, /^--lr: expected a number > 0, got "-1"$/],
  ['a bad --test-split', () => ['train', iris, '--target', 'species', '--test-split', '1'], 2, /^--test-split: expected a fraction ≥ 0 and < 1, got "1"$/],
  ['a bad --backend', () => ['evaluate', model, iris, '--backend', 'gpu'], 2, /^--backend: expected one of auto, wasm, js, got "gpu"$/],
  ['a bad --task', () => ['train', iris, '--target', 'species', '--task', 'clustering'], 2, /^--task: expected one of classification, regression, got "clustering"$/],
  ['a bad --hidden', () => ['train', iris, '--target', 'species', '--hidden', '64,,8'], 2, /^--hidden: expected layer widths like 64 or 64,32 \(or none\), got "64,,8"$/],
  ['an unknown activation', () => ['train', iris, '--target', 'species', '--activation', 'swish'], 2, /^bad model option: .*activation: expected one of .*relu.*, got "swish"$/],
  ['an unknown optimizer', () => ['train', iris, '--target', 'species', '--optimizer', 'nadam'], 2, /^--optimizer: expected one of sgd, adam, adamw, rmsprop, got "nadam"$/],
  ['a dropout rate of 1', () => ['train', iris, '--target', 'species', '--dropout', '1'], 2, /^--dropout: expected a rate ≥ 0 and < 1 \(0: no dropout\), got "1"$/],
  ['a dropout rate that is no number', () => ['train', iris, '--target', 'species', '--dropout', 'half'], 2, /^--dropout: expected a rate ≥ 0 and < 1 \(0: no dropout\), got "half"$/],
  ['a value for --batch-norm', () => ['train', iris, '--target', 'species', '--batch-norm=yes'], 2, /^train: option --batch-norm takes no value \(see simdnet train --help\)$/],
  ['a negative --weight-decay', () => ['train', iris, '--target', 'species', '--weight-decay=-0.1'], 2, /^--weight-decay: expected a number ≥ 0 \(0: no weight decay\), got "-0\.1"$/],
  ['a --weight-decay that is no number', () => ['train', iris, '--target', 'species', '--weight-decay', '1e-3x'], 2, /^--weight-decay: expected a number ≥ 0 \(0: no weight decay\), got "1e-3x"$/],
  ['a fractional --early-stopping', () => ['train', iris, '--target', 'species', '--early-stopping', '2.5'], 2, /^--early-stopping: expected a patience in epochs \(an integer ≥ 0\) or off, got "2\.5"$/],
  ['a word for --early-stopping', () => ['train', iris, '--target', 'species', '--early-stopping', 'soon'], 2, /^--early-stopping: expected a patience in epochs \(an integer ≥ 0\) or off, got "soon"$/],
  ['a --validation-split of 1', () => ['train', iris, '--target', 'species', '--validation-split', '1'], 2, /^--validation-split: expected a fraction ≥ 0 and < 1 of the training rows \(0: no validation\), got "1"$/],
  ['early stopping without validation', () => ['train', iris, '--target', 'species', '--validation-split', '0', '--early-stopping', '5'], 2, /^--early-stopping: expected a validation split to watch \(--validation-split > 0\) or --early-stopping off, got --validation-split 0 and --early-stopping 5$/],
  ['an unknown --lr-schedule', () => ['train', iris, '--target', 'species', '--lr-schedule', 'linear'], 2, /^--lr-schedule: expected one of constant, step, exponential, cosine, warmup-cosine, got "linear"$/],
  ['a --plot that is not SVG', () => ['train', iris, '--target', 'species', '--plot', 'history.png'], 2, /^--plot: expected a file name ending in \.svg, got "history\.png"$/],
  ['--plot and --out naming one file', () => ['train', iris, '--target', 'species', '--plot', at('m.svg'), '--out', at('m.svg')], 2, /^--plot: expected a file other than the model file \(--out\), got ".*m\.svg" for both$/],
  ['an unwritable --plot', () => ['train', iris, '--target', 'species', '--plot', join(dir, 'no-such-dir', 'h.svg')], 1, /^cannot write plot to ".*h\.svg": no such file$/],
  ['a --validation-split that leaves no rows', () => ['train', at('ten.csv'), '--target', 'label', '--validation-split', '0.1'], 1, /^--validation-split 0\.1 of 8 rows leaves no validation rows; use a larger --validation-split \(or 0 for no validation\)$/],
];

describe('simdnet bad input', () => {
  // Each case is its own process and none writes a file, so they can run side by side.
  it.concurrent.each(cases)('%s', async (_name, args, code, message) => {
    const before = await readdir(dir);
    const r = await run(...args());
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(/^simdnet: [^\n]+\n$/);
    expect(r.stderr.slice('simdnet: '.length, -1)).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // A failed command leaves the directory as it was: no model, no temporary file.
    expect(await readdir(dir)).toEqual(before);
  });
});
