// Where and on what the numbers were measured, so a reader can judge and reproduce them.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machine() {
  const cpus = os.cpus();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain']);
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    commit: commit ? commit + (dirty ? '+dirty' : '') : 'unknown',
    // A shared machine: the load when the run began says how noisy it may be.
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  };
}

