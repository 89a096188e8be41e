// The benchmark is not part of npm test, but it must keep running: every workload on
// every contender for a few iterations. No timing assertions — only that numbers come out.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM scripts without type declarations
import { runBench } from '../bench/suite.mjs';
// @ts-expect-error: plain ESM scripts without type declarations
import { chartSvg } from '../bench/chart.mjs';
// @ts-expect-error: plain ESM scripts without type declarations
import { formatRatio, formatValue, resultsMarkdown } from '../bench/report.mjs';

interface Row {
  contender: string;
  median: number;
  min: number;
  max: number;
  vsWasm: number;
  perCpuSecond?: number;
  gflops?: { median: number };
  ofPlainCeiling?: number | null;
  check?: { learned: boolean; outputs: number[] } | null;
}

interface Cost {
  wall: number;
  cpu: number | null;
  fromRows: number;
  rounds: number;
}

const SIX = ['simdnet-wasm', 'simdnet-wasm-2t', 'simdnet-js', 'tfjs-wasm', 'tfjs-cpu', 'brain.js'];
/** Each table's rows in the order they run: the variants right after the row they are compared with. */
const ROWS: Record<string, string[]> = {
  W1: ['simdnet-wasm', 'simdnet-wasm-adam', 'simdnet-wasm-2t', 'simdnet-js', 'tfjs-wasm', 'tfjs-wasm-adam', 'tfjs-cpu', 'brain.js', 'jax-js'],
  W3: ['simdnet-wasm', 'simdnet-wasm-cosine', 'simdnet-wasm-cosine-mid', 'simdnet-wasm-2t', 'simdnet-js', 'tfjs-wasm', 'tfjs-cpu', 'brain.js'],
  'W4 batch 1': [SIX[0], 'simdnet-infer', ...SIX.slice(1)],
  'W4 batch 256': [SIX[0], 'simdnet-infer', ...SIX.slice(1)],
  W5: ['simdnet-wasm', 'simdnet-wasm-dense', 'simdnet-wasm-2t', 'simdnet-js', 'tfjs-wasm', 'tfjs-cpu', 'jax-js'],
};
ROWS.W2 = ROWS.W1;

describe('bench/ smoke', () => {
  it('runs W1–W5 on every contender and variant, measures the f32x4 ceiling and the costs, and reports finite numbers', async () => {
    const results = await runBench({ quick: true, memory: false, log: () => {} });
    expect(results.tables.map((t: { id: string }) => t.id)).toEqual(['W1', 'W2', 'W3', 'W4 batch 1', 'W4 batch 256', 'W5']);
    for (const t of results.tables) {
      expect(t.rows.map((r: Row) => r.contender)).toEqual(ROWS[t.id]);
      for (const r of t.rows as Row[]) {
        for (const v of [r.median, r.min, r.max, r.vsWasm]) {
          expect(Number.isFinite(v) && v > 0, `${t.id} ${r.contender}: ${v}`).toBe(true);
        }
        if (t.id !== 'W4 batch 1') expect(Number.isFinite(r.perCpuSecond)).toBe(true);
        if (t.id === 'W2' || t.id === 'W5') {
          expect(Number.isFinite(r.gflops?.median) && Number.isFinite(r.ofPlainCeiling), `${t.id} ${r.contender}`).toBe(true);
        }
        if (t.id === 'W3') expect(r.check?.outputs.every(Number.isFinite)).toBe(true);
      }
    }
    expect(results.meta.contenders.find((c: { id: string }) => c.id === 'tfjs-wasm').wasmBinary.instantiated).toMatch(/\.wasm$/);
    // The relaxed ceiling runs here or in a child process with the flag; either way it must come back.
    for (const c of [results.ceiling.plain, results.ceiling.relaxed, results.ceiling.plainBeforeW5]) {
      expect(c.error).toBeUndefined();
      expect(c.median).toBeGreaterThan(0);
    }
    for (const share of [results.ceiling.w2SimdnetWasmOfPlain, results.ceiling.w5SimdnetWasmOfPlain]) expect(share).toBeGreaterThan(0);
    // One quick iteration gives noisy ratios, but each must be a number (a share below 1), from interleaved rounds.
    const costs = results.costs as Record<string, Cost>;
    expect(Object.keys(costs).sort()).toEqual(['w1AdamCost', 'w2AdamCost', 'w3ScheduleCost', 'w3ScheduleMidDecayCost', 'w5NonDenseShare']);
    for (const [name, c] of Object.entries(costs)) {
      expect(Number.isFinite(c.wall) && Number.isFinite(c.cpu) && Number.isFinite(c.fromRows), `${name}: ${JSON.stringify(c)}`).toBe(true);
      expect(c.wall).toBeGreaterThan(-1);
      expect(c.rounds).toBe(2);
    }
    expect(costs.w5NonDenseShare.wall).toBeLessThan(1);
    expect(results.meta.contenders.find((c: { id: string }) => c.id === 'jax-js').version).toMatch(/^\d+\.\d+\.\d+$/);
    const md = resultsMarkdown(results);
    for (const part of ['## W4 batch 256', '## W5: ', 'f32x4 ceiling', '## Targets: W5, Adam and schedules', 'Share of a W5 step outside its dense products', "Adam's cost", 'Cost of the cosine schedule']) {
      expect(md).toContain(part);
    }
    expect(md).not.toMatch(/NaN|undefined/);
    expect(chartSvg(results, formatValue, formatRatio)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });
});
