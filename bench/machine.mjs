// Where and on what the numbers were measured, so a reader can judge and reproduce them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/**
 * The CPU this process last ran on (Linux: field 39 of /proc/self/stat), else null.
 * The development host's two vCPUs differ for latency-bound code — a W3 step took
 * ~62 ns pinned to cpu 0 and ~100 ns pinned to cpu 1, with equal GEMM throughput — so
 * the report says where each workload began.
 */
export function currentCpu() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = Number(fields[39 - 3]);
    return Number.isInteger(cpu) ? cpu : null;
  } catch {
    return null;
  }
}
