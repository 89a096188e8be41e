// What every public entry may end in: a result, or a SimdnetError whose message
// starts with the argument or the file's field it is about. Anything else fails
// the property with the original error.
import { afterAll, expect } from 'vitest';
import { DivergenceError, InputError, ModelFormatError, ResourceError, SimdnetError } from '../../src/index.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SimdnetError };

/** Longest a single call may take: a header's word must never buy seconds of work. */
const SLOW_MS = 2000;

/** Results and rejections per test, so a run shows that its cases reach past the first check. */
const tally = new Map<string, { results: number; errors: Map<string, number> }>();
afterAll(() => {
  if (!process.env.SIMDNET_FUZZ_RUNS) return;
  for (const [test, t] of tally) {
    const rejected = [...t.errors.values()].reduce((a, b) => a + b, 0);
    const top = [...t.errors].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`${test}: ${t.results} results, ${rejected} rejections, ${t.errors.size} kinds; most common:\n${top.map(([about, n]) => `  ${n}  ${about}`).join('\n')}`);
  }
});

function count(r: Outcome<unknown>): void {
  const test = expect.getState().currentTestName ?? '?';
  const t = tally.get(test) ?? { results: 0, errors: new Map() };
  tally.set(test, t);
  if (r.ok) t.results++;
  else {
    // What the message is about, without the values: "ModelFormatError header.layers[0]: Dense units".
    const about = `${r.error.name} ${r.error.message.split(/: expected|, got|\(/)[0].replace(/\d+/g, 'N').slice(0, 60)}`;
    t.errors.set(about, (t.errors.get(about) ?? 0) + 1);
  }
}

export async function outcome<T>(call: () => T | Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  let result: Outcome<T>;
  try {
    result = { ok: true, value: await call() };
  } catch (e) {
    if (!(e instanceof SimdnetError)) throw new Error(`expected a result or a SimdnetError, got ${describeError(e)}`);
    if (!namesItsSubject(e)) throw new Error(`expected a message that names its argument or field and what was expected, got ${e.name}: ${e.message}`);
    result = { ok: false, error: e };
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS) throw new Error(`expected an answer within ${SLOW_MS} ms, took ${ms.toFixed(0)} ms`);
  count(result);
  return result;
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e);
}

/** "field: expected …", "header.layers[0]: Dense units: expected …", "layers[1] (Dense 4→1): expected …". */
function namesItsSubject(e: SimdnetError): boolean {
  // Quoted parts are names from the input ("0.kernel", a layer type) and may hold anything.
  const subject = /^(?:[\w$.[\]' →()×-]|"(?:[^"\\]|\\.)*"){1,120}?: /.test(e.message);
  if (e instanceof InputError || e instanceof ModelFormatError) return subject && /expected/.test(e.message);
  if (e instanceof ResourceError || e instanceof DivergenceError) return subject;
  return subject;
}
