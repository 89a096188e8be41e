// A Vite production build of an app that imports simdnet, loaded in headless Chromium:
// it trains XOR in the page, reloads its saved model from an ArrayBuffer, and shows the
// error names a user sees after the build has minified the classes.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, serveApp } from './browser/app.js';
import { type Served, pageValue } from './browser/chromium.js';
import { expectErrorNamesKept } from './browser/error-names.js';


let app: ServedApp;

/** Open the app from `at` and wait for what it reports in window.result. */
async function resultFrom(at: Served): Promise<Record<string, any>> {
  const { value: r, fetched } = await pageValue(app.chrome.context, at.url);
  expect(r.ok, String(r.error)).toBe(true);
  return { ...r, fetched };
}

beforeAll(async () => {
  app = await serveApp({
    plain: {},
    // The same app under a Content Security Policy without and with 'wasm-unsafe-eval'.
    strict: { 'content-security-policy': "script-src 'self'" },
    allowing: { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" },
  });
}, 120_000);

afterAll(() => app?.close());

describe('a Vite app in Chromium', () => {
  it('is minified (class names gone), trains XOR with WASM SIMD in the page, and fetches only the WASM build that runs', async () => {
    const scripts = (await readdir(join(app.out, 'assets'))).filter((f) => f.endsWith('.js'));
    const code = (await Promise.all(scripts.map((f) => readFile(join(app.out, 'assets', f), 'utf8')))).join('\n');
    // Minified: the classes lost their names, so only the literal names can survive.
    expect(/class InputError\b/.test(code), 'a class still named InputError').toBe(false);
    expect(/\w=class extends \w\{name=`InputError`\}/.test(code), 'InputError as an anonymous class with its literal name').toBe(true);
    // The CLI's dependencies stay out of a page: csv-parse's error codes, cli-progress's format tokens.
    expect(/CSV_[A-Z_]{4,}|eta_formatted/.test(code), 'CLI dependencies in the bundle').toBe(false);
    const r = await resultFrom(app.served.plain);
    expect(r.backend.backend).toBe('wasm');
    expect(r.predicted).toEqual([0, 1, 1, 0]);
    expect(r.reloaded).toEqual([0, 1, 1, 0]);
    expect(r.lastLoss).toBeLessThan(r.firstLoss / 10);
    // Each build is a chunk of its own, and the page fetched only the one that runs.
    expect(scripts.filter((f) => /^kernels-(simd|relaxed|threads|threads-relaxed)-/.test(f))).toHaveLength(4);
    const kernels = r.fetched.filter((p: string) => /\/kernels-/.test(p));
    expect(kernels).toHaveLength(1);
    expect(kernels[0]).toMatch(r.backend.simd === 'relaxed-simd' ? /kernels-relaxed-/ : /kernels-simd-/);
  });

  it('keeps the error names through minification: name, instanceof, String() and the stack', async () => {
    const r = await resultFrom(app.served.plain);
    expectErrorNamesKept(r);
  });
});

describe('under a Content Security Policy', () => {
  it("without 'wasm-unsafe-eval': backend 'auto' runs the JS kernels and says why; 'wasm' is an InputError that says so; loadModel is not fooled", async () => {
    const r = await resultFrom(app.served.strict);
    expect(r.backend.backend).toBe('js');
    expect(r.backend.reason).toBe("this page's Content Security Policy forbids compiling WebAssembly (its script-src lacks 'wasm-unsafe-eval'), so the pure-JS kernels run");
    expect(r.predicted).toEqual([0, 1, 1, 0]);
    expect(r.reloaded).toEqual([0, 1, 1, 0]);
    expect(r.wasmAsked.name).toBe('InputError');
    expect(r.wasmAsked.text).toMatch(/^InputError: backend: expected an engine that runs WebAssembly SIMD for 'wasm', got this page's Content Security Policy forbids compiling WebAssembly/);
    expect(r.badFile.name).toBe('ModelFormatError');
  });

  it("with 'wasm-unsafe-eval': WASM SIMD runs", async () => {
    const r = await resultFrom(app.served.allowing);
    expect(r.backend.backend).toBe('wasm');
    expect(r.predicted).toEqual([0, 1, 1, 0]);
    expect(r.wasmAsked).toBeNull();
  });
});
