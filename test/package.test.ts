// What `npm pack` ships: every source map's sources travel with it (the maps point at
// ../src/*.ts, so src is in the package), and the package says it has no side effects on
// import, so bundlers may drop what an app does not use (the Vite test builds with it).
// A CommonJS consumer gets an error that says what to do, or a working dynamic import;
// TypeScript's old node10 resolution finds both entries' types.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, tempDir } from './cli-helpers.js';

describe('the npm package', () => {
  it('ships the sources every source map points to, and declares no side effects', () => {
    assertBuilt();
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files = new Set<string>(pack.files.map((f: { path: string }) => f.path));
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const shipped = normalize(join(dirname(map), source));
        if (!files.has(shipped)) missing.push(`${map} → ${shipped}`);
      }
    }
    expect(missing).toEqual([]);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).sideEffects).toBe(false);
  });
});

/** A project folder whose node_modules/simdnet is this package, as an install would place it. */
async function consumer(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'node_modules'));
  await symlink(ROOT, join(dir, 'node_modules', 'simdnet'), 'dir');
  return dir;
}

describe('CommonJS and older TypeScript consumers', () => {
  it("require('simdnet'), require('simdnet/node') and require('simdnet/infer') throw an error that says what to do", async () => {
    const dir = await consumer();
    for (const entry of ['simdnet', 'simdnet/node', 'simdnet/infer']) {
      const r = spawnSync(process.execPath, ['-e', `try { require(${JSON.stringify(entry)}) } catch (e) { console.log(e.code + ' ' + e.message); process.exit(3) }`], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(3);
      expect(r.stdout).toMatch(/^ERR_REQUIRE_ESM simdnet is an ES module and cannot be loaded with require\(\)\. .*await import\('simdnet'\).*Jest: .*ts-node: /);
    }
  });

  it('a dynamic import from CommonJS works, of both entries', async () => {
    const dir = await consumer();
    const script = "Promise.all([import('simdnet'), import('simdnet/infer')]).then(async ([m, i]) => { const model = await m.Sequential.create([new m.Dense(2, 1)], { loss: 'mse' }); const net = await i.loadInference(model.save()); console.log(model.predict([[1, 2]]).data[0] === net.predict([[1, 2]]).data[0]) })";
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true');
  });

  it("TypeScript with moduleResolution node10 resolves 'simdnet', 'simdnet/node' and 'simdnet/infer'", async () => {
    assertBuilt();
    const dir = await consumer();
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node10', target: 'ES2022', strict: true, noEmit: true, types: [] }, files: ['a.ts'] }));
    await writeFile(join(dir, 'a.ts'), "import { Dense, Sequential } from 'simdnet';\nimport { loadModelFile } from 'simdnet/node';\nimport { loadInference } from 'simdnet/infer';\nexport const used = [Dense, Sequential, loadModelFile, loadInference];\n");
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir, '--skipLibCheck'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
