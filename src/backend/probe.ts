// What the engine can run, found by validating few-byte modules, whether a failed
// compile was the page's policy, and the embedded builds' bytes (gzip in base64,
// scripts/embed-wasm.mjs): shared by the trainer's backend and the inference entry,
// which must not import it.

export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
}

/**
 * A module of one function () → v128 that pushes `operands` zero vectors and applies the
 * SIMD instruction `op` (its opcode after the 0xfd prefix, as LEB128 bytes): it validates
 * exactly where the engine has that instruction.
 */
function probe(operands: number, op: number[]): Uint8Array {
  const zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = [0x00, ...Array.from({ length: operands }, () => zero).flat(), 0xfd, ...op, 0x0b];
  const code = [0x01, body.length, ...body];
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, code.length, ...code]);
}

/** f32x4.add (0xfd 0xe4 0x01): 128-bit SIMD. */
export const hasSimd = (): boolean => hasWebAssembly() && WebAssembly.validate(probe(2, [0xe4, 0x01]) as BufferSource);
/** f32x4.relaxed_madd (0xfd 0x85 0x02): relaxed SIMD (Chromium, newer Node; Node 20 only behind a flag). */
export const hasRelaxedSimd = (): boolean => hasWebAssembly() && WebAssembly.validate(probe(3, [0x85, 0x02]) as BufferSource);

/** Whether this engine can unpack the embedded builds (DecompressionStream: Node 18, Chrome 80, Safari 16.4, Firefox 113). */
export const hasGunzip = (): boolean => typeof DecompressionStream === 'function' && typeof Blob === 'function' && typeof Response === 'function';

/** A module's bytes from its gzip in base64. */
export async function moduleBytes(gzipBase64: string): Promise<Uint8Array> {
  const text = atob(gzipBase64);
  const packed = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A refusal to compile from the page's Content Security Policy, as engines word it (a
 * CompileError or an EvalError: Chromium names the policy and 'unsafe-eval', Firefox "CSP").
 */
export function refusedByPolicy(e: unknown): boolean {
  return e instanceof Error && /Content Security Policy|unsafe-eval|CSP/i.test(e.message);
}
