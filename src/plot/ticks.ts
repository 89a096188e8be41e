// Where an axis puts its ticks. A linear axis uses steps of 1, 2 or 5 times a power of
// ten and widens its range to whole steps, so every label is short and the ends are
// labelled; a log axis puts one tick on each power of ten (every k-th when there are
// many), which is what a reader compares orders of magnitude by.

export interface Axis {
  /** The range the axis spans, widened to whole ticks. */
  domain: [number, number];
  ticks: number[];
  labels: string[];
}

/** Floating-point slack when a value sits on a tick: 0.6 / 0.2 is 2.9999999999999996. */
const SLACK = 1e-9;

/** The nice step (1, 2 or 5 × 10ⁿ) closest to dividing `span` into `count` parts. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw) + SLACK);
  const f = raw / magnitude;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude;
}

/** About `count` ticks over [min, max]; an empty or one-point range is widened around its value. */
export function linearAxis(min: number, max: number, count = 5): Axis {
  if (!(Number.isFinite(min) && Number.isFinite(max))) [min, max] = [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const half = min === 0 ? 1 : Math.abs(min) / 10;
    [min, max] = [min - half, max + half];
  }
  const step = niceStep(max - min, count);
  const first = Math.floor(min / step + SLACK), last = Math.ceil(max / step - SLACK);
  const ticks: number[] = [];
  // Multiples of the step, rounded so that 3 × 0.1 prints as 0.3.
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, labels: ticks.map((t) => linearLabel(t, step)) };
}

/** Decades covering [min, max] (both > 0), at most about `maxTicks` of them labelled. */
export function logAxis(min: number, max: number, maxTicks = 10): Axis {
  if (!(min > 0 && max > 0 && Number.isFinite(min) && Number.isFinite(max))) [min, max] = [1, 10];
  if (min > max) [min, max] = [max, min];
  let low = Math.floor(Math.log10(min) + SLACK), high = Math.ceil(Math.log10(max) - SLACK);
  if (high === low) high++;
  const stride = Math.ceil((high - low) / Math.max(1, maxTicks));
  low = Math.floor(low / stride) * stride;
  high = Math.ceil(high / stride) * stride;
  const exponents: number[] = [];
  for (let e = low; e <= high; e += stride) exponents.push(e);
  // 1e-6 parsed from text is the exact double; 10 ** -6 is not always.
  const ticks = exponents.map((e) => Number(`1e${e}`));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, labels: exponents.map(powerOfTenLabel) };
}

const MINUS = '\u2212';
const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** 1, 10, then 10² … and 10⁻¹ …: the exponent is what a reader of a log axis wants. */
export function powerOfTenLabel(exponent: number): string {
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  const digits = [...String(Math.abs(exponent))].map((d) => SUPERSCRIPTS[Number(d)]).join('');
  return `10${exponent < 0 ? '⁻' : ''}${digits}`;
}

/** A tick with as many decimals as its step needs; scientific notation for very large or very small values. */
export function linearLabel(value: number, step: number): string {
  if (value === 0 || Math.abs(value) < step * SLACK) return '0';
  const magnitude = Math.abs(value);
  const text = magnitude >= 1e6 || magnitude < 1e-4
    ? value.toExponential(Math.max(0, Math.floor(Math.log10(magnitude) + SLACK) - Math.floor(Math.log10(step) + SLACK))).replace(/\.?0+e/, 'e').replace('e+', 'e')
    : value.toFixed(Math.max(0, -Math.floor(Math.log10(step) + SLACK)));
  return text.replace(/-/g, MINUS);
}
