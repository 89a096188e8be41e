// LinearRegression's closed form on rank-deficient designs: the minimum-norm
// least-squares solution (numpy's lstsq, scikit-learn) with the intercept fitted
// apart from the norm, and a note naming the dependent columns. The references
// are computed here another way: a rank factorisation Xc = B·C (both of full
// rank) gives the pseudo-inverse Xc⁺ = Cᵀ(CCᵀ)⁻¹(BᵀB)⁻¹Bᵀ with no QR in it.
import { describe, expect, it } from 'vitest';
import { InputError, LinearRegression } from '../src/index.js';
import { Random } from '../src/random.js';

type M = number[][];
const T = (a: M): M => a[0].map((_, j) => a.map((row) => row[j]));
const mul = (a: M, b: M): M => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const col = (v: number[]): M => v.map((x) => [x]);
const centre = (a: M): M => {
  const mean = a[0].map((_, j) => a.reduce((s, r) => s + r[j], 0) / a.length);
  return a.map((r) => r.map((v, j) => v - mean[j]));
};

/** A⁻¹B by Gauss–Jordan elimination with partial pivoting (A small and well-conditioned). */
function solve(a: M, b: M): M {
  const n = a.length;
  const w = a.map((row, i) => [...row, ...b[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(w[i][k]) > Math.abs(w[p][k])) p = i;
    [w[k], w[p]] = [w[p], w[k]];
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const f = w[i][k] / w[k][k];
      for (let j = k; j < w[i].length; j++) w[i][j] -= f * w[k][j];
    }
  }
  return w.map((row, i) => row.slice(n).map((v) => v / w[i][i]));
}

/** Minimum-norm W and intercept b for x whose centred form is B·C (B n×r, C r×p, rank r each). */
function reference(B: M, C: M, x: M, y: number[]): { w: number[]; b: number } {
  const yMean = y.reduce((s, v) => s + v, 0) / y.length;
  const yc = col(y.map((v) => v - yMean));
  const w = mul(T(C), solve(mul(C, T(C)), solve(mul(T(B), B), mul(T(B), yc)))).map((r) => r[0]);
  const xMean = x[0].map((_, j) => x.reduce((s, r) => s + r[j], 0) / x.length);
  return { w, b: yMean - xMean.reduce((s, m, j) => s + m * w[j], 0) };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance);
  }
}

const rng = new Random(21);
const normals = (rows: number, cols: number): M => Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
const base = normals(60, 2);
const target = base.map((r) => 1 + 2 * r[0] - r[1] + 0.3 * rng.normal());

describe('LinearRegression closed form: full rank is unchanged', () => {
  it('matches the normal equations of [1, x] solved by elimination (1e-10); rank p, no dependent columns, no note', async () => {
    const x = normals(80, 4);
    const y = x.map((r) => 0.5 + r[0] - 3 * r[2] + 0.2 * r[3] + 0.1 * rng.normal());
    const design = x.map((r) => [1, ...r]);
    const beta = solve(mul(T(design), design), mul(T(design), col(y))).map((r) => r[0]);
    const model = await new LinearRegression().fit(x, y);
    expectClose(model.intercept, [beta[0]], 1e-10, 'intercept');
    expectClose(model.coefficients, beta.slice(1), 1e-10, 'coefficients');
    expect(model.rank).toBe(4);
    expect(model.dependentColumns).toEqual([]);
    expect(model.note).toBeNull();
  });
});

describe('LinearRegression closed form: rank-deficient designs get the minimum-norm solution', () => {
  it('a duplicated column shares the weight equally between the copies', async () => {
    const alone = await new LinearRegression().fit(base, target);
    const model = await new LinearRegression().fit(base.map((r) => [r[0], r[1], r[0]]), target);
    const [w0, w1] = alone.coefficients;
    expectClose(model.coefficients, [w0 / 2, w1, w0 / 2], 1e-12, 'coefficients');
    expectClose(model.intercept, alone.intercept, 1e-12, 'intercept');
    expect(model.rank).toBe(2);
    expect(model.dependentColumns).toEqual([2]);
    expect(model.note).toMatch(/^x: rank 2 of 3 columns .*: column 2 duplicates column 0\. .*least norm.* Dependent columns: \[2\]\.$/);
  });

  it('one-hot columns beside the intercept: b = the mean of the group means, w_c = group mean − b', async () => {
    const sizes = [7, 12, 20], level = [4, -1, 2.5];
    const x: M = [], y: number[] = [];
    sizes.forEach((size, g) => {
      for (let i = 0; i < size; i++) {
        x.push([0, 1, 2].map((c) => (c === g ? 1 : 0)));
        y.push(level[g] + 0.5 * rng.normal());
      }
    });
    const groupMean = [0, 1, 2].map((g) => y.filter((_, i) => x[i][g] === 1).reduce((s, v) => s + v, 0) / sizes[g]);
    const b = groupMean.reduce((s, v) => s + v, 0) / 3;
    const model = await new LinearRegression().fit(x, y);
    expectClose(model.intercept, [b], 1e-12, 'intercept');
    expectClose(model.coefficients, groupMean.map((m) => m - b), 1e-12, 'coefficients');
    expect(model.rank).toBe(2);
    expect(model.dependentColumns!.length).toBe(1);
    const [d] = model.dependentColumns!;
    const others = [0, 1, 2].filter((c) => c !== d);
    expect(model.note).toContain(`column ${d} is a linear combination of the intercept and columns ${others[0]} and ${others[1]}`);
  });

  it('a combined column (x2 = 3·x0 − x1) and a multi-column deficiency match the rank-factorisation pseudo-inverse (1e-10)', async () => {
    const x = base.map((r) => [r[0], r[1], 3 * r[0] - r[1]]);
    const C = [[1, 0, 3], [0, 1, -1]];
    const ref = reference(centre(base), C, x, target);
    const model = await new LinearRegression().fit(x, target);
    expectClose(model.coefficients, ref.w, 1e-10, 'coefficients');
    expectClose(model.intercept, [ref.b], 1e-10, 'intercept');
    // Any one of the three can be named (pivoting keeps the columns with the most norm); the note names the other two.
    expect(model.dependentColumns!.length).toBe(1);
    const [d] = model.dependentColumns!;
    const [i, j] = [0, 1, 2].filter((c) => c !== d);
    expect(model.note).toContain(`column ${d} is a linear combination of the intercept and columns ${i} and ${j}`);

    // Six columns of rank 3: x = B·C for random B (n×3) and C (3×6).
    const B = normals(40, 3), C6 = normals(3, 6);
    const x6 = mul(B, C6);
    const y6 = B.map((r) => r[0] - 2 * r[2] + 0.1 * rng.normal());
    const ref6 = reference(centre(B), C6, x6, y6);
    const fit6 = await new LinearRegression().fit(x6, y6);
    expectClose(fit6.coefficients, ref6.w, 1e-9, 'coefficients');
    expectClose(fit6.intercept, [ref6.b], 1e-9, 'intercept');
    expect(fit6.rank).toBe(3);
    expect(fit6.dependentColumns!.length).toBe(3);
  });

  it('more columns than rows (5×8): interpolates y, and is the pseudo-inverse solution through the Helmert basis of 1⊥', async () => {
    const n = 5, p = 8;
    const x = normals(n, p);
    const y = [1, -2, 0.5, 3, 0];
    // Helmert: n − 1 orthonormal columns orthogonal to 1, so centring is E·Eᵀ and Xc = E·(EᵀX) is a rank factorisation.
    const E = Array.from({ length: n }, (_, i) => Array.from({ length: n - 1 }, (_, k) => (i <= k ? 1 : i === k + 1 ? -(k + 1) : 0) / Math.sqrt((k + 1) * (k + 2))));
    const ref = reference(E, mul(T(E), x), x, y);
    const model = await new LinearRegression().fit(x, y);
    expectClose(model.coefficients, ref.w, 1e-10, 'coefficients');
    expectClose(model.intercept, [ref.b], 1e-10, 'intercept');
    expectClose(model.predict(x).data, y, 1e-5, 'fitted values (float32)'); // rank n − 1 with the intercept: every row is fitted
    expect(model.evaluate(x, y).mse).toBeLessThan(1e-20);
    expect(model.rank).toBe(n - 1);
    expect(model.dependentColumns!.length).toBe(p - (n - 1));
  });

  it('two rows, two columns: hand-derived w = [0.25, 0.25], b = 0.25 (column 1 is column 0 plus a constant)', async () => {
    const model = await new LinearRegression().fit([[1, 2], [3, 4]], [1, 2]);
    expectClose(model.coefficients, [0.25, 0.25], 1e-15, 'coefficients');
    expectClose(model.intercept, [0.25], 1e-15, 'intercept');
    expect(model.dependentColumns).toEqual([1]);
    expect(model.note).toContain('column 1 is a multiple of column 0 plus a constant');
  });

  it('multi-output y: each output is its own minimum-norm fit', async () => {
    const x = base.map((r) => [r[0], r[0], r[1]]);
    const y2 = base.map((r) => 2 - r[1]);
    const both = await new LinearRegression().fit(x, target.map((v, i) => [v, y2[i]]));
    const first = await new LinearRegression().fit(x, target);
    const second = await new LinearRegression().fit(x, y2);
    expectClose([0, 1, 2].map((j) => both.coefficients[j * 2]), first.coefficients, 1e-12, 'output 0');
    expectClose([0, 1, 2].map((j) => both.coefficients[j * 2 + 1]), second.coefficients, 1e-12, 'output 1');
    expectClose(both.intercept, [first.intercept[0], second.intercept[0]], 1e-12, 'intercepts');
  });

  it.each([
    ['a constant column', (r: number[]) => [r[0], 5, r[1]], [1], /column 1 is constant \(every value is 5\), which the intercept already fits/],
    ['a constant non-integer column', (r: number[]) => [r[0], 12345.678, r[1]], [1], /column 1 is constant \(every value is 12345.678\)/],
    ['a zero column', (r: number[]) => [0, r[0], r[1]], [0], /column 0 is all zeros/],
    ['two duplicates of one column', (r: number[]) => [r[1], r[0], r[1], r[1]], [2, 3], /column 2 duplicates column 0; column 3 duplicates column 0/],
  ])('%s: weight 0 on what the intercept fits, or shared equally, and the others as without it', async (_, row, dependent, note) => {
    const alone = await new LinearRegression().fit(base, target);
    const model = await new LinearRegression().fit(base.map(row), target);
    expect(model.dependentColumns).toEqual(dependent);
    expect(model.note).toMatch(note);
    const predicted = model.predict(base.map(row)).data, expected = alone.predict(base).data;
    expectClose(predicted, expected, 1e-5, 'predictions');
    if (dependent.length === 1 && !/duplicate/.test(String(note))) expect(model.coefficients[dependent[0]]).toBe(0);
  });

  it('one row: every column depends on the intercept, W = 0 and b = y', async () => {
    const model = await new LinearRegression().fit([[3, -1]], [7]);
    expect(Array.from(model.coefficients)).toEqual([0, 0]);
    expect(Array.from(model.intercept)).toEqual([7]);
    expect(model.rank).toBe(0);
    expect(model.dependentColumns).toEqual([0, 1]);
  });
});

describe('LinearRegression rcond: the rank cutoff', () => {
  const near = base.map((r) => [r[0], r[0] + 1e-9 * rng.normal()]);
  const y = near.map((r) => 1 + r[0] + r[1]);

  it('default eps·max(n, p) keeps a column that differs by 1e-9 (full rank); rcond 1e-7 calls it dependent', async () => {
    const strict = await new LinearRegression().fit(near, y);
    expect(strict.rank).toBe(2);
    expectClose(strict.coefficients, [1, 1], 1e-5, 'coefficients');
    const loose = await new LinearRegression({ rcond: 1e-7 }).fit(near, y);
    expect(loose.rank).toBe(1);
    expect(loose.dependentColumns!.length).toBe(1); // which copy is kept follows the larger norm
    expectClose(loose.coefficients, [1, 1], 1e-6, 'coefficients split equally');
  });

  it.each([
    [{ rcond: 1 }, /^options.rcond: expected a number in \[0, 1\), got 1$/],
    [{ rcond: -1e-3 }, /^options.rcond: expected a number in \[0, 1\), got -0.001$/],
    [{ rcond: '1e-7' }, /^options.rcond: expected a number in \[0, 1\), got "1e-7"$/],
    [{ solver: 'gradientDescent', rcond: 1e-7 }, /^options.rcond: expected no rcond with solver 'gradientDescent' \(it is an option of 'closedForm'\), got 1e-7$/],
  ])('rejects %o naming options.rcond', (options, message) => {
    expect(() => new LinearRegression(options as never)).toThrow(InputError);
    expect(() => new LinearRegression(options as never)).toThrow(message);
  });

  it('gradient descent reports no rank (null)', async () => {
    const gd = await new LinearRegression({ solver: 'gradientDescent', epochs: 2, backend: 'js' }).fit(base, target);
    expect(gd.rank).toBeNull();
    expect(gd.dependentColumns).toBeNull();
    expect(gd.note).toBeNull();
  });
});
