// The same two apps bundled by webpack 5 through its Node API with the least configuration a
// user writes (mode 'production', an entry and an output folder; `simdnet` resolved through
// this package's own exports, as an app gets it from node_modules), loaded in headless
// Chromium as webpack's default output, a classic deferred script: each works, and each
// fetches one embedded WASM build only (webpack makes every dynamic import a chunk).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import webpack from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as simdnet from '../src/index.js';
import { type Launched, type Served, launchChromium, pageValue, serve } from './browser/chromium.js';
import { expectErrorNamesKept } from './browser/error-names.js';
import { data } from './browser/shared/zoo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What HtmlWebpackPlugin would write for webpack's default (non-module) output. */
const PAGE = '<!doctype html><meta charset="utf-8"><script defer src="./main.js"></script>\n';
/** How an embedded build starts: base64 of a gzip stream. */
const EMBEDDED = /["'`]H4sI[A-Za-z0-9+/]{1000}/g;
/** Warnings about webpack's own defaults, not about the code it bundles. */
const DEFAULTS = /^(AssetsOverSizeLimitWarning|EntrypointsOverSizeLimitWarning|NoAsyncChunksWarning)$/;

interface Built {
  out: string;
  served: Served;
  warnings: string[];
  /** JS files under ROOT that went into the bundle, relative to ROOT. */
  sources: string[];
}

let chrome: Launched;
const apps: Record<string, Built> = {};
/** Every output folder, removed after the tests even when setup failed half way. */
const outs: string[] = [];

async function bundle(app: string): Promise<Built> {
  const out = await mkdtemp(join(tmpdir(), 'simdnet-webpack-'));
  outs.push(out);
  const compiler = webpack({ mode: 'production', context: ROOT, entry: join(ROOT, 'test/browser', app, 'main.js'), output: { path: out } });
  const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((err, s) => (err || !s ? reject(err) : resolve(s))));
  await new Promise<void>((resolve, reject) => compiler.close((err) => (err ? reject(err) : resolve())));
  const { compilation } = stats;
  const text = (e: Error & { module?: webpack.Module | null }) => `${e.module?.readableIdentifier(compilation.requestShortener) ?? '(no module)'}: ${e.message}`;
  expect(compilation.errors.map(text)).toEqual([]);
  const warnings = compilation.warnings.filter((w) => !DEFAULTS.test(w.name)).map(text);
  const sources = [...compilation.fileDependencies].filter((f) => f.startsWith(ROOT) && f.endsWith('.js')).map((f) => relative(ROOT, f).split(sep).join('/'));
  await writeFile(join(out, 'index.html'), PAGE);
  apps[app] = { out, served: await serve(out), warnings, sources };
  return apps[app];
}

/** Open the app and wait for its window.result; the JS it fetched, with each file's gzip -9 size. */
async function open(app: Built): Promise<{ result: any; scripts: { file: string; code: string; gzip: number }[] }> {
  const { value: result, fetched } = await pageValue(chrome.context, app.served.url);
  const scripts = [];
  for (const path of fetched.filter((p) => p.endsWith('.js'))) {
    const bytes = await readFile(join(app.out, path));
    scripts.push({ file: path.slice(1), code: bytes.toString('utf8'), gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return { result, scripts };
}

/** The embedded builds in what the page fetched, and whether `build`'s own bytes are among them. */
async function embeddedIn(scripts: { code: string }[], build: string): Promise<{ count: number; has: boolean }> {
  const code = scripts.map((s) => s.code).join('\n');
  const own = (await readFile(join(ROOT, 'dist/generated', `${build}.js`), 'utf8')).match(/H4sI[A-Za-z0-9+/=]+/)?.[0] as string;
  return { count: code.match(EMBEDDED)?.length ?? 0, has: code.includes(own) };
}

function report(name: string, scripts: { file: string; gzip: number }[]): void {
  const total = scripts.reduce((n, s) => n + s.gzip, 0);
  console.log(`${name} under webpack, fetched gzipped -9: ${scripts.map((s) => `${s.file} ${(s.gzip / 1024).toFixed(1)} KB`).join(' + ')} = ${(total / 1024).toFixed(1)} KB`);
}

beforeAll(async () => {
  // Settled first, so that afterAll finds everything started, whichever part failed.
  const [launched, ...built] = await Promise.allSettled([launchChromium(), bundle('vite-app'), bundle('infer-app')]);
  if (launched.status === 'fulfilled') chrome = launched.value;
  for (const r of [launched, ...built]) if (r.status === 'rejected') throw r.reason;
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  for (const a of Object.values(apps)) await a.served.close();
  for (const out of outs) await rm(out, { recursive: true, force: true });
});

describe('apps bundled by webpack 5', () => {
  it('compile with no errors and no warnings, from the ESM build that the exports map names', () => {
    // Nothing from node_modules (the CLI's csv-parse, cli-progress), src/ or cjs/: the app code and dist/ only.
    for (const app of Object.values(apps)) {
      expect(app.sources.filter((f) => !f.startsWith('test/browser/') && !f.startsWith('dist/'))).toEqual([]);
      expect(app.sources.some((f) => f.startsWith('dist/'))).toBe(true);
    }
    expect(apps['vite-app'].sources).toContain('dist/index.js');
    expect(apps['infer-app'].sources).toContain('dist/infer/index.js');
    // simdnet/infer alone brings none of the trainer: no model, no training backend, no kernels builds.
    expect(apps['infer-app'].sources.filter((f) => /^dist\/(index|model|backend\/wasm|generated\/kernels-)/.test(f))).toEqual([]);
    expect(apps['vite-app'].warnings).toEqual([]);
    expect(apps['infer-app'].warnings).toEqual([]);
  });

  it('the training app trains XOR on WASM SIMD, keeps its error names and fetches only the build that runs', async () => {
    const { result: r, scripts } = await open(apps['vite-app']);
    expect(r.ok, r.error).toBe(true);
    expect(r.backend.backend).toBe('wasm');
    expect(r.predicted).toEqual([0, 1, 1, 0]);
    expect(r.reloaded).toEqual([0, 1, 1, 0]);
    expect(r.lastLoss).toBeLessThan(r.firstLoss / 10);
    expect(r.wasmAsked).toBeNull();
    expectErrorNamesKept(r);
    const embedded = await embeddedIn(scripts, r.backend.simd === 'relaxed-simd' ? 'kernels-relaxed' : 'kernels-simd');
    expect(embedded).toEqual({ count: 1, has: true });
    report('training app', scripts);
  });

  it('the inference-only app loads its model by URL and predicts, fetching one build', async () => {
    const model = await simdnet.Sequential.create([new simdnet.Dense(5, 8, { activation: 'relu' }), new simdnet.Dense(8, 3, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 2 });
    const rows = Array.from({ length: 4 }, (_, r) => Array.from(data(1, 5, r)));
    model.metadata = { inputs: rows };
    await writeFile(join(apps['infer-app'].out, 'model.simdnet'), model.save());
    const { result: r, scripts } = await open(apps['infer-app']);
    expect(r.ok, r.error).toBe(true);
    const embedded = await embeddedIn(scripts, r.simd === 'relaxed-simd' ? 'infer-relaxed' : 'infer-simd');
    expect(embedded).toEqual({ count: 1, has: true });
    const want = model.predict(rows).data;
    r.outputs.forEach((v: number, i: number) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    expect(r.classes).toEqual(Array.from(model.predictClasses(rows)));
    model.dispose();
    report('simdnet/infer app', scripts);
  });
});
