// Entry of the threads build (shared memory, atomics): every kernel, the interpreter
// sharing large products with workers, and the workers' side of that.
export * from "./index";
export { setThreadPool, workerLoop, stopThreadPool } from "./parallel";
