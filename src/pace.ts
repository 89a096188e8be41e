// How much training one backend call does, and when fit lets go of the thread.
// Calls are sized to take about SLICE_MS: tiny networks then cross into the
// backend once per many epochs, big ones once per slice of an epoch, and the
// event loop runs at least every YIELD_MS.

const SLICE_MS = 20;
const YIELD_MS = 30;
/** Largest number of epochs one call may run (the size of the per-epoch log). */
export const MAX_EPOCHS_PER_CALL = 1024;

export class Pace {
  /** `last`: when the thread was last let go (a fit's start: its checks and copies count too). */
  constructor(private last = now()) {}

  /** Batches per call while an epoch is trained in slices. */
  batchesPerSlice = 1;
  /** Whole epochs per call once an epoch is known to be shorter than a slice; 0 until then. */
  epochsPerSlice = 0;

  measuredBatches(ms: number, batches: number): void {
    this.batchesPerSlice = fit(ms / batches, this.batchesPerSlice, 1 << 20);
  }

  measuredEpochs(ms: number, epochs: number): void {
    this.epochsPerSlice = ms / epochs >= SLICE_MS ? 0 : fit(ms / epochs, this.epochsPerSlice, MAX_EPOCHS_PER_CALL);
  }

  /** Whether another slice would hold the thread past YIELD_MS since it last let go. */
  due(): boolean {
    return now() - this.last + SLICE_MS > YIELD_MS;
  }

  async yield(): Promise<void> {
    await new Promise<void>(nextTask);
    this.last = now();
  }
}

let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/**
 * Run `resolve` in a task of its own, after whatever the page or process has queued: Node's
 * setImmediate; elsewhere a MessageChannel message (a nested setTimeout is clamped to 4 ms,
 * and scheduler.yield resumes ahead of the page's own queued tasks).
 */
function nextTask(resolve: () => void): void {
  if (typeof setImmediate === 'function') {
    setImmediate(resolve);
    return;
  }
  if (typeof MessageChannel !== 'function') {
    setTimeout(resolve, 0);
    return;
  }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  waiting.push(resolve);
  channel.port2.postMessage(0);
}

/** How many units of `each` ms fill a slice; a timer too coarse to see one unit doubles the count. */
function fit(each: number, current: number, max: number): number {
  const n = each > 0 ? Math.floor(SLICE_MS / each) : Math.max(1, current) * 2;
  return Math.max(1, Math.min(max, n));
}

export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
