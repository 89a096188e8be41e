// The defaults of `simdnet train` hold on small data with a known answer: the measurement
// behind the README's table (scripts/measure-defaults.mjs), on three of its ten seeds, must
// find no run far below linear or logistic regression on the same split. The script's own
// table is printed on failure, so a regression shows which dataset and seed it hit.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, assertBuilt } from './cli-helpers.js';

describe('simdnet train defaults', () => {
  it('land no run far below the linear/logistic baseline on Friedman #1, a linear target, blobs and iris (seeds 1–3)', () => {
    assertBuilt();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/measure-defaults.mjs'), '--seeds', '1-3', '--only', 'friedman1,friedman1-100,linear,blobs,iris'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^no run far below the baseline \(15 runs, /m);
    expect(r.status, r.stdout).toBe(0);
    // Where the network has room to win, it does: Friedman #1 on 300 rows, median over the seeds.
    const friedman = /^\| friedman1 +\| 300 .*?\| ([+-][\d.]+) \/ ([+-][\d.]+) \/ ([+-][\d.]+) +\|/m.exec(r.stdout);
    expect(friedman, r.stdout).not.toBeNull();
    expect(Number(friedman![2])).toBeGreaterThan(0.05);
  }, 120_000);
});
