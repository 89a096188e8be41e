// What `require('simdnet')` meets: simdnet is an ES module (its WASM loads with top-level
// await and import.meta.url), so CommonJS gets this error saying what to do instead of
// Node's bare ERR_REQUIRE_ESM.
const error = new Error(
  "simdnet is an ES module and cannot be loaded with require(). Use import { Sequential } from 'simdnet' " +
    "(an ES module: .mjs, or \"type\": \"module\" in package.json), or from CommonJS: const simdnet = await import('simdnet'). " +
    'Jest: run it with native ES modules (node --experimental-vm-modules node_modules/.bin/jest, and no transform for simdnet), or use Vitest. ' +
    'ts-node: use ts-node/esm (node --loader ts-node/esm), or tsx.',
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
