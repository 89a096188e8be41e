// Types of zoo.js for the Node tests (the page imports the JS as it is).
import type * as simdnet from '../../../src/index.js';

export function data(rows: number, cols: number, salt: number): Float32Array;
export function zoo(lib: typeof simdnet): [name: string, loss: string, layers: () => simdnet.Layer[]][];
export function trainedZoo(lib: typeof simdnet, backend: 'wasm' | 'js'): Promise<[string, simdnet.Sequential][]>;
export const ROW_COUNTS: number[];
