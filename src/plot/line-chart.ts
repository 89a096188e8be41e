// A line chart as a standalone SVG document. It is a string built without a DOM or
// any package, so the examples and the command line's --plot write the same file
// in Node or a browser, and it opens in any browser or vector editor.

import { InputError } from '../errors.js';
import { type CheckedOptions, type LineChartOptions, type Series, checkOptions } from './input.js';
import { marker, seriesStyle } from './style.js';
import { element, px, textElement } from './svg.js';
import { type Axis, linearAxis, logAxis } from './ticks.js';

const FONT = 12;
/** Average advance of a sans-serif glyph: text width is estimated, since nothing here can measure it. */
const CHAR = FONT * 0.6;
const TICK = 5;
const MARKER_RADIUS = 3.5;
const LEGEND_LINE = 30;
const LEGEND_ROW = 20;
/** Pixels per tick a y axis aims for; the x axis takes as many ticks as its labels leave room for. */
const Y_SPACING = 50, LOG_SPACING = 28;
const X_DENSEST = 40, LABEL_GAP = 12;
const TITLE_FONT = 15;
const MIN_PLOT = 80;
/** Space between the axes and the data's ends, so markers at the ends do not sit on the axis lines. */
const INSET = 8;
/** Beyond this many points a series' markers would merge into a band; its colour and dashes still tell it apart. */
const MAX_MARKERS = 40;

const textWidth = (s: string) => [...s].length * CHAR;

/**
 * Beyond this magnitude (and below its inverse on a log axis) a value is left out like a
 * non-finite one: no chart needs more, and the axis arithmetic stays far from overflow.
 */
const LARGEST = 1e200;
const drawable = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) <= LARGEST;

/** The runs of drawable points of a series; a point that cannot be drawn ends a run. */
export function drawableRuns(points: Series['points'], logY: boolean): [number, number][][] {
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  for (const [x, y] of points) {
    const ok = drawable(x) && drawable(y) && (!logY || y >= 1 / LARGEST);
    if (ok) {
      run.push([x, y]);
    } else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The densest linear axis whose labels do not touch: ten layers get the ticks 1 … 10, not 0, 2 … 10. */
function fittingAxis(min: number, max: number, length: number): Axis {
  let axis = linearAxis(min, max, 2);
  for (let count = Math.max(2, Math.floor(length / X_DENSEST)); count > 2; count--) {
    const candidate = linearAxis(min, max, count);
    const spacing = length / Math.max(1, candidate.ticks.length - 1);
    if (Math.max(...candidate.labels.map(textWidth)) + LABEL_GAP <= spacing) {
      axis = candidate;
      break;
    }
  }
  return axis;
}

/** [min, max], by a loop: spreading a long series into Math.min would overflow the stack. */
function extent(values: readonly number[]): [number, number] {
  let min = NaN, max = NaN;
  for (const v of values) {
    if (!(v >= min)) min = v;
    if (!(v <= max)) max = v;
  }
  return [min, max];
}

export function lineChart(options: LineChartOptions): string {
  const o = checkOptions(options);
  const runs = o.series.map((s) => drawableRuns(s.points, o.logY));
  const all = runs.flat(2);
  const [xMin, xMax] = extent(all.map((p) => p[0]));
  const [yMin, yMax] = extent(all.map((p) => p[1]));

  // Margins: the y axis's labels and the legend take what they need, the plot the rest.
  const top = o.title ? 40 : 16;
  const bottom = o.xLabel ? 52 : 32;
  const plotHeight = o.height - top - bottom;
  const yAxis = o.logY ? logAxis(yMin, yMax, Math.max(2, Math.floor(plotHeight / LOG_SPACING))) : linearAxis(yMin, yMax, Math.max(2, Math.round(plotHeight / Y_SPACING)));
  const left = 10 + (o.yLabel ? FONT + 12 : 0) + Math.max(...yAxis.labels.map(textWidth)) + TICK + 4;
  const legendWidth = o.series.length === 0 ? 0 : 16 + LEGEND_LINE + 6 + Math.max(...o.series.map((s) => textWidth(s.name)));
  const right = legendWidth + 16;
  const plotWidth = o.width - left - right;
  if (plotWidth < MIN_PLOT) throw new InputError(`lineChart width: expected room for a plot of at least ${MIN_PLOT} px beside the axis labels and the legend (${Math.ceil(left + right)} px), got ${o.width}`);
  if (plotHeight < MIN_PLOT) throw new InputError(`lineChart height: expected room for a plot of at least ${MIN_PLOT} px below the title and above the x axis (${top + bottom} px), got ${o.height}`);
  const xAxis = fittingAxis(xMin, xMax, plotWidth - 2 * INSET);

  const frame = { x0: left, x1: left + plotWidth, y0: top, y1: top + plotHeight };
  const t = o.logY ? Math.log10 : (v: number) => v;
  const sx = (x: number) => frame.x0 + INSET + ((x - xAxis.domain[0]) / (xAxis.domain[1] - xAxis.domain[0])) * (plotWidth - 2 * INSET);
  const [ty0, ty1] = yAxis.domain.map(t);
  const sy = (y: number) => frame.y1 - INSET - ((t(y) - ty0) / (ty1 - ty0)) * (plotHeight - 2 * INSET);

  const parts = [
    o.title ? textElement('title', {}, o.title) : '',
    element('rect', { x: 0, y: 0, width: o.width, height: o.height, fill: '#ffffff' }),
    grid(xAxis, yAxis, sx, sy, frame),
    axes(xAxis, yAxis, sx, sy, frame),
    labels(o, frame),
    ...o.series.map((_, i) => seriesGroup(runs[i], i, sx, sy)),
    legend(o.series, frame.x1 + 16, frame.y0),
  ].filter((p) => p !== '');
  const root = { xmlns: 'http://www.w3.org/2000/svg', width: o.width, height: o.height, viewBox: `0 0 ${px(o.width)} ${px(o.height)}`, 'font-family': 'Helvetica, Arial, sans-serif', 'font-size': FONT };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('svg', root, parts, '\n')}\n`;
}

interface Frame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
type Scale = (v: number) => number;

function grid(xAxis: Axis, yAxis: Axis, sx: Scale, sy: Scale, f: Frame): string {
  const vertical = xAxis.ticks.map((x) => element('line', { x1: sx(x), y1: f.y0, x2: sx(x), y2: f.y1 }));
  const horizontal = yAxis.ticks.map((y) => element('line', { x1: f.x0, y1: sy(y), x2: f.x1, y2: sy(y) }));
  return element('g', { class: 'grid', stroke: '#e4e4e4', 'stroke-width': 1 }, [...vertical, ...horizontal]);
}

function axes(xAxis: Axis, yAxis: Axis, sx: Scale, sy: Scale, f: Frame): string {
  const lines = [element('line', { x1: f.x0, y1: f.y1, x2: f.x1, y2: f.y1 }), element('line', { x1: f.x0, y1: f.y0, x2: f.x0, y2: f.y1 })];
  const xMarks = xAxis.ticks.map((x) => element('line', { x1: sx(x), y1: f.y1, x2: sx(x), y2: f.y1 + TICK }));
  const yMarks = yAxis.ticks.map((y) => element('line', { x1: f.x0 - TICK, y1: sy(y), x2: f.x0, y2: sy(y) }));
  const xText = xAxis.ticks.map((x, i) => textElement('text', { x: sx(x), y: f.y1 + TICK + FONT + 2, 'text-anchor': 'middle' }, xAxis.labels[i]));
  const yText = yAxis.ticks.map((y, i) => textElement('text', { x: f.x0 - TICK - 4, y: sy(y), dy: '0.35em', 'text-anchor': 'end' }, yAxis.labels[i]));
  return [
    element('g', { class: 'axes', stroke: '#333333', 'stroke-width': 1 }, [...lines, ...xMarks, ...yMarks]),
    element('g', { class: 'x-ticks', fill: '#333333' }, xText),
    element('g', { class: 'y-ticks', fill: '#333333' }, yText),
  ].join('\n');
}

function labels(o: CheckedOptions, f: Frame): string {
  const out: string[] = [];
  if (o.title) {
    // A title longer than the chart is set smaller rather than cut.
    const size = Math.max(8, Math.min(TITLE_FONT, (o.width - 20) / ([...o.title].length * 0.6)));
    out.push(textElement('text', { class: 'title', x: o.width / 2, y: 24, 'text-anchor': 'middle', 'font-size': size, 'font-weight': 'bold' }, o.title));
  }
  if (o.xLabel) out.push(textElement('text', { class: 'x-label', x: (f.x0 + f.x1) / 2, y: o.height - 12, 'text-anchor': 'middle' }, o.xLabel));
  if (o.yLabel) {
    const x = 10 + FONT, y = (f.y0 + f.y1) / 2;
    out.push(textElement('text', { class: 'y-label', x, y, transform: `rotate(-90 ${px(x)} ${px(y)})`, 'text-anchor': 'middle' }, o.yLabel));
  }
  return out.join('\n');
}

/** One path per series (a gap starts a new subpath), then its markers. */
function seriesGroup(runs: [number, number][][], index: number, sx: Scale, sy: Scale): string {
  const style = seriesStyle(index);
  const d = runs.map((run) => run.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${px(sx(x))} ${px(sy(y))}`).join(' ')).join(' ');
  const path = element('path', { class: 'series', d: d || undefined, fill: 'none', stroke: style.color, 'stroke-width': 2, 'stroke-dasharray': style.dash || undefined, 'stroke-linejoin': 'round' });
  const points = runs.flat();
  const marks = points.length > MAX_MARKERS ? [] : points.map(([x, y]) => marker(style.marker, sx(x), sy(y), MARKER_RADIUS, style.color));
  return element('g', { class: `series-${index}` }, [path, ...marks]);
}

function legend(series: readonly Series[], x: number, y: number): string {
  if (series.length === 0) return '';
  const rows = series.map((s, i) => {
    const style = seriesStyle(i);
    const cy = y + 10 + i * LEGEND_ROW;
    return [
      element('line', { x1: x, y1: cy, x2: x + LEGEND_LINE, y2: cy, stroke: style.color, 'stroke-width': 2, 'stroke-dasharray': style.dash || undefined }),
      marker(style.marker, x + LEGEND_LINE / 2, cy, MARKER_RADIUS, style.color),
      textElement('text', { x: x + LEGEND_LINE + 6, y: cy, dy: '0.35em' }, s.name),
    ].join('');
  });
  return element('g', { class: 'legend', fill: '#222222' }, rows, '\n');
}
