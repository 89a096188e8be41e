// simdnet predict: a saved model's predictions for every row of a CSV, as CSV:
// the class name and one probability per class, or the predicted value.

import { classesOf } from '../data.js';
import { choiceOption, parseCommand } from './args.js';
import { PREDICT_HELP } from './help.js';
import { predictRows, readInputs } from './inputs.js';
import { writeTextAtomic } from './model-file.js';
import { BACKENDS } from './train-options.js';

export async function predict(args: string[]): Promise<void> {
  const parsed = parseCommand('predict', args, { out: { type: 'string', short: 'o' }, backend: { type: 'string' } }, ['<model-file>', '<data.csv>']);
  if (parsed.help) return void process.stdout.write(PREDICT_HELP);
  const backend = choiceOption(parsed.values, 'backend', BACKENDS, 'auto');
  const [modelPath, dataPath] = parsed.positionals;
  const inputs = await readInputs(modelPath, dataPath, backend);
  let text: string;
  try {
    text = predictionsCsv(inputs.meta.target, inputs.meta.classes ?? null, predictRows(inputs));
  } finally {
    inputs.model.dispose();
  }
  const out = parsed.values.out;
  if (typeof out !== 'string') return void process.stdout.write(text);
  await writeTextAtomic(out, text);
  process.stdout.write(`wrote ${inputs.table.rows.length} predictions to ${out}\n`);
}

function predictionsCsv(target: string, classes: string[] | null, values: Float64Array): string {
  const lines: string[] = [];
  if (classes) {
    lines.push([`predicted_${target}`, ...classes.map((c) => `prob_${c}`)].map(csvCell).join(','));
    const k = classes.length;
    const best = classesOf({ data: Float32Array.from(values), shape: [values.length / k, k] });
    for (let r = 0; r < best.length; r++) {
      const probs = Array.from(values.subarray(r * k, (r + 1) * k), number);
      lines.push([csvCell(classes[best[r]]), ...probs].join(','));
    }
  } else {
    lines.push(csvCell(`predicted_${target}`));
    for (const v of values) lines.push(number(v));
  }
  return lines.join('\n') + '\n';
}

/** Seven significant digits: all a float32 output holds. */
function number(v: number): string {
  return String(Number(v.toPrecision(7)));
}

function csvCell(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
