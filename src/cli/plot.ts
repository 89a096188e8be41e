// train --plot: the per-epoch history as one SVG file. Classification draws two
// charts stacked in one document, the loss (training and validation) above and the
// accuracy below, since they do not share a scale; regression draws the losses
// only. The file goes through a temporary file and a rename, like a model.

import type { History } from '../callbacks.js';
import { lineChart, type Series } from '../plot/index.js';
import { writeTextAtomic } from './model-file.js';

const WIDTH = 640, HEIGHT = 360;

/** The [epoch, value] points of one history key (epochs counted from 1, as the progress lines do). */
function seriesOf(history: History, key: string, name: string): Series | null {
  const values = history.history[key];
  if (!values || values.length === 0) return null;
  return { name, points: values.map((v, i) => [history.epoch[i] + 1, v] as const) };
}

function present(list: (Series | null)[]): Series[] {
  return list.filter((s): s is Series => s !== null);
}

/** The SVG document: one chart for regression, two stacked for classification. */
export function historyChart(history: History, title: string, classification: boolean, lossName: string): string {
  const loss = lineChart({
    title,
    xLabel: 'epoch',
    yLabel: lossName,
    width: WIDTH,
    height: HEIGHT,
    series: present([seriesOf(history, 'loss', 'training loss'), seriesOf(history, 'val_loss', 'validation loss')]),
  });
  if (!classification) return loss;
  const accuracy = lineChart({
    xLabel: 'epoch',
    yLabel: 'accuracy',
    width: WIDTH,
    height: HEIGHT,
    series: present([seriesOf(history, 'accuracy', 'training accuracy'), seriesOf(history, 'val_accuracy', 'validation accuracy')]),
  });
  const body = (doc: string) => doc.replace(/^<\?xml[^>]*\?>\n/, '').trimEnd();
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${2 * HEIGHT}" viewBox="0 0 ${WIDTH} ${2 * HEIGHT}">`,
    `<g class="loss-chart">${body(loss)}</g>`,
    `<g class="accuracy-chart" transform="translate(0 ${HEIGHT})">${body(accuracy)}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

export async function writePlot(path: string, history: History, title: string, classification: boolean, lossName: string): Promise<void> {
  await writeTextAtomic(path, historyChart(history, title, classification, lossName));
}
