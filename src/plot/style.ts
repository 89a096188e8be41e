// How series tell themselves apart. Colours alone fail in grey print and for
// colour-blind readers, so each series also gets its own dash pattern and marker
// shape; the colours are the Okabe–Ito set (without its yellow, too pale on white).

import { type Attributes, element, px } from './svg.js';

export const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#000000', '#E69F00', '#56B4E9'] as const;
/** stroke-dasharray values; '' is a solid line. */
export const DASHES = ['', '8 4', '2 3', '10 3 2 3', '4 4', '12 3 2 3 2 3'] as const;
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'triangleDown', 'plus'] as const;
export type Marker = (typeof MARKERS)[number];

export interface SeriesStyle {
  color: string;
  dash: string;
  marker: Marker;
}

export function seriesStyle(index: number): SeriesStyle {
  return { color: COLORS[index % COLORS.length], dash: DASHES[index % DASHES.length], marker: MARKERS[index % MARKERS.length] };
}

/** Corners of a shape around the origin, in units of the marker's radius. */
const OUTLINES: Record<Exclude<Marker, 'circle' | 'square'>, [number, number][]> = {
  triangle: [[0, -1.2], [1.1, 0.8], [-1.1, 0.8]],
  triangleDown: [[0, 1.2], [1.1, -0.8], [-1.1, -0.8]],
  diamond: [[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]],
  plus: [[-0.4, -1.2], [0.4, -1.2], [0.4, -0.4], [1.2, -0.4], [1.2, 0.4], [0.4, 0.4], [0.4, 1.2], [-0.4, 1.2], [-0.4, 0.4], [-1.2, 0.4], [-1.2, -0.4], [-0.4, -0.4]],
};

/** A marker of radius r centred on (x, y), filled with the series' colour. */
export function marker(kind: Marker, x: number, y: number, r: number, fill: string): string {
  const paint: Attributes = { fill };
  if (kind === 'circle') return element('circle', { cx: x, cy: y, r, ...paint });
  if (kind === 'square') return element('rect', { x: x - r * 0.9, y: y - r * 0.9, width: r * 1.8, height: r * 1.8, ...paint });
  const points = OUTLINES[kind].map(([dx, dy]) => `${px(x + dx * r)},${px(y + dy * r)}`).join(' ');
  return element('polygon', { points, ...paint });
}
