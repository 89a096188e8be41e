// Where the WASM builds come from. By default each is embedded in a module of its own and
// imported when it is first needed (bundlers make it a chunk, fetched on demand); a host
// where that cannot work — no dynamic import, a single-file bundle, a policy against
// inline data — gives the bytes or a URL of each build instead. The raw builds ship in
// dist/wasm/ (scripts/embed-wasm.mjs), named as KERNEL_FILES says.

import { InputError, SimdnetError, describe } from '../errors.js';

/** The builds: the trainer's four (one thread and threads, plain and relaxed SIMD) and simdnet/infer's two. */
export type KernelBuild = 'simd128' | 'relaxed-simd' | 'threads' | 'threads-relaxed-simd' | 'infer-simd128' | 'infer-relaxed-simd';

/** What a build's bytes may be given as. */
export type KernelSource = Uint8Array | ArrayBuffer | Response | URL | string;

/** The file of each build in the package's dist/wasm/. */
export const KERNEL_FILES: ReadonlyMap<KernelBuild, string> = new Map([
  ['simd128', 'kernels.wasm'],
  ['relaxed-simd', 'kernels.relaxed.wasm'],
  ['threads', 'kernels.threads.wasm'],
  ['threads-relaxed-simd', 'kernels.threads.relaxed.wasm'],
  ['infer-simd128', 'infer.wasm'],
  ['infer-relaxed-simd', 'infer.relaxed.wasm'],
]);

type Provider = (build: KernelBuild, file: string) => KernelSource | Promise<KernelSource>;

let provider: Provider | null = null;
let generation = 0;

/**
 * Take the WASM builds from `source` instead of the embedded ones: a function given each
 * build's name and file (`'relaxed-simd'`, `'kernels.relaxed.wasm'`) that returns its bytes,
 * a Response or a URL, or a base URL where the files of dist/wasm/ are served. null goes
 * back to the embedded builds. Models created afterwards use it.
 */
export function setKernelSource(source: Provider | URL | string | null): void {
  if (source === null) provider = null;
  else if (typeof source === 'function') provider = source;
  else if (typeof source === 'string' || source instanceof URL) {
    const base = String(source).endsWith('/') ? String(source) : `${source}/`;
    provider = (_, file) => new URL(file, new URL(base, (globalThis as { location?: { href?: string } }).location?.href));
  } else throw new InputError(`source: expected a function (build, file) → bytes or URL, a base URL, or null, got ${describe(source)}`);
  generation++;
}

/** Whether setKernelSource gave a source (then no embedded build is unpacked). */
export function hasKernelSource(): boolean {
  return provider !== null;
}

/** Changes whenever the source does: a cached module is for one generation. */
export function kernelSourceGeneration(): number {
  return generation;
}

/** The bytes `setKernelSource` says `build` has, or null for the embedded build. */
export async function providedBytes(build: KernelBuild): Promise<Uint8Array | null> {
  if (!provider) return null;
  const file = KERNEL_FILES.get(build) as string;
  const at = `kernels ${build} (${file})`;
  let got: unknown;
  try {
    got = await provider(build, file);
    if (typeof got === 'string' || got instanceof URL) got = await fetch(got);
    if (typeof Response !== 'undefined' && got instanceof Response) {
      if (!got.ok) throw new Error(`a response with status ${got.status} from ${got.url || 'its URL'}`);
      got = new Uint8Array(await got.arrayBuffer());
    }
  } catch (e) {
    throw new SimdnetError(`${at}: expected bytes from the source setKernelSource gave, got ${(e as Error)?.message ?? describe(e)}`);
  }
  if (got instanceof ArrayBuffer) got = new Uint8Array(got);
  if (!(got instanceof Uint8Array)) throw new SimdnetError(`${at}: expected a Uint8Array, an ArrayBuffer, a Response or a URL from the source setKernelSource gave, got ${describe(got)}`);
  if (!WebAssembly.validate(got as BufferSource)) throw new SimdnetError(`${at}: expected a WebAssembly module this engine validates, got ${got.length} bytes that are not one (the wrong file, or relaxed SIMD where the engine has none)`);
  return got;
}
