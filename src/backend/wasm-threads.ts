// Worker threads for the threads build of the kernels. Each worker instantiates the
// same compiled module over the model's shared memory and parks in workerLoop(block)
// until the model's own instance posts part of a large product into that block
// (assembly/parallel.ts). Node's worker_threads only: browsers would need
// cross-origin isolation and a worker script URL, so there `threads` stays 1.

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

/** Why `threads` workers cannot run here, or null when they can. */
export function threadsUnavailableReason(): string | null {
  const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!node) return 'worker threads are only used in Node (browsers need cross-origin isolation)';
  if (typeof SharedArrayBuffer === 'undefined') return 'this engine has no SharedArrayBuffer';
  return null;
}

/**
 * Starts `count` workers parked on job blocks JOB_BLOCKS_AT + i·JOB_BYTES; resolves once
 * all are running. They end when the module's stopThreadPool() tells them to.
 */
export async function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number): Promise<void> {
  // A computed specifier, so bundlers for the browser do not try to resolve it.
  const specifier = 'node:worker_threads';
  const { Worker } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
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
