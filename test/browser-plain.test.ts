// No bundler: a plain module page imports the package's dist/ as a browser loads ES
// modules, and a module Web Worker does the same off the main thread; both train XOR on
// WASM SIMD in headless Chromium, and both load the model in simdnet/infer.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Launched, type Served, launchChromium, pageValue, serve } from './browser/chromium.js';
import { assertBuilt } from './cli-helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let server: Served, chrome: Launched;

beforeAll(async () => {
  assertBuilt();
  // The repository root: the page at /test/browser/plain-page/, the package at /dist/.
  server = await serve(ROOT);
  chrome = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

describe('a plain module page and a module worker', () => {
  it('both train XOR with WASM SIMD, and simdnet/infer predicts the same bits from the saved model', async () => {
    const { value: r } = await pageValue(chrome.context, `${server.url}test/browser/plain-page/index.html`);
    for (const where of ['page', 'worker']) {
      expect(r[where].ok, `${where}: ${r[where].error}`).toBe(true);
      expect(r[where].backend).toBe('wasm');
      expect(r[where].predicted).toEqual([0, 1, 1, 0]);
      expect(r[where].inferredSame, where).toBe(true);
    }
  });
});
