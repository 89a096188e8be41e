// The lecture's classic models with the numbers stated: linear regression in
// closed form and by gradient descent, logistic regression, Rosenblatt's
// perceptron, and the 2→2→1 MLP whose hand-derived backprop rules must match
// one step of the library.
import { describe, expect, it } from 'vitest';
import { Dense, InputError, LinearRegression, LogisticRegression, Perceptron, Sequential } from '../src/index.js';
import { loadDataset, standardizer, takeRows } from '../src/node/index.js';
import { Random } from '../src/random.js';

const BACKENDS = ['js', 'wasm'] as const;

/** y = 3 + 2·x0 − 1·x1 + 0.5·x2 + N(0, 0.1²) on standard-normal features (already standardized, well-conditioned). */
const TRUE_W = [2, -1, 0.5];
const TRUE_B = 3;
function synthetic(n: number, seed: number, noise = 0.1): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.normal(), rng.normal(), rng.normal()];
    x.push(row);
    y.push(TRUE_B + row.reduce((s, v, j) => s + v * TRUE_W[j], 0) + noise * rng.normal());
  }
  return { x, y };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance);
  }
}

async function rejection(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describe('LinearRegression', () => {
  const { x, y } = synthetic(200, 11);

  it('closed form recovers the generating coefficients (±0.05) with MSE ≈ noise variance 0.01 and R² > 0.99', async () => {
    const model = await new LinearRegression().fit(x, y);
    expectClose(model.coefficients, TRUE_W, 0.05, 'coefficients');
    expectClose(model.intercept, [TRUE_B], 0.05, 'intercept');
    const { mse, r2 } = model.evaluate(x, y);
    expect(mse).toBeGreaterThan(0.005);
    expect(mse).toBeLessThan(0.02);
    expect(r2).toBeGreaterThan(0.99);
    expect(model.score(x, y)).toBe(r2);
    expect(model.history).toBeNull();
  });

  it('closed form is exact on noiseless data (1e-12) and stable on a nearly collinear full-rank design (1e-6)', async () => {
    const exact = await new LinearRegression().fit(x, synthetic(200, 11, 0).y);
    expectClose(exact.coefficients, TRUE_W, 1e-12, 'coefficients');
    // b = a + 1e-5·e: κ(X) ≈ 1e5. QR loses ~κ·ε ≈ 1e-11; the normal equations (κ² ≈ 1e10) would lose ~1e-6.
    const rng = new Random(5);
    const near = x.map((r) => [r[0], r[0] + 1e-5 * rng.normal()]);
    const fit = await new LinearRegression().fit(near, near.map((r) => 1 + 2 * r[0] + 3 * r[1]));
    expectClose(fit.coefficients, [2, 3], 1e-6, 'coefficients');
    expectClose(fit.intercept, [1], 1e-6, 'intercept');
  });

  it('multi-output Y (n×2) gives each output the coefficients of its own fit', async () => {
    const y2 = x.map((r) => 1 - r[1] + 4 * r[2]);
    const both = await new LinearRegression().fit(x, x.map((_, i) => [y[i], y2[i]]));
    const first = await new LinearRegression().fit(x, y);
    const second = await new LinearRegression().fit(x, y2);
    // coefficients are [feature][output] row-major.
    expectClose([0, 1, 2].map((j) => both.coefficients[j * 2]), first.coefficients, 1e-12, 'output 0');
    expectClose([0, 1, 2].map((j) => both.coefficients[j * 2 + 1]), second.coefficients, 1e-12, 'output 1');
    expectClose(both.intercept, [first.intercept[0], second.intercept[0]], 1e-12, 'intercepts');
    expect(both.predict(x).shape).toEqual([200, 2]);
  });

  describe.each(BACKENDS)('gradient descent on %s', (backend) => {
    it('full-batch GD (lr 0.1, 300 epochs) agrees with the closed form to 1e-4', async () => {
      const closed = await new LinearRegression().fit(x, y);
      const gd = await new LinearRegression({ solver: 'gradientDescent', lr: 0.1, epochs: 300, batchSize: 200, backend }).fit(x, y);
      expectClose(gd.coefficients, closed.coefficients, 1e-4, 'coefficients');
      expectClose(gd.intercept, closed.intercept, 1e-4, 'intercept');
      expect(gd.evaluate(x, y).mse).toBeCloseTo(closed.evaluate(x, y).mse, 6);
      const losses = gd.history!.history.loss;
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 100);
    });

    it('mini-batch SGD (batch 16, lr 0.02, 100 epochs) lands within 0.02 of the closed form', async () => {
      const closed = await new LinearRegression().fit(x, y);
      const sgd = await new LinearRegression({ solver: 'gradientDescent', lr: 0.02, epochs: 100, batchSize: 16, seed: 3, backend }).fit(x, y);
      expectClose(sgd.coefficients, closed.coefficients, 0.02, 'coefficients');
      expectClose(sgd.intercept, closed.intercept, 0.02, 'intercept');
    });
  });

  it('a singular design is fitted, not refused: the minimum-norm solution and a note (test/classic-least-squares.test.ts has the cases)', async () => {
    const model = await new LinearRegression().fit(x.map((r) => [r[0], r[1], r[0]]), y);
    expect(model.dependentColumns).toEqual([2]);
    expect(model.note).toMatch(/column 2 duplicates column 0/);
    expect(model.coefficients[0]).toBeCloseTo(model.coefficients[2], 12);
  });
});

describe('LogisticRegression', () => {
  // Separable: class 1 when a + 2b > 0.5, with a margin of 0.2 around the line.
  const rng = new Random(9);
  const sx: number[][] = [], sy: number[] = [];
  while (sx.length < 200) {
    const a = rng.next() * 4 - 2, b = rng.next() * 4 - 2, z = a + 2 * b - 0.5;
    if (Math.abs(z) < 0.2) continue;
    sx.push([a, b]);
    sy.push(z > 0 ? 1 : 0);
  }

  const iris = loadDataset('iris');
  const train = takeRows(iris.x, iris.y, iris.train);
  const test = takeRows(iris.x, iris.y, iris.test);
  const scale = standardizer(train.x);

  describe.each(BACKENDS)('on %s', (backend) => {
    it('binary (one sigmoid unit) separates a separable set perfectly; P in [0, 1], rows sum to 1', async () => {
      const model = await new LogisticRegression({ lr: 0.5, epochs: 200, batchSize: 8, backend }).fit(sx, sy);
      expect(model.classes).toBe(2);
      expect(model.backendInfo().backend).toBe(backend);
      expect(model.coefficients.length).toBe(2); // one unit: [feature][1]
      expect(model.score(sx, sy)).toBe(1);
      // The boundary w·x + b = 0 lies along a + 2b = 0.5: w1/w0 ≈ 2 and b/w0 ≈ −0.5.
      const [w0, w1] = model.coefficients;
      expect(w1 / w0).toBeCloseTo(2, 0);
      expect(model.intercept[0] / w0).toBeCloseTo(-0.5, 0);
      const proba = model.predictProba(sx);
      expect(proba.shape).toEqual([200, 2]);
      const classes = model.predict(sx);
      for (let r = 0; r < 200; r++) {
        const [p0, p1] = [proba.data[2 * r], proba.data[2 * r + 1]];
        expect(Math.min(p0, p1)).toBeGreaterThanOrEqual(0);
        expect(Math.max(p0, p1)).toBeLessThanOrEqual(1);
        expect(p0 + p1).toBeCloseTo(1, 6);
        expect(classes[r]).toBe(p1 >= 0.5 ? 1 : 0);
      }
      model.dispose();
    });

    it('multiclass (softmax) on Iris reaches ≥ 0.9 held-out accuracy; probabilities sum to 1', async () => {
      const model = await new LogisticRegression({ lr: 0.1, epochs: 100, batchSize: 8, seed: 1, backend }).fit(scale.apply(train.x), train.y);
      expect(model.classes).toBe(3);
      expect(model.coefficients.length).toBe(4 * 3);
      const { accuracy, loss } = model.evaluate(scale.apply(test.x), test.y);
      expect(accuracy).toBeGreaterThanOrEqual(0.9);
      expect(loss).toBeLessThan(0.3);
      const proba = model.predictProba(scale.apply(test.x));
      for (let r = 0; r < test.y.length; r++) {
        const row = Array.from(proba.data.subarray(3 * r, 3 * r + 3));
        row.forEach((p) => expect(p >= 0 && p <= 1).toBe(true));
        expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      }
      model.dispose();
    });
  });
});

describe('Perceptron (Rosenblatt 1957): outputs 0/1, zero start, α = 1, rows in order', () => {
  const TWO = [[0, 0], [0, 1], [1, 0], [1, 1]];
  it.each([
    { gate: 'NOT', x: [[0], [1]], t: [1, 0], epochs: 3 },
    { gate: 'AND', x: TWO, t: [0, 0, 0, 1], epochs: 6 },
    { gate: 'OR', x: TWO, t: [0, 1, 1, 1], epochs: 4 },
  ])('learns $gate: converged after $epochs epochs, the last one mistake-free', ({ x, t, epochs }) => {
    const perceptron = new Perceptron({ maxEpochs: 100 });
    const result = perceptron.fit(x, t);
    expect(result.converged).toBe(true);
    expect(result.epochs).toBe(epochs);
    expect(result.errors.length).toBe(epochs);
    expect(result.errors[epochs - 1]).toBe(0);
    expect(Array.from(perceptron.predict(x))).toEqual(t);
    expect(Array.from(result.weights)).toEqual(Array.from(perceptron.weights));
  });

  it('does not converge on XOR: a result with converged false after maxEpochs, every epoch with mistakes', () => {
    const result = new Perceptron({ maxEpochs: 50 }).fit(TWO, [0, 1, 1, 0]);
    expect(result.converged).toBe(false);
    expect(result.epochs).toBe(50);
    expect(result.errors.every((e) => e > 0)).toBe(true);
  });
});

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_T = [0, 1, 1, 0];
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const mlp = (backend: 'js' | 'wasm', lr: number, seed = 1) =>
  Sequential.create([new Dense(2, 2, { activation: 'sigmoid' }), new Dense(2, 1, { activation: 'sigmoid' })], {
    loss: 'mse',
    optimizer: { type: 'sgd', lr },
    seed,
    backend,
  });

describe.each(BACKENDS)('the MLP of two perceptrons (2→2→1 sigmoid) on %s', (backend) => {
  it('learns XOR online (lr 1, 3000 epochs, seed 1): every output within 0.2 of its target', async () => {
    const model = await mlp(backend, 1);
    await model.fit(XOR_X, XOR_T, { epochs: 3000, batchSize: 1 });
    const out = model.predict(XOR_X).data;
    XOR_T.forEach((t, i) => expect(Math.abs(out[i] - t), `XOR(${XOR_X[i]}) = ${out[i]}`).toBeLessThan(0.2));
    // And it is the lecture's Y = h(z01 + z11·h1 + z21·h2) with h_j = h(z0j + z1j·x1 + z2j·x2).
    const [w1, b1, w2, b2] = model.getWeights();
    XOR_X.forEach(([x1, x2], i) => {
      const h = [0, 1].map((j) => sigmoid(b1[j] + w1[j] * x1 + w1[2 + j] * x2));
      expect(out[i]).toBeCloseTo(sigmoid(b2[0] + w2[0] * h[0] + w2[1] * h[1]), 6);
    });
  });
});

describe('one online step of backprop equals the lecture’s hand-derived rules', () => {
  // Lecture notation: hidden h_j = σ(w_j0 + Σ_i w_ji x_i), output o = σ(w_k0 + Σ_j w_kj h_j), error E = ½(t − o)².
  //   output: Δw_kj = α (t − o) o(1 − o) h_j,                         with h_0 = 1 for the bias w_k0
  //   hidden: Δw_ji = α x_i h_j(1 − h_j) Σ_k w_kj o_k(1 − o_k)(t_k − o_k), with x_0 = 1 for the bias w_j0
  // The library's MSE of one sample and one output is (o − t)², whose gradient 2(o − t) is twice that of
  // E = ½(t − o)²: SGD with lr = α/2 makes exactly the lecture's step. Here α = 1, so lr = 0.5.
  const ALPHA = 1;
  // Starting weights exactly representable in float32, so both sides start from the same numbers.
  const f = Math.fround;
  const W_HIDDEN = [[f(0.15), f(0.2), f(-0.3)], [f(-0.25), f(0.4), f(0.45)]]; // [j][i]: i = 0 is the bias w_j0
  const W_OUT = [f(0.1), f(0.6), f(-0.55)]; // [j]: j = 0 is the bias w_k0

  /** Library layout: kernel [in×out] row-major, then bias, per layer. */
  function libraryWeights(wh: number[][], wo: number[]): number[][] {
    return [[wh[0][1], wh[1][1], wh[0][2], wh[1][2]], [wh[0][0], wh[1][0]], [wo[1], wo[2]], [wo[0]]];
  }

  function lectureStep(x: number[], t: number): number[][] {
    const xs = [1, ...x]; // x_0 = 1
    const h = [1, ...[0, 1].map((j) => sigmoid(W_HIDDEN[j].reduce((s, w, i) => s + w * xs[i], 0)))]; // h_0 = 1
    const o = sigmoid(W_OUT.reduce((s, w, j) => s + w * h[j], 0));
    const deltaOut = o * (1 - o) * (t - o);
    const wo = W_OUT.map((w, j) => w + ALPHA * deltaOut * h[j]);
    // Σ_k over the single output unit, with the weights before the update.
    const wh = W_HIDDEN.map((row, j) => row.map((w, i) => w + ALPHA * xs[i] * h[j + 1] * (1 - h[j + 1]) * W_OUT[j + 1] * deltaOut));
    return libraryWeights(wh, wo);
  }

  const SAMPLES: [number[], number][] = [[[0.35, 0.9], 0.5], ...XOR_X.map((x, i): [number[], number] => [x, XOR_T[i]])];

  it.each(BACKENDS)('on %s, to 1e-6, for (0.35, 0.9)→0.5 and the four XOR rows', async (backend) => {
    const model = await mlp(backend, ALPHA / 2, 0);
    for (const [x, t] of SAMPLES) {
      model.setWeights(libraryWeights(W_HIDDEN, W_OUT));
      await model.fit([x], [t], { epochs: 1, batchSize: 1, shuffle: false });
      const expected = lectureStep(x, t);
      const got = model.getWeights();
      expected.forEach((w, layer) => expectClose(got[layer], w, 1e-6, `sample (${x})→${t}, weights[${layer}]`));
      // The step is not trivially small: the output bias moves by more than 1e-3.
      expect(Math.abs(expected[3][0] - W_OUT[0])).toBeGreaterThan(1e-3);
    }
  });
});

describe('bad input to the lecture models throws InputError naming the argument, expected and got', () => {
  it.each([
    ['LinearRegression solver', () => new LinearRegression({ solver: 'qr' as never }), /^options.solver: expected 'closedForm' or 'gradientDescent', got "qr"$/],
    ['LinearRegression unknown option', () => new LinearRegression({ learningRate: 0.1 } as never), /^options: expected keys among \[solver, lr, .*\], got unknown key "learningRate"$/],
    ['LinearRegression lr', () => new LinearRegression({ lr: -1 }), /^options.lr: expected a finite number > 0, got -1$/],
    ['LinearRegression epochs', () => new LinearRegression({ epochs: 1.5 }), /^options.epochs: expected an integer ≥ 1, got 1.5$/],
    ['LinearRegression backend', () => new LinearRegression({ backend: 'gpu' as never }), /^options.backend: expected 'wasm', 'js' or 'auto', got "gpu"$/],
    ['LogisticRegression classes', () => new LogisticRegression({ classes: 1 }), /^options.classes: expected an integer ≥ 2, got 1$/],
    ['Perceptron maxEpochs', () => new Perceptron({ maxEpochs: 0 }), /^options.maxEpochs: expected an integer ≥ 1, got 0$/],
    ['Perceptron options', () => new Perceptron(3 as never), /^options: expected an object with keys among \[lr, maxEpochs\], got 3$/],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(InputError);
    expect(call).toThrow(message);
  });

  it.each([
    ['x rows of unequal length', () => new LinearRegression().fit([[1, 2], [3]], [1, 2]), /^x: expected every row to have 2 values like row 0, got 1 values in row 1$/],
    ['NaN in x', () => new LinearRegression().fit([[1], [NaN]], [1, 2]), /^x: expected finite numbers, got NaN at row 1, column 0$/],
    ['too few targets', () => new LinearRegression().fit([[1], [2], [3]], [1, 2]), /^y: expected 3 values \(one per row of x\), got 2$/],
    ['NaN in y', () => new LinearRegression().fit([[1], [2], [3]], [1, NaN, 3]), /^y: expected finite numbers, got NaN at row 1, column 0$/],
    ['a fractional label', () => new LogisticRegression().fit([[1], [2]], [0, 0.5]), /^y: expected class indices, integers ≥ 0, got 0.5 at row 1$/],
    ['one class only', () => new LogisticRegression().fit([[1], [2]], [0, 0]), /^y: expected labels of at least two classes, got only class 0 in 2 rows$/],
    ['a label beyond options.classes', () => new LogisticRegression({ classes: 2 }).fit([[1], [2]], [0, 2]), /^y: expected class indices, integers in \[0, 1\], got 2 at row 1$/],
    ['one-hot targets to LogisticRegression', () => new LogisticRegression().fit([[1], [2]], [[1, 0], [0, 1]]), /^y: expected a flat list of class indices \(one per row\), got an array of length 2$/],
    ['a perceptron target of 2', () => new Perceptron().fit([[0], [1]], [1, 2]), /^y: expected targets 0 or 1, got 2 at row 1$/],
    ['a perceptron target of −1', () => new Perceptron().fit([[0], [1]], [-1, 1]), /^y: expected targets 0 or 1, got -1 at row 0$/],
  ])('fit rejects %s', async (_, call, message) => {
    const error = await rejection(call);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });

  it('predict and evaluate check the width and the fitted state', async () => {
    const linear = await new LinearRegression().fit([[1, 0], [0, 1], [1, 1], [2, 1]], [1, 2, 3, 4]);
    expect(() => linear.predict([[1, 2, 3]])).toThrow(/^x: expected 2 columns per row \(the model's width\), got 3$/);
    expect(() => linear.evaluate([[1, 2]], [[1, 2]])).toThrow(/^y: expected 1 columns per row .*got 2$/);
    const logistic = new LogisticRegression();
    expect(() => logistic.predict([[1]])).toThrow(/^model: expected a fitted LogisticRegression \(call fit first\), got one that has not been fitted$/);
    await logistic.fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
    expect(() => logistic.evaluate([[0], [1]], [0, 3])).toThrow(/^y: expected class indices, integers in \[0, 1\], got 3 at row 1$/);
    expect(() => new Perceptron().predict([[1]])).toThrow(/^model: expected a fitted Perceptron/);
    const p = new Perceptron();
    p.fit([[0], [1]], [1, 0]);
    expect(() => p.predict([[0, 1]])).toThrow(/^x: expected 1 columns per row \(the model's width\), got 2$/);
  });
});
