// Running the built command as a user would: `node dist/cli/main.js …` in a
// child process with pipes (so stdout is not a terminal), plus temp-dir data.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain ESM script without type declarations
import { friedman1 } from '../scripts/synthetic.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MAIN = join(ROOT, 'dist/cli/main.js');
export const DIGITS = join(ROOT, 'datasets/digits/digits.csv');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
}

/** Start the command; `onStdout` sees the output as it arrives. */
export function start(args: string[], cwd = ROOT, onStdout?: (text: string, child: ChildProcess) => void): Promise<Run> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIMDNET_DEBUG: '' } });
  let stdout = '', stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    onStdout?.(stdout, child);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const run = (...args: string[]): Promise<Run> => start(args);

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'simdnet-cli-'));
}

const SPECIES = ['setosa', 'versicolor', 'virginica'];

/** Every other row of the shipped Iris (75 rows), with species names as the target. */
export async function writeIris(dir: string, name = 'iris.csv'): Promise<string> {
  const lines = (await readFile(join(ROOT, 'datasets/iris/iris.csv'), 'utf8')).trim().split('\n');
  const rows = lines.slice(1).filter((_, i) => i % 2 === 0).map((line) => {
    const cells = line.split(',');
    return [...cells.slice(0, 4), SPECIES[Number(cells[4])]].join(',');
  });
  const path = join(dir, name);
  await writeFile(path, ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows].join('\n') + '\n');
  return path;
}

/** y = 3a − 2b + 0.5c + 10 plus a little noise, 200 rows. */
export async function writeLinear(dir: string): Promise<string> {
  let s = 12345;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const rows = ['a,b,c,y'];
  for (let i = 0; i < 200; i++) {
    const a = rnd() * 10, b = rnd() * 5, c = rnd() * 2;
    rows.push([a, b, c, 3 * a - 2 * b + 0.5 * c + 10 + (rnd() - 0.5) * 0.1].map((v) => v.toFixed(4)).join(','));
  }
  const path = join(dir, 'linear.csv');
  await writeFile(path, rows.join('\n') + '\n');
  return path;
}

/**
 * Friedman's #1 regression problem (scripts/synthetic.mjs): ten uniform features, of which
 * five matter; the best possible R² is about 0.96, a linear fit reaches about 0.7. The file
 * scripts/measure-defaults.mjs measured the defaults on, for the same rows and seed.
 */
export async function writeFriedman(dir: string, rows = 300, seed = 101, name = 'friedman1.csv'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, friedman1(rows, seed));
  return path;
}

/** Any byte a terminal would act on: escapes, carriage returns, tabs, bells … everything below space but \n. */
export const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;
