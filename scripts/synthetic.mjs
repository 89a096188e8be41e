// Data with a known answer, as CSV text: Friedman's #1 regression function with noise, a
// noisy linear target and two overlapping Gaussian blobs. Seeded with a small generator of
// its own, so a file is the same on every machine; scripts/measure-defaults.mjs measures the
// command line's defaults on these, and the tests write the same files.

const names = (n, prefix = 'x') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** mulberry32: a small seeded generator, so the files are the same on every machine. */
export function generator(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

const cell = (v) => String(Number(v.toPrecision(7)));
const csvText = (header, rows) => [header.join(','), ...rows.map((r) => r.map((v) => (typeof v === 'number' ? cell(v) : v)).join(','))].join('\n') + '\n';

/** y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, 1), ten uniform features of which five matter: the best R² is about 0.96, a line gets about 0.7. */
export function friedman1(rows, seed) {
  const g = generator(seed);
  const out = [];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 10 }, g.uniform);
    const y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4] + g.normal();
    out.push([...x, y]);
  }
  return csvText([...names(10), 'y'], out);
}

/** y = Σ βᵢ xᵢ + 3 + N(0, 2²), x ~ N(0, 1), eight features of which two are noise; R² ≈ 0.9. */
export function linear(rows, seed) {
  const g = generator(seed);
  const beta = [3, -2, 1.5, 1, -0.5, 0.25, 0, 0];
  const out = [];
  for (let i = 0; i < rows; i++) {
    const x = beta.map(() => g.normal());
    out.push([...x, 3 + x.reduce((s, v, j) => s + beta[j] * v, 0) + 2 * g.normal()]);
  }
  return csvText([...names(beta.length), 'y'], out);
}

/** Two Gaussian blobs, identity covariance, centres 2.2 apart along a diagonal of five features: the best boundary is linear, ≈ 86 % accurate. */
export function blobs(rows, seed) {
  const g = generator(seed);
  const p = 5, half = 1.1 / Math.sqrt(p);
  const out = [];
  for (let i = 0; i < rows; i++) {
    const label = g.uniform() < 0.5 ? 1 : 0;
    const x = Array.from({ length: p }, () => (label ? half : -half) + g.normal());
    out.push([...x, label ? 'b' : 'a']);
  }
  return csvText([...names(p), 'y'], out);
}

