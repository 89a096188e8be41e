// Headless Chromium for the page tests: Debian's `chromium` package driven by
// playwright-core (never a downloaded browser), with the flags a closed network needs,
// a fresh profile per launch, and a static server on 127.0.0.1 for the built pages.

import { existsSync } from 'node:fs';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// playwright-core adds --headless itself (headless: true).
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Launched {
  /** The browser, with a profile of its own (a fresh user-data dir). */
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Launched> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the page tests need Debian's chromium (apt-get install chromium; .ci/run installs it)`);
  const profile = await mkdtemp(join(tmpdir(), 'simdnet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.wasm', 'application/wasm'],
  ['.json', 'application/json'],
  ['.css', 'text/css'],
]);

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serve `root` on 127.0.0.1 (a free port), each response with `headers` (COOP/COEP, CSP …). */
export async function serve(root: string, headers: Record<string, string> = {}): Promise<Served> {
  const base = normalize(root).replace(/[\\/]+$/, '');
  const server: Server = createServer(async (req, res) => {
    const path = normalize(join(base, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(base + sep) && path !== base) {
      res.writeHead(403).end();
      return;
    }
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES.get(extname(file)) ?? 'application/octet-stream', ...headers }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Opens `url` in a new tab and waits for the page to set window[name]; its value and the
 * paths the page fetched. An uncaught error in the page rejects, naming it.
 */
export async function pageValue(context: BrowserContext, url: string, name = 'result', timeout = 60_000): Promise<{ value: any; fetched: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [], fetched: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  try {
    await page.goto(url);
    try {
      await page.waitForFunction((key) => (window as any)[key] !== undefined, name, { timeout });
    } catch (e) {
      throw new Error(`${url}: window.${name} was never set (${String(e).split('\n')[0]})${errors.length > 0 ? `; errors in the page: ${errors.join('; ')}` : ''}`);
    }
    const value = await page.evaluate((key) => (window as any)[key], name);
    if (errors.length > 0) throw new Error(`${url}: errors in the page: ${errors.join('; ')}`);
    return { value, fetched };
  } finally {
    await page.close();
  }
}
