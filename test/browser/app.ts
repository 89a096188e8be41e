// The pages the browser tests load: test/browser/vite-app (or infer-app) built by Vite for
// production, with `simdnet` and `simdnet/infer` resolved to this package's build, into a
// fresh folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { type Launched, type Served, launchChromium, serve } from './chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function buildApp(app = 'vite-app'): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'simdnet-vite-'));
  await build({
    root: join(ROOT, 'test/browser', app),
    logLevel: 'silent',
    configFile: false,
    resolve: {
      alias: [
        { find: /^simdnet\/infer$/, replacement: join(ROOT, 'dist/infer/index.js') },
        { find: /^simdnet$/, replacement: join(ROOT, 'dist/index.js') },
      ],
    },
    build: { outDir: out, emptyOutDir: true, minify: true, target: 'es2022' },
  });
  return out;
}

/** The built app served under each set of response headers, and a browser to open it in. */
export interface ServedApp {
  /** The build's folder. */
  out: string;
  chrome: Launched;
  served: Record<string, Served>;
  close(): Promise<void>;
}

export async function serveApp(variants: Record<string, Record<string, string>>, app = 'vite-app', prepare?: (out: string) => Promise<void>): Promise<ServedApp> {
  const out = await buildApp(app);
  await prepare?.(out);
  const served: Record<string, Served> = {};
  for (const [name, headers] of Object.entries(variants)) served[name] = await serve(out, headers);
  const chrome = await launchChromium();
  return {
    out,
    chrome,
    served,
    async close() {
      await chrome.close();
      for (const s of Object.values(served)) await s.close();
      await rm(out, { recursive: true, force: true });
    },
  };
}
