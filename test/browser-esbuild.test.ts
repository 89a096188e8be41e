// The same two apps bundled by esbuild with no configuration beyond code splitting (the
// training app of test/browser/vite-app and the inference-only test/browser/infer-app),
// loaded in headless Chromium: each works, and each fetches one embedded WASM build only.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as simdnet from '../src/index.js';
import { type Launched, type Served, launchChromium, pageValue, serve } from './browser/chromium.js';
import { data } from './browser/shared/zoo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE = '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n';
/** How an embedded build starts: base64 of a gzip stream. */
const EMBEDDED = /["'`]H4sI[A-Za-z0-9+/]{1000}/g;

let chrome: Launched;
const apps: { out: string; served: Served }[] = [];

async function bundle(app: string, splitting: boolean): Promise<{ out: string; served: Served }> {
  const out = await mkdtemp(join(tmpdir(), 'simdnet-esbuild-'));
  await build({
    entryPoints: [join(ROOT, 'test/browser', app, 'main.js')],
    bundle: true,
    splitting,
    format: 'esm',
    minify: true,
    target: 'es2022',
    outdir: out,
    logLevel: 'silent',
    alias: { 'simdnet/infer': join(ROOT, 'dist/infer/index.js'), simdnet: join(ROOT, 'dist/index.js') },
  });
  await writeFile(join(out, 'index.html'), PAGE);
  const served = await serve(out);
  apps.push({ out, served });
  return { out, served };
}

async function open(app: { out: string; served: Served }): Promise<{ result: any; embedded: number }> {
  const { value: result, fetched } = await pageValue(chrome.context, app.served.url);
  // Embedded builds in what the page fetched.
  let embedded = 0;
  for (const path of fetched.filter((p) => p.endsWith('.js'))) embedded += (await readFile(join(app.out, path), 'utf8')).match(EMBEDDED)?.length ?? 0;
  return { result, embedded };
}

beforeAll(async () => {
  chrome = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  for (const a of apps) {
    await a.served.close();
    await rm(a.out, { recursive: true, force: true });
  }
});

describe('apps bundled by esbuild', () => {
  it('the training app trains XOR on WASM SIMD, fetching one build with splitting and working as one file without', async () => {
    for (const splitting of [true, false]) {
      const { result, embedded } = await open(await bundle('vite-app', splitting));
      expect(result.ok, result.error).toBe(true);
      expect(result.backend.backend).toBe('wasm');
      expect(result.predicted).toEqual([0, 1, 1, 0]);
      // Split, only the build that runs is fetched; in one file every build rides along (4 + the 2 of simdnet/infer).
      expect(embedded).toBe(splitting ? 1 : 6);
    }
  });

  it('the inference-only app loads its model by URL and predicts, fetching one build', async () => {
    const model = await simdnet.Sequential.create([new simdnet.Dense(5, 8, { activation: 'relu' }), new simdnet.Dense(8, 3, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 2 });
    const rows = Array.from({ length: 4 }, (_, r) => Array.from(data(1, 5, r)));
    model.metadata = { inputs: rows };
    const app = await bundle('infer-app', true);
    await writeFile(join(app.out, 'model.simdnet'), model.save());
    const { result, embedded } = await open(app);
    expect(result.ok, result.error).toBe(true);
    expect(embedded).toBe(1);
    expect(result.classes).toEqual(Array.from(model.predictClasses(rows)));
    model.dispose();
  });
});
