// The module's shape: JS owns the memory, so the module may import nothing but
// it and must carry no data segment (AssemblyScript's std math places lookup
// tables at fixed addresses, which the arena would overwrite). Every embedded
// build is held to it: plain SIMD, relaxed SIMD, and the threads build (shared memory).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

function sectionIds(b: Uint8Array): number[] {
  const ids: number[] = [];
  for (let at = 8; at < b.length; ) {
    ids.push(b[at++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = b[at++];
      size |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    at += size;
  }
  return ids;
}

for (const file of ['kernels.wasm', 'kernels.relaxed.wasm', 'kernels.threads.wasm']) {
  it(`${file} imports only env.memory and has no data section`, () => {
    const bytes = readFileSync(new URL(`../build/${file}`, import.meta.url));
    // Node 20 compiles the relaxed build only behind --experimental-wasm-relaxed-simd.
    if (WebAssembly.validate(bytes)) {
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    }
    const DATA = 11, DATA_COUNT = 12;
    const ids = sectionIds(bytes);
    expect(ids).toContain(10); // the code section, so the parse walked the real module
    expect(ids).not.toContain(DATA);
    expect(ids).not.toContain(DATA_COUNT);
  });
}
