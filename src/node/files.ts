// Model files on disk. A save writes a temporary file beside the target and
// renames it over the target, so a failed or interrupted save never leaves a
// half-written model.

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type LoadOptions, loadModel } from '../io/load.js';
import type { Sequential } from '../model.js';

export async function saveModelFile(model: Sequential, path: string): Promise<void> {
  await writeFileAtomic(path, model.save());
}

/** Write to a temporary file beside `path`, then rename it over `path`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export async function loadModelFile(path: string, options: LoadOptions = {}): Promise<Sequential> {
  return loadModel(new Uint8Array(await readFile(path)), options);
}
