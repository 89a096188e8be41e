// The page the browser tests load: test/browser/vite-app built by Vite for production, with
// `simdnet` resolved to this package's build, into a fresh folder.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function buildApp(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'simdnet-vite-'));
  await build({
    root: join(ROOT, 'test/browser/vite-app'),
    logLevel: 'silent',
    configFile: false,
    resolve: { alias: { simdnet: join(ROOT, 'dist/index.js') } },
    build: { outDir: out, emptyOutDir: true, minify: true, target: 'es2022' },
  });
  return out;
}
