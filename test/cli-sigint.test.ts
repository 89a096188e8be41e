// Ctrl-C during `simdnet train --out m.simdnet`: training stops after the
// current batch, the command exits with 130, and neither a model file nor a
// temporary file is left behind; a model already at that path stays untouched.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIGITS, assertBuilt, start, tempDir } from './cli-helpers.js';

async function interruptedTrain(out: string) {
  let sent = false;
  // Far more epochs than the test waits for: the interrupt surely lands mid-training.
  return start(['train', DIGITS, '--target', 'label', '--backend', 'js', '--epochs', '100000', '--out', out], undefined, (text, child) => {
    if (!sent && /^epoch +2\//m.test(text)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
}

describe('simdnet train interrupted by SIGINT', () => {
  it('exits 130 and leaves no model and no temporary file', async () => {
    assertBuilt();
    const dir = await tempDir();
    const r = await interruptedTrain(join(dir, 'model.simdnet'));
    expect(r.stdout).toMatch(/^epoch +2\//m);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('simdnet: interrupted during training; no model written\n');
    expect(await readdir(dir)).toEqual([]);
  }, 60_000);

  it('leaves an existing model file as it was', async () => {
    const dir = await tempDir();
    const out = join(dir, 'model.simdnet');
    await writeFile(out, 'the previous model');
    const r = await interruptedTrain(out);
    expect(r.code).toBe(130);
    expect(await readdir(dir)).toEqual(['model.simdnet']);
    expect(await readFile(out, 'utf8')).toBe('the previous model');
  }, 60_000);
});
