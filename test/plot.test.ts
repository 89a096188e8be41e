// The SVG chart writer: a well-formed document, one path per series, ticks where a
// reader expects them, text escaped, and points that cannot be drawn left out.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { drawableRuns, escapeXml, linearAxis, linearLabel, lineChart, logAxis, niceStep, powerOfTenLabel } from '../src/plot/index.js';

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

/**
 * A strict reading of the XML subset the writer produces: one declaration, one root,
 * every tag closed in order, attributes quoted and unique, and no raw `<` or stray `&`
 * in text or attribute values. Throws on anything else.
 */
function parseXml(doc: string): Node {
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (!doc.startsWith(declaration)) throw new Error('no XML declaration');
  const body = doc.slice(declaration.length);
  const checkText = (s: string, where: string) => {
    if (s.includes('<') || s.includes('>')) throw new Error(`raw < or > in ${where}: ${s}`);
    const amp = s.match(/&[^;]*;?/g) ?? [];
    for (const a of amp) if (!/^&(amp|lt|gt|quot|apos);$/.test(a)) throw new Error(`bad entity ${a} in ${where}`);
  };
  const root: Node = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  let at = 0;
  while (at < body.length) {
    const open = body.indexOf('<', at);
    const text = body.slice(at, open < 0 ? body.length : open);
    checkText(text, `text of <${stack[stack.length - 1].name}>`);
    stack[stack.length - 1].text += text;
    if (open < 0) break;
    const close = body.indexOf('>', open);
    if (close < 0) throw new Error('unterminated tag');
    const tag = body.slice(open + 1, close);
    at = close + 1;
    if (tag.startsWith('/')) {
      const top = stack.pop()!;
      if (top.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${top.name}>`);
      continue;
    }
    const m = /^([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)$/.exec(tag);
    if (!m) throw new Error(`malformed tag <${tag}>`);
    const attrs: Record<string, string> = {};
    for (const [, k, v] of m[2].matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (k in attrs) throw new Error(`repeated attribute ${k}`);
      checkText(v, `attribute ${k}`);
      attrs[k] = v;
    }
    const node: Node = { name: m[1], attrs, children: [], text: '' };
    stack[stack.length - 1].children.push(node);
    if (!m[3]) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  const elements = root.children;
  if (elements.length !== 1 || elements[0].name !== 'svg' || root.text.trim() !== '') throw new Error('expected exactly one <svg> root');
  return elements[0];
}

const all = (n: Node): Node[] => [n, ...n.children.flatMap(all)];
const byClass = (root: Node, c: string) => all(root).find((n) => n.attrs.class === c)!;
const texts = (n: Node) => n.children.filter((c) => c.name === 'text').map((c) => c.text);
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
/** Subpaths of a path's d as [x, y] pixel pairs. */
const subpaths = (d: string) => d.split('M').filter(Boolean).map((s) => [...s.matchAll(/(-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]));

const three = [
  { name: 'a', points: [[0, 1], [1, 2], [2, 3]] as [number, number][] },
  { name: 'b', points: [[0, 3], [1, 1], [2, 2]] as [number, number][] },
  { name: 'c', points: [[0, 2], [1, 3], [2, 1]] as [number, number][] },
];

describe('lineChart document', () => {
  it('is well-formed XML with an svg root of the requested size', () => {
    const svg = parseXml(lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: three, width: 500, height: 300 }));
    expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect([svg.attrs.width, svg.attrs.height, svg.attrs.viewBox]).toEqual(['500', '300', '0 0 500 300']);
  });

  it('draws one path per series, each with its own colour and dash pattern, and names each in the legend', () => {
    const svg = parseXml(lineChart({ series: three }));
    const paths = all(svg).filter((n) => n.name === 'path');
    expect(paths).toHaveLength(3);
    expect(new Set(paths.map((p) => p.attrs.stroke)).size).toBe(3);
    expect(new Set(paths.map((p) => p.attrs['stroke-dasharray'] ?? 'solid')).size).toBe(3);
    paths.forEach((p) => expect(subpaths(p.attrs.d)[0]).toHaveLength(3));
    expect(texts(byClass(svg, 'legend'))).toEqual(['a', 'b', 'c']);
  });

  it('places data on the axes it labels: the corners of the data are the ends of the ticks', () => {
    const svg = parseXml(lineChart({ series: [{ name: 's', points: [[0, 0], [10, 100]] }] }));
    const [[first, last]] = subpaths(all(svg).find((n) => n.name === 'path')!.attrs.d);
    const xTicks = byClass(svg, 'x-ticks').children, yTicks = byClass(svg, 'y-ticks').children;
    expect(xTicks[0].text).toBe('0');
    expect(xTicks[xTicks.length - 1].text).toBe('10');
    expect(first[0]).toBeCloseTo(Number(xTicks[0].attrs.x), 1);
    expect(last[0]).toBeCloseTo(Number(xTicks[xTicks.length - 1].attrs.x), 1);
    expect(yTicks[0].text).toBe('0');
    expect(yTicks[yTicks.length - 1].text).toBe('100');
    expect(first[1]).toBeCloseTo(Number(yTicks[0].attrs.y), 1);
    expect(last[1]).toBeCloseTo(Number(yTicks[yTicks.length - 1].attrs.y), 1);
    expect(last[1]).toBeLessThan(first[1]); // larger y is higher up
  });

  it('escapes <, &, " and \' in the title, the labels and the series names', () => {
    const nasty = 'a<b & "c" \'d\' </svg>';
    const doc = lineChart({ title: nasty, xLabel: nasty, yLabel: nasty, series: [{ name: nasty, points: [[1, 1]] }] });
    const svg = parseXml(doc);
    expect(doc).not.toContain('a<b');
    expect(doc).toContain('a&lt;b &amp; &quot;c&quot; &apos;d&apos; &lt;/svg&gt;');
    for (const c of ['title', 'x-label', 'y-label']) expect(unescape(byClass(svg, c).text)).toBe(nasty);
    expect(unescape(svg.children.find((n) => n.name === 'title')!.text)).toBe(nasty);
    expect(texts(byClass(svg, 'legend')).map(unescape)).toEqual([nasty]);
    expect(escapeXml('<&">')).toBe('&lt;&amp;&quot;&gt;');
  });

  it('labels a log axis at decades, evenly spaced, covering the data', () => {
    const points: [number, number][] = [[1, 3e-6], [2, 4e-4], [3, 0.8]];
    const svg = parseXml(lineChart({ series: [{ name: 's', points }], logY: true }));
    const yTicks = byClass(svg, 'y-ticks').children;
    expect(yTicks.map((t) => t.text)).toEqual(['10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '1']);
    const ys = yTicks.map((t) => Number(t.attrs.y));
    const gaps = ys.slice(1).map((y, i) => ys[i] - y);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0], 1);
    // 3e-6 sits log10(3) ≈ 0.48 of a decade above 10⁻⁶.
    const [[p]] = subpaths(all(svg).find((n) => n.name === 'path')!.attrs.d);
    expect((ys[0] - p[1]) / gaps[0]).toBeCloseTo(Math.log10(3), 2);
  });

  it('leaves out non-finite points, and non-positive ones on a log axis, breaking the line there', () => {
    const points: [number, number][] = [[1, 1], [2, NaN], [3, Infinity], [4, 4], [5, -1], [NaN, 2], [6, 6], [7, 0]];
    const linear = parseXml(lineChart({ series: [{ name: 's', points }] }));
    const log = parseXml(lineChart({ series: [{ name: 's', points }], logY: true }));
    const shape = (svg: Node) => subpaths(all(svg).find((n) => n.name === 'path')!.attrs.d).map((run) => run.length);
    expect(shape(linear)).toEqual([1, 2, 2]); // (1,1) | (4,4) (5,−1) | (6,6) (7,0)
    expect(shape(log)).toEqual([1, 1, 1]); // (1,1) | (4,4) | (6,6)
    for (const svg of [linear, log]) {
      const doc = JSON.stringify(svg);
      expect(doc).not.toMatch(/NaN|Infinity/);
    }
    // The skipped values do not stretch the axes.
    expect(texts(byClass(log, 'y-ticks'))).toEqual(['1', '10']);
    expect(drawableRuns(points, true)).toEqual([[[1, 1]], [[4, 4]], [[6, 6]]]);
  });

  it('marks each point of a short series, and leaves a long one to its line', () => {
    const points = (n: number) => Array.from({ length: n }, (_, i) => [i, i * i] as [number, number]);
    const marks = (n: number) => byClass(parseXml(lineChart({ series: [{ name: 's', points: points(n) }] })), 'series-0').children.filter((c) => c.name !== 'path');
    expect(marks(10)).toHaveLength(10);
    expect(marks(1000)).toHaveLength(0);
  });

  it('leaves out values too large to span, and on a log axis too small, so no coordinate overflows', () => {
    const points: [number, number][] = [[1, 10], [2, 1e300], [-1e250, 3], [3, 5e-324], [4, 1e-250], [5, 100]];
    for (const logY of [false, true]) {
      const doc = lineChart({ series: [{ name: 's', points }], logY });
      expect(doc).not.toMatch(/NaN|Infinity/);
      parseXml(doc);
    }
    expect(drawableRuns(points, false)).toEqual([[[1, 10]], [[3, 5e-324], [4, 1e-250], [5, 100]]]);
    expect(drawableRuns(points, true)).toEqual([[[1, 10]], [[5, 100]]]);
    expect(linearLabel(1e200, 1e199)).toBe('1e200');
  });

  it('still draws axes for a series with nothing to draw, and for no series', () => {
    for (const series of [[{ name: 'empty', points: [[1, NaN]] as [number, number][] }], []]) {
      const svg = parseXml(lineChart({ series, logY: true }));
      expect(texts(byClass(svg, 'y-ticks'))).toEqual(['1', '10']);
      expect(all(svg).filter((n) => n.name === 'path' && n.attrs.d)).toHaveLength(0);
    }
  });

  it('refuses bad options with an InputError naming them', () => {
    expect(() => lineChart({ series: three, logy: true } as never)).toThrow(/unknown key "logy"/);
    expect(() => lineChart({ series: 'no' } as never)).toThrow(InputError);
    expect(() => lineChart({ series: [{ name: 'a', points: [[1, 2, 3]] }] } as never)).toThrow(/series\[0\]\.points\[0\]/);
    expect(() => lineChart({ series: three, width: 10 })).toThrow(/width/);
    expect(() => lineChart({ series: [{ name: 'x'.repeat(200), points: [] }], width: 400 })).toThrow(/width.*room/);
  });
});

describe('ticks', () => {
  it('picks steps of 1, 2 or 5 × 10ⁿ and widens the range to whole steps', () => {
    expect(linearAxis(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearAxis(0, 97, 5).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(linearAxis(-3.2, 7.9, 5).ticks).toEqual([-4, -2, 0, 2, 4, 6, 8]);
    expect(linearAxis(1, 10, 8).ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(linearAxis(0.001, 0.0042, 4).ticks).toEqual([0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(linearAxis(0.6, 1.2, 3).ticks).toEqual([0.6, 0.8, 1, 1.2]);
    expect(linearAxis(1234, 1789, 5).domain).toEqual([1200, 1800]);
    expect([1, 1.4, 1.6, 3.4, 3.6, 7.4, 7.6].map((f) => niceStep(f * 100, 1))).toEqual([100, 100, 200, 200, 500, 500, 1000]);
  });

  it('widens an empty range around its value', () => {
    expect(linearAxis(5, 5).domain[0]).toBeLessThan(5);
    expect(linearAxis(5, 5).domain[1]).toBeGreaterThan(5);
    expect(linearAxis(0, 0).ticks).toContain(0);
  });

  it('labels with the decimals the step needs, a true minus sign, and exponents for extreme values', () => {
    expect(linearAxis(-3.2, 7.9, 5).labels).toEqual(['−4', '−2', '0', '2', '4', '6', '8']);
    expect(linearAxis(0, 0.3, 3).labels).toEqual(['0', '0.1', '0.2', '0.3']);
    expect(linearLabel(2.5e6, 5e5)).toBe('2.5e6');
    expect(linearLabel(-2e-5, 1e-5)).toBe('−2e−5');
    expect(linearLabel(1.00002, 1e-5)).toBe('1.00002');
    expect(linearLabel(1e-17, 0.1)).toBe('0');
  });

  it('puts a log axis on decades, every k-th one when there are many', () => {
    expect(logAxis(3e-6, 0.8).ticks).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1]);
    expect(logAxis(2, 5).ticks).toEqual([1, 10]);
    expect(logAxis(10, 1000).ticks).toEqual([10, 100, 1000]);
    const wide = logAxis(1e-30, 1, 10);
    expect(wide.ticks.length).toBeLessThanOrEqual(11);
    expect(wide.ticks[0]).toBe(1e-30);
    expect(wide.ticks[wide.ticks.length - 1]).toBe(1);
    expect(wide.labels[1]).toBe('10⁻²⁷');
    expect([0, 1, 2, -1, -12].map(powerOfTenLabel)).toEqual(['1', '10', '10²', '10⁻¹', '10⁻¹²']);
  });
});
