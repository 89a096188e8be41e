// Charts as SVG text, with no dependencies: the examples' figures and the command line's --plot.

export { lineChart, drawableRuns } from './line-chart.js';
export type { LineChartOptions, Series } from './input.js';
export { linearAxis, logAxis, niceStep, linearLabel, powerOfTenLabel, type Axis } from './ticks.js';
export { escapeXml } from './svg.js';
