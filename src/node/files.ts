// Model files on disk. A save writes a temporary file beside the target and
// renames it over the target, so a failed or interrupted save never leaves a
// half-written model.

import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type LoadOptions, loadModel } from '../io/load.js';
import { InputError, ModelFormatError, describe } from '../errors.js';
import { MAX_FILE_BYTES, formatBytes } from '../limits.js';
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

/**
 * A model from a .simdnet file. A file that cannot be read is an InputError naming the
 * path (the file system's error is its `cause`); one larger than any model file can be
 * is refused before it is read.
 */
export async function loadModelFile(path: string, options: LoadOptions = {}): Promise<Sequential> {
  if (typeof path !== 'string' || path === '') throw new InputError(`path: expected a file path, got ${describe(path)}`);
  let bytes: Uint8Array;
  try {
    const { size } = await stat(path);
    if (size > MAX_FILE_BYTES) throw new ModelFormatError(`${path}: expected a model file of at most ${formatBytes(MAX_FILE_BYTES)} (see the README's Limits), got ${formatBytes(size)}`);
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new InputError(`path: cannot read ${JSON.stringify(path)} (${(e as Error).message})`, { cause: e });
  }
  return loadModel(bytes, options);
}
