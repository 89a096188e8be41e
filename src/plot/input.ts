// The chart's options, checked the way the rest of the library checks its
// arguments: a wrong key or type is an InputError naming it, before anything is drawn.

import { InputError, describe } from '../errors.js';
import { readOptions } from '../options.js';

export interface Series {
  name: string;
  /** [x, y] pairs in drawing order; a pair that cannot be drawn breaks the line there. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: readonly Series[];
  /** A logarithmic y axis: points with y ≤ 0 are left out. Default false. */
  logY?: boolean;
  /** Pixels; default 640 × 400. */
  width?: number;
  height?: number;
}

export interface CheckedOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logY: boolean;
  width: number;
  height: number;
}

const MIN_SIZE = 160, MAX_SIZE = 20000;

function text(value: unknown, argument: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new InputError(`${argument}: expected a string, got ${describe(value)}`);
  return value;
}

function size(value: unknown, argument: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= MIN_SIZE && value <= MAX_SIZE)) {
    throw new InputError(`${argument}: expected a number of pixels from ${MIN_SIZE} to ${MAX_SIZE}, got ${describe(value)}`);
  }
  return value;
}

function series(value: unknown, index: number): Series {
  const at = `lineChart series[${index}]`;
  const o = readOptions(value, at, ['name', 'points']);
  if (o.name === undefined) throw new InputError(`${at}.name: expected a string, got undefined`);
  const points = o.points;
  if (!Array.isArray(points)) throw new InputError(`${at}.points: expected an array of [x, y] pairs, got ${describe(points)}`);
  points.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) throw new InputError(`${at}.points[${i}]: expected an [x, y] pair, got ${describe(p)}`);
  });
  return { name: text(o.name, `${at}.name`), points: points as Series['points'] };
}

export function checkOptions(options: unknown): CheckedOptions {
  const o = readOptions(options, 'lineChart options', ['title', 'xLabel', 'yLabel', 'series', 'logY', 'width', 'height']);
  if (!Array.isArray(o.series)) throw new InputError(`lineChart series: expected an array of { name, points }, got ${describe(o.series)}`);
  if (o.logY !== undefined && typeof o.logY !== 'boolean') throw new InputError(`lineChart logY: expected true or false, got ${describe(o.logY)}`);
  return {
    title: text(o.title, 'lineChart title'),
    xLabel: text(o.xLabel, 'lineChart xLabel'),
    yLabel: text(o.yLabel, 'lineChart yLabel'),
    series: o.series.map(series),
    logY: o.logY ?? false,
    width: size(o.width, 'lineChart width', 640),
    height: size(o.height, 'lineChart height', 400),
  };
}
