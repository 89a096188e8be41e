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

describe('bench/ smoke', () => {
  it('runs W1–W4 on all six contenders (and jax-js on W1/W2), measures the f32x4 ceiling, and reports finite numbers', async () => {
    const results = await runBench({ quick: true, memory: false, log: () => {} });
    expect(results.tables.map((t: { id: string }) => t.id)).toEqual(['W1', 'W2', 'W3', 'W4 batch 1', 'W4 batch 256']);
    const six = ['simdnet-wasm', 'simdnet-wasm-2t', 'simdnet-js', 'tfjs-wasm', 'tfjs-cpu', 'brain.js'];
    for (const t of results.tables) {
      const training = t.id === 'W1' || t.id === 'W2';
      expect(t.rows.map((r: Row) => r.contender)).toEqual(training ? [...six, 'jax-js'] : six);
      for (const r of t.rows as Row[]) {
        for (const v of [r.median, r.min, r.max, r.vsWasm]) {
          expect(Number.isFinite(v) && v > 0, `${t.id} ${r.contender}: ${v}`).toBe(true);
        }
        if (t.id !== 'W4 batch 1') expect(Number.isFinite(r.perCpuSecond)).toBe(true);
        if (t.id === 'W2') expect(Number.isFinite(r.gflops?.median) && Number.isFinite(r.ofPlainCeiling)).toBe(true);
        if (t.id === 'W3') expect(r.check?.outputs.every(Number.isFinite)).toBe(true);
      }
    }
    expect(results.meta.contenders.find((c: { id: string }) => c.id === 'tfjs-wasm').wasmBinary.instantiated).toMatch(/\.wasm$/);
    // The relaxed ceiling runs here or in a child process with the flag; either way it must come back.
    for (const c of [results.ceiling.plain, results.ceiling.relaxed]) {
      expect(c.error).toBeUndefined();
      expect(c.median).toBeGreaterThan(0);
    }
    expect(results.meta.contenders.find((c: { id: string }) => c.id === 'jax-js').version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(resultsMarkdown(results)).toContain('## W4 batch 256');
    expect(resultsMarkdown(results)).toContain('f32x4 ceiling');
    expect(chartSvg(results, formatValue, formatRatio)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });
});
