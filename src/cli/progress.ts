// Progress during training. On a terminal: one live cli-progress bar over all
// batches of all epochs (epoch, batch, loss, accuracy, the validation loss and
// accuracy of the last epoch, samples/s, ETA). Anywhere
// else (CI logs, pipes, files): one plain line per epoch and no control
// characters, so the log reads the same in any viewer.

import cliProgress from 'cli-progress';
import type { Callbacks, EpochLogs } from '../callbacks.js';

export interface ProgressOptions {
  epochs: number;
  /** Training rows per epoch. */
  rows: number;
  batchSize: number;
  /** Where to write; the bar is drawn only when this stream is a terminal. */
  stream: NodeJS.WriteStream;
}

export interface Progress {
  callbacks: Callbacks;
  /** Leave the terminal clean (bar finished, cursor shown); safe to call twice. */
  stop(): void;
}

export function createProgress(o: ProgressOptions): Progress {
  return o.stream.isTTY ? barProgress(o) : lineProgress(o);
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function accuracyText(logs: EpochLogs | null): string {
  return logs?.accuracy === undefined ? '-' : logs.accuracy.toFixed(4);
}

/** "val loss 0.1234  val accuracy 0.9500", or what of it the logs have (nothing without validation). */
function validationText(logs: EpochLogs): string[] {
  const parts: string[] = [];
  if (logs.val_loss !== undefined) parts.push(`val loss ${logs.val_loss.toFixed(4)}`);
  if (logs.val_accuracy !== undefined) parts.push(`val accuracy ${logs.val_accuracy.toFixed(4)}`);
  return parts;
}

function lineProgress(o: ProgressOptions): Progress {
  const width = String(o.epochs).length;
  let started = 0;
  return {
    callbacks: {
      onTrainBegin() {
        started = performance.now();
      },
      onEpochEnd(epoch, logs) {
        const elapsed = (performance.now() - started) / 1000;
        const done = epoch + 1;
        const eta = (elapsed / done) * (o.epochs - done);
        const parts = [`epoch ${String(done).padStart(width)}/${o.epochs}`, `loss ${logs.loss.toFixed(4)}`];
        if (logs.accuracy !== undefined) parts.push(`accuracy ${accuracyText(logs)}`);
        parts.push(...validationText(logs));
        parts.push(`${Math.round((done * o.rows) / elapsed).toLocaleString('en-US')} samples/s`, `elapsed ${seconds(elapsed)}`, `ETA ${seconds(eta)}`);
        o.stream.write(parts.join('  ') + '\n');
      },
    },
    stop() {},
  };
}

function barProgress(o: ProgressOptions): Progress {
  const batches = Math.ceil(o.rows / o.batchSize);
  const bar = new cliProgress.SingleBar({
    stream: o.stream,
    format: 'epoch {epoch}/{epochs} [{bar}] batch {batch}/{batches}  loss {loss}  accuracy {accuracy}{validation}  {speed} samples/s  ETA {eta_formatted}',
    barsize: 24,
    hideCursor: true,
    etaBuffer: 4 * batches,
    fps: 12,
  });
  let epoch = 0, lossSum = 0, seen = 0, done = 0, started = 0;
  let last: EpochLogs | null = null;
  let stopped = false;
  const payload = (batch: number) => ({
    epoch: epoch + 1,
    epochs: o.epochs,
    batch,
    batches,
    loss: seen ? (lossSum / seen).toFixed(4) : '-',
    accuracy: accuracyText(last),
    validation: last ? validationText(last).map((t) => `  ${t}`).join('') : '',
    speed: done ? Math.round(done / ((performance.now() - started) / 1000)).toLocaleString('en-US') : '-',
  });
  return {
    callbacks: {
      onTrainBegin() {
        started = performance.now();
        bar.start(o.epochs * batches, 0, payload(0));
      },
      onEpochBegin(e) {
        epoch = e;
        lossSum = 0;
        seen = 0;
      },
      onBatchEnd(batch, logs) {
        // The running mean over this epoch's batches: the per-batch loss is too noisy to read.
        lossSum += logs.loss * logs.size;
        seen += logs.size;
        done += logs.size;
        bar.update(epoch * batches + batch + 1, payload(batch + 1));
      },
      onEpochEnd(_e, logs) {
        last = logs;
        bar.update(payload(batches));
      },
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
