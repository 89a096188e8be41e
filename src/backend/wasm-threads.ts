// Worker threads for the threads build of the kernels. Each worker instantiates the
// same compiled module over the model's shared memory and parks in workerLoop(block)
// until the model's own instance posts part of a large product into that block
// (assembly/parallel.ts). Node's worker_threads, or Web Workers on a cross-origin-isolated
// page (shared memory needs the isolation); elsewhere `threads` stays 1 and says why.

/** Bytes of one worker's job block (assembly/parallel.ts: JOB_BYTES). */
export const JOB_BYTES = 64;
/** Where the job blocks start; the engine's arena begins after them. */
export const JOB_BLOCKS_AT = 64;

/** Pages the shared memory may grow to (a shared memory needs a maximum; asconfig.json's threads target says the same). */
export const SHARED_MAX_PAGES = 32768;

/** The job state a worker leaves when its loop traps (assembly/parallel.ts: FAILED): the caller then traps too. */
const FAILED = 4;

// A dynamic import works whether Node runs this eval'd source as CommonJS or, under a
// parent's --input-type=module (which workers inherit), as a module; require does not.
const WORKER_SOURCE = `
import('node:worker_threads').then(({ parentPort, workerData }) => {
  const { module, memory, block } = workerData;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  parentPort.postMessage('ready');
  try {
    instance.exports.workerLoop(block);
  } catch (error) {
    const state = new Int32Array(memory.buffer, block, 1);
    Atomics.store(state, 0, ${FAILED});
    throw error;
  }
});
`;

// The same life in a Web Worker (from a Blob URL, so no worker file has to be found): the
// module and the shared memory arrive by message; the worker closes once its loop returns.
const WEB_WORKER_SOURCE = `
self.onmessage = ({ data: { module, memory, block } }) => {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  self.postMessage('ready');
  try {
    instance.exports.workerLoop(block);
  } catch (error) {
    Atomics.store(new Int32Array(memory.buffer, block, 1), 0, ${FAILED});
    throw error;
  }
  self.close();
};
`;

const inNode = () => typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Why `threads` workers cannot run here, or null when they can. */
export function threadsUnavailableReason(): string | null {
  if (!inNode()) {
    if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
      return 'this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
    }
    if (typeof Worker === 'undefined') return 'this context cannot start Web Workers';
  }
  if (typeof SharedArrayBuffer === 'undefined') return 'this engine has no SharedArrayBuffer';
  return null;
}

/**
 * Starts `count` workers parked on job blocks JOB_BLOCKS_AT + i·JOB_BYTES; resolves once
 * all are running. They end when the module's stopThreadPool() tells them to.
 */
export async function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number): Promise<void> {
  if (!inNode()) return startWebWorkers(module, memory, count);
  // A computed specifier and both bundlers' ignore comments, so bundlers for the browser
  // neither resolve it nor stub it (webpack's stub would reject in a build for Node).
  const specifier = 'node:worker_threads';
  const { Worker } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
  const workers = Array.from({ length: count }, (_, i) => new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, block: JOB_BLOCKS_AT + i * JOB_BYTES } }));
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
    ),
  );
  for (const worker of workers) {
    // Parked workers must not keep the process alive when a model is never disposed.
    worker.unref();
    // A trapped worker is reported by the caller's own trap (FAILED above), not as an unhandled event.
    worker.on('error', () => {});
  }
}

/** startWorkers on a cross-origin-isolated page (or in its workers): Web Workers from a Blob URL. */
async function startWebWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number): Promise<void> {
  const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const worker = new Worker(url);
        return new Promise<void>((resolve, reject) => {
          worker.onmessage = () => resolve();
          worker.onerror = (e) => reject(new Error(`a threads worker failed to start: ${e.message}`));
          worker.postMessage({ module, memory, block: JOB_BLOCKS_AT + i * JOB_BYTES });
        });
      }),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
