// What test/browser/vite-app reports of the two errors it provokes, checked the same way for
// every bundler: the names survive minification (InputError's came from new.target.name,
// which a minifier renames).
import { expect } from 'vitest';

export function expectErrorNamesKept(r: Record<string, any>): void {
  expect(r.badWidth.name).toBe('InputError');
  expect(r.badWidth.isInputError).toBe(true);
  expect(r.badWidth.text).toMatch(/^InputError: /);
  expect(r.badWidth.stackHead).toMatch(/^InputError: /);
  expect(r.badFile.name).toBe('ModelFormatError');
  expect(r.badFile.text).toMatch(/^ModelFormatError: bytes: expected a simdnet model/);
  expect(r.badFile.stackHead).toMatch(/^ModelFormatError: /);
}
