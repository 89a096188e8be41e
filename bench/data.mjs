// Seeded synthetic data, so every contender and every run sees the same rows.

/** mulberry32: small, fast, and identical on every platform. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rows in [0, 1) labelled by the argmax of a fixed random projection, so the
 * task is learnable and a falling loss shows training really happens.
 */
export function classification(rows, cols, classes, seed) {
  const next = rng(seed);
  const x = new Float32Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const w = new Float32Array(cols * classes);
  for (let i = 0; i < w.length; i++) w[i] = next() - 0.5;
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0, bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += x[r * cols + k] * w[k * classes + c];
      if (s > bestScore) { bestScore = s; best = c; }
    }
    labels[r] = best;
  }
  return { x, labels, rows, cols, classes, oneHot: oneHot(labels, classes) };
}

export function oneHot(labels, classes) {
  const t = new Float32Array(labels.length * classes);
  labels.forEach((c, r) => { t[r * classes + c] = 1; });
  return t;
}

export const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const XOR_Y = [0, 1, 1, 0];

/** The four XOR rows repeated so one pass over them is `steps` per-sample steps. */
export function xorTiled(steps) {
  const x = new Float32Array(steps * 2);
  const y = new Float32Array(steps);
  for (let i = 0; i < steps; i++) {
    x.set(XOR_X[i % 4], i * 2);
    y[i] = XOR_Y[i % 4];
  }
  return { x, labels: null, oneHot: y, rows: steps, cols: 2, classes: 1 };
}

/** The first `rows` rows of a data set (views, no copies). */
export function head(data, rows) {
  return {
    ...data,
    rows,
    x: data.x.subarray(0, rows * data.cols),
    labels: data.labels?.subarray(0, rows) ?? null,
    oneHot: data.oneHot.subarray(0, rows * data.classes),
  };
}
