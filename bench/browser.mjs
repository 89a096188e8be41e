// `npm run bench:browser`: W1, W2 and W4 in headless Chromium (Debian's chromium, driven by
// playwright-core; scripts/ensure-chromium.sh installs it when missing), simdnet against
// TF.js's wasm backend in the same cross-origin-isolated page; the results go into
// bench/browser-results.json and their section of bench/RESULTS.md.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { browserSection, withBrowserSection } from './browser-report.mjs';
import { machine } from './machine.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const tfjsWasm = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));

const out = mkdtempSync(join(tmpdir(), 'simdnet-bench-'));
const profile = mkdtempSync(join(tmpdir(), 'simdnet-bench-chromium-'));
let server, context;
try {
  await build({
    root: join(here, 'browser'),
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: [{ find: /^simdnet$/, replacement: join(root, 'dist/index.js') }] },
    build: { outDir: out, emptyOutDir: true, minify: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  });
  mkdirSync(join(out, 'tfjs'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tf-backend-wasm.es2017.min.js']) copyFileSync(join(tfjsWasm, f), join(out, 'tfjs', f));
  for (const pkg of ['core', 'layers']) copyFileSync(join(dirname(require.resolve(`@tensorflow/tfjs-${pkg}`)), `tf-${pkg}.es2017.min.js`), join(out, 'tfjs', `tf-${pkg}.es2017.min.js`));

  // Isolated (COOP + COEP): SharedArrayBuffer, so both libraries may run threads.
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  server = createServer((req, res) => {
    const path = join(out, new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html'));
    if (!path.startsWith(out)) return void res.writeHead(403).end();
    let body;
    try {
      body = readFileSync(path);
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/${values.quick ? '?quick' : ''}`;

  const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: flags });
  const page = await context.newPage();
  page.on('console', (m) => console.log(`page: ${m.text()}`));
  page.on('pageerror', (e) => console.error(`page error: ${e}`));
  await page.exposeFunction('report', (line) => console.log(line));
  console.log(`bench:browser: ${url}`);
  await page.goto(url);
  const result = await page.evaluate(async () => {
    // The page's own log, echoed as it grows.
    const pre = document.getElementById('log');
    let shown = 0;
    const timer = setInterval(() => {
      const text = pre.textContent;
      if (text.length > shown) window.report(text.slice(shown).trimEnd());
      shown = text.length;
    }, 500);
    const r = await window.bench;
    clearInterval(timer);
    return r;
  });
  if (result.error) throw new Error(result.error);
  const tfjs = JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs-core/package.json'), 'utf8')).version;
  const saved = { meta: { ...machine(), tfjs }, result };
  if (values.quick) {
    console.log(browserSection(saved));
  } else {
    writeFileSync(join(here, 'browser-results.json'), JSON.stringify(saved, null, 2) + '\n');
    const file = join(here, 'RESULTS.md');
    writeFileSync(file, withBrowserSection(readFileSync(file, 'utf8'), browserSection(saved)));
    console.log(`Wrote ${file} (its browser section) and bench/browser-results.json`);
  }
} finally {
  await context?.close();
  server?.close();
  rmSync(out, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
