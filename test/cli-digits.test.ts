// The main job: `npm start` trains on the bundled UCI handwritten digits with
// the command's default settings and must reach ≥ 0.97 test accuracy on both
// backends. The whole default run takes a few seconds even on the JS kernels,
// so the suite runs exactly what `npm start` runs, once per backend.
import { describe, expect, it } from 'vitest';
import { CONTROL, DIGITS, assertBuilt, run } from './cli-helpers.js';

describe.each(['wasm', 'js'] as const)('digits with the default settings on %s', (backend) => {
  it('reaches ≥ 0.97 test accuracy and says so', async () => {
    assertBuilt();
    const { code, stdout, stderr } = await run('train', DIGITS, '--target', 'label', '--min-accuracy', '0.97', '--backend', backend);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/split: 1438 training rows, 359 test rows \(stratified, --test-split 0\.2, --seed 1\)/);
    expect(stdout).toMatch(/validation: 287 of the 1438 training rows \(stratified, --validation-split 0\.2\), the model trains on the other 1151; early stopping after 100 epochs without a lower validation loss/);
    expect(stdout).toMatch(/model: 64 → 128 relu → 10 softmax; cross-entropy; adam lr 0\.001, weight decay 0\.0001; batch 16; up to 1000 epochs\n/);
    // Early stopping ends the run: one progress line per epoch that ran, each with the validation loss.
    const epochs = stdout.split('\n').filter((l) => l.startsWith('epoch '));
    const stopped = Number(/stopped after epoch (\d+) of 1000/.exec(stdout)![1]);
    expect(epochs).toHaveLength(stopped);
    expect(stopped).toBeLessThan(1000);
    expect(epochs.every((l) => / val loss \d\.\d{4}  val accuracy \d\.\d{4} /.test(l))).toBe(true);
    expect(stdout).toMatch(new RegExp(`samples/s on the ${backend} backend`));
    expect(stdout).toMatch(/confusion matrix \(rows: true class, columns: predicted class\):\n\s+true\\pred\s+0\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\n/);
    const verdict = stdout.trim().split('\n').at(-1)!;
    expect(verdict).toMatch(/^test accuracy 0\.9\d{3} \(≥ 0\.97: passed\)$/);
    expect(Number(/test accuracy ([\d.]+)/.exec(verdict)![1])).toBeGreaterThanOrEqual(0.97);
    expect(stdout).not.toMatch(CONTROL);
  }, 60_000);
});
