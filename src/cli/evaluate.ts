// simdnet evaluate: the report `train` prints at its end, for a saved model on
// any CSV that has its feature columns and the target.

import { choiceOption, parseCommand, stringOption } from './args.js';
import { columnIndex } from './csv.js';
import { EVALUATE_HELP } from './help.js';
import { predictRows, readInputs } from './inputs.js';
import { type Report, classificationReport, formatRate, formatReport, regressionReport } from './report.js';
import { classIndices, numericTarget } from './target.js';
import { BACKENDS } from './train-options.js';

export async function evaluate(args: string[]): Promise<void> {
  const parsed = parseCommand('evaluate', args, { target: { type: 'string', short: 't' }, backend: { type: 'string' } }, ['<model-file>', '<data.csv>']);
  if (parsed.help) return void process.stdout.write(EVALUATE_HELP);
  const backend = choiceOption(parsed.values, 'backend', BACKENDS, 'auto');
  const [modelPath, dataPath] = parsed.positionals;
  const inputs = await readInputs(modelPath, dataPath, backend);
  const { model, meta, table } = inputs;
  try {
    const target = stringOption(parsed.values, 'target', meta.target);
    const col = columnIndex(table, target, 'target');
    const started = performance.now();
    let report: Report;
    if (meta.classes) {
      report = classificationReport(model, inputs.x, classIndices(table, col, meta.classes), meta.classes);
    } else {
      report = regressionReport(predictRows(inputs), numericTarget(table, col));
    }
    const seconds = (performance.now() - started) / 1000;
    const info = model.backendInfo();
    const lines = [
      `model: ${modelPath}: ${meta.task}, ${meta.features.length} features, target ${JSON.stringify(meta.target)}`,
      `data: ${dataPath}: ${table.rows.length} rows, target column ${JSON.stringify(target)}`,
      '',
      ...formatReport(report, 'evaluation'),
      `evaluation: ${seconds.toFixed(3)} s, ${formatRate(table.rows.length, seconds)} rows/s on the ${info.backend} backend (${info.reason})`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    model.dispose();
  }
}
