// threads in the browser: on a cross-origin-isolated page (COOP same-origin, COEP
// require-corp) `threads: 2` runs Web Workers over shared memory with weights bit-identical
// to one thread; without the isolation it runs one thread and backendInfo().reason says
// exactly what is missing. Headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, serveApp } from './browser/app.js';
import type { Served } from './browser/chromium.js';

let app: ServedApp;

beforeAll(async () => {
  app = await serveApp({ isolated: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }, plain: {} });
}, 120_000);

afterAll(() => app?.close());

interface Info {
  backend: string;
  simd: string;
  threads: number;
  reason: string;
}

interface Threads {
  isolated: boolean;
  one: Info;
  two: Info;
  three: Info;
  /** Two threads against three, and one against two. */
  identical: boolean;
  identicalToOne: boolean;
  maxDiffToOne: number;
  error?: string;
}

async function threadsAt(at: Served): Promise<Threads> {
  const page = await app.chrome.context.newPage();
  await page.goto(`${at.url}?threads`);
  const r = await page.evaluate(() => (window as unknown as { threads: Promise<Threads> }).threads);
  await page.close();
  expect(r.error).toBeUndefined();
  return r;
}

describe('threads in Chromium', () => {
  it('on a cross-origin-isolated page: Web Workers, bit-identical for 1, 2 and 3 threads, all on the relaxed-SIMD builds', async () => {
    const r = await threadsAt(app.served.isolated);
    expect(r.isolated).toBe(true);
    expect([r.two.backend, r.two.threads, r.three.threads]).toEqual(['wasm', 2, 3]);
    expect([r.one.simd, r.two.simd, r.three.simd]).toEqual(['relaxed-simd', 'relaxed-simd', 'relaxed-simd']);
    expect(r.identical).toBe(true);
    expect(r.identicalToOne, `1 vs 2 threads: the weights differ by up to ${r.maxDiffToOne}`).toBe(true);
  });

  it('without the isolation: one thread, and the reason names the two headers', async () => {
    const r = await threadsAt(app.served.plain);
    expect(r.isolated).toBe(false);
    expect(r.two.threads).toBe(1);
    expect(r.two.reason).toMatch(/one thread, since this page is not cross-origin isolated \(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)$/);
    expect(r.identicalToOne).toBe(true);
  });
});
