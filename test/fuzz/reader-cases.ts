// The byte-level cases of the model-file fuzzing, shared by the full reader's test
// (fuzz-reader.test.ts) and the inference entry's (fuzz-infer.test.ts): each calls `read`
// on every case, which judges the outcome.
import fc from 'fast-check';
import { applyEdits, edits, headerText, weight } from './arbitraries.js';
import { fuzz } from './settings.js';
import { rawModel, withCrc } from '../helpers/model-bytes.js';

type Read = (bytes: Uint8Array) => Promise<void>;

/** Random bytes, with or without the magic and version in front, the checksum fixed or not. */
export async function randomBytes(read: Read, cases: number): Promise<void> {
  const prefix = fc.constantFrom(new Uint8Array(0), new TextEncoder().encode('SIMDNET\0'), Uint8Array.of(...new TextEncoder().encode('SIMDNET\0'), 1, 0, 0, 0));
  await fc.assert(
    fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (head, tail, crc) => {
      const bytes = Uint8Array.of(...head, ...tail);
      await read(crc ? withCrc(bytes) : bytes);
    }),
    fuzz(cases),
  );
}

/** Valid files with bytes flipped, set, inserted, deleted or cut, the checksum recomputed or not. */
export async function damagedFiles(read: Read, files: readonly Uint8Array[], cases: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: files.length - 1 }), edits, fc.boolean(), async (which, list, crc) => {
      const damaged = applyEdits(files[which], list);
      await read(crc ? withCrc(damaged) : damaged);
    }),
    fuzz(cases),
  );
}

/** Hostile headers behind a valid envelope and checksum. */
export async function hostileHeaders(read: Read, cases: number): Promise<void> {
  const weights = fc.oneof(
    // As many float32 values as the header declares, when it declares few; else any count.
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(weight, { maxLength: 64 }) },
  );
  await fc.assert(
    fc.asyncProperty(headerText, weights, fc.array(weight, { minLength: 64, maxLength: 64 }), async (text, given, pool) => {
      let values = given;
      // The fixed fields say the version the header does (version 2 when it says none that fits).
      let version = 2;
      try {
        version = JSON.parse(text).version === 1 ? 1 : 2;
      } catch {}
      if (values === null) {
        let declared = 0;
        try {
          const h = JSON.parse(text);
          const lists = [h.params, h.state].filter(Array.isArray);
          declared = lists.flat().reduce((n: number, p: { length?: unknown }) => n + (Number.isInteger(p?.length) ? (p.length as number) : 0), 0);
        } catch {}
        values = declared <= 4096 ? Array.from({ length: declared }, (_, i) => pool[i % pool.length]) : pool;
      }
      await read(rawModel(text, Float32Array.from(values), version));
    }),
    fuzz(cases),
  );
}
