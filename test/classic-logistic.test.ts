// LogisticRegression's float64 solvers: the objective's gradient and Hessian
// against central differences, convergence on the bundled digits and Iris (the
// gradient below tol, and nothing left to gain from many more iterations or from
// the other solver), the options of each solver, and the SGD path kept.
import { describe, expect, it } from 'vitest';
import { InputError, LogisticRegression } from '../src/index.js';
import { centredObjective } from '../src/models/logistic-centred.js';
import { logisticCurvature } from '../src/models/logistic-curvature.js';
import { type LogisticProblem, logisticObjective, parameterCount } from '../src/models/logistic-objective.js';
import { loadDataset, standardizer, takeRows } from '../src/node/index.js';
import { Random } from '../src/random.js';

function problem(units: number, seed: number): { prob: LogisticProblem; theta: Float64Array } {
  const rng = new Random(seed);
  const n = 30, p = 4, classes = units === 1 ? 2 : units;
  const x = Float64Array.from({ length: n * p }, () => 2 * rng.normal());
  const labels = Int32Array.from({ length: n }, () => Math.floor(rng.next() * classes));
  const theta = Float64Array.from({ length: parameterCount(p, units) }, () => rng.normal());
  return { prob: { x, rows: n, features: p, labels, units, C: 0.7 }, theta };
}

describe.each([
  ['binary (one sigmoid unit)', 1],
  ['multinomial (softmax over 3)', 3],
])('the %s objective', (_, units) => {
  const { prob, theta } = problem(units, 4 + units);
  const size = theta.length;
  const h = 1e-5;
  const at = (i: number, step: number, g = new Float64Array(size)) => {
    const t = Float64Array.from(theta);
    t[i] += step;
    return { f: logisticObjective(prob, t, g), g };
  };

  it('gradient = central differences of f (relative 1e-7), the penalty on W only', () => {
    const grad = new Float64Array(size);
    logisticObjective(prob, theta, grad);
    for (let i = 0; i < size; i++) {
      const numeric = (at(i, h).f - at(i, -h).f) / (2 * h);
      expect(Math.abs(grad[i] - numeric), `∂f/∂θ${i}: ${grad[i]} vs ${numeric}`).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(numeric)));
    }
    // The penalty ‖W‖²/(2Cn): doubling C lowers f by exactly ‖W‖²/(4Cn), and leaves the intercept derivatives alone.
    const W = theta.subarray(0, 4 * units);
    const squares = W.reduce((s, w) => s + w * w, 0);
    const g2 = new Float64Array(size);
    const f2 = logisticObjective({ ...prob, C: 2 * prob.C }, theta, g2);
    expect(logisticObjective(prob, theta, new Float64Array(size)) - f2).toBeCloseTo(squares / (4 * prob.C * prob.rows), 12);
    for (let i = 4 * units; i < size; i++) expect(g2[i]).toBeCloseTo(grad[i], 14);
  });

  it('Hessian-vector products = central differences of the gradient (1e-6), and the diagonal = H·eᵢ', () => {
    const curvature = logisticCurvature(prob, theta);
    const v = Float64Array.from({ length: size }, (_, i) => Math.sin(i + 1));
    const hv = new Float64Array(size);
    curvature.times(v, hv);
    const plus = new Float64Array(size), minus = new Float64Array(size);
    logisticObjective(prob, theta.map((t, i) => t + h * v[i]), plus);
    logisticObjective(prob, theta.map((t, i) => t - h * v[i]), minus);
    for (let i = 0; i < size; i++) {
      const numeric = (plus[i] - minus[i]) / (2 * h);
      expect(Math.abs(hv[i] - numeric), `(Hv)${i}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(numeric)));
    }
    const diagonal = new Float64Array(size), column = new Float64Array(size);
    curvature.diagonal(diagonal);
    for (let i = 0; i < size; i++) {
      curvature.times(Float64Array.from({ length: size }, (_, j) => (j === i ? 1 : 0)), column);
      expect(diagonal[i]).toBeCloseTo(column[i], 12);
    }
  });

  it('in centred coordinates (what Newton-CG and L-BFGS see): the same f, its gradient and H̃·v by central differences, diag H̃ = H̃·eᵢ', () => {
    const offset = { ...prob, x: prob.x.map((v, i) => v + (i % 4) * 3) }; // uncentred features, as the raw digits
    const centred = centredObjective(offset);
    const v = Float64Array.from(theta), back = new Float64Array(size), g = new Float64Array(size), original = new Float64Array(size);
    centred.toOriginal(v, back);
    expect(centred.value(v, g)).toBeCloseTo(logisticObjective(offset, back, original), 12);
    const roundTrip = new Float64Array(size);
    centred.originalGradient(g, roundTrip);
    for (let i = 0; i < size; i++) expect(roundTrip[i]).toBeCloseTo(original[i], 12);
    const f = (t: Float64Array, out = new Float64Array(size)) => centred.value(t, out);
    for (let i = 0; i < size; i++) {
      const numeric = (f(v.map((t, j) => (j === i ? t + h : t))) - f(v.map((t, j) => (j === i ? t - h : t)))) / (2 * h);
      expect(Math.abs(g[i] - numeric), `∂f̃/∂θ̃${i}`).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(numeric)));
    }
    const curvature = centred.curvature(v);
    const w = Float64Array.from({ length: size }, (_, i) => Math.cos(i));
    const hw = new Float64Array(size), plus = new Float64Array(size), minus = new Float64Array(size);
    curvature.times(w, hw);
    f(v.map((t, i) => t + h * w[i]), plus);
    f(v.map((t, i) => t - h * w[i]), minus);
    for (let i = 0; i < size; i++) expect(Math.abs(hw[i] - (plus[i] - minus[i]) / (2 * h)), `(H̃w)${i}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(hw[i])));
    const diagonal = new Float64Array(size), column = new Float64Array(size);
    curvature.diagonal(diagonal);
    for (let i = 0; i < size; i++) {
      curvature.times(Float64Array.from({ length: size }, (_, j) => (j === i ? 1 : 0)), column);
      expect(diagonal[i]).toBeCloseTo(column[i], 12);
    }
  });
});

/** The digits as shipped: raw 0–16 pixel counts, no scaling (the hard, weakly penalised case). */
const digits = loadDataset('digits');
const dTrain = takeRows(digits.x, digits.y, digits.train);
const dTest = takeRows(digits.x, digits.y, digits.test);

describe('LogisticRegression (default: newtonCG, C = 1, tol 1e-4) on the raw digits (shipped split: 1,346 training rows × 64 → 10 classes, 451 test rows)', () => {
  let model: LogisticRegression;
  let seconds = 0;

  it('converges: max |∂f/∂θ| ≤ 1e-4 in < 30 Newton steps, and ≥ 0.97 held-out accuracy', async () => {
    const started = performance.now();
    model = await new LogisticRegression().fit(dTrain.x, dTrain.y);
    seconds = (performance.now() - started) / 1000;
    const c = model.convergence!;
    console.log(`digits newtonCG: ${c.iterations} steps, ${c.hessianProducts} Hessian products, |g| ${c.gradientNorm.toExponential(2)}, f ${c.objective}, ${seconds.toFixed(2)} s, test accuracy ${model.score(dTest.x, dTest.y)}`);
    expect(model.solver).toBe('newtonCG');
    expect(c).toMatchObject({ solver: 'newtonCG', converged: true, stop: 'gradient' });
    expect(c.gradientNorm).toBeLessThanOrEqual(1e-4);
    expect(c.iterations).toBeLessThan(30);
    expect(seconds).toBeLessThan(20); // ~1.5 s on a busy 2-core machine; only a runaway fails this
    expect(model.score(dTest.x, dTest.y)).toBeGreaterThanOrEqual(0.97);
    expect(model.coefficients.length).toBe(64 * 10);
    expect(model.intercept.reduce((s, b) => s + b, 0)).toBeCloseTo(0, 12); // the softmax's free shift, fixed
    expect(model.history).toBeNull();
    expect(model.backendInfo()).toMatchObject({ backend: 'js', simd: null });
  });

  it('is converged: a 10,000× tighter tol lowers f by < 1e-4 of it (~1.5e-7 nats) and changes no test prediction', async () => {
    const tight = await new LogisticRegression({ tol: 1e-8 }).fit(dTrain.x, dTrain.y);
    const [f, fTight] = [model.convergence!.objective, tight.convergence!.objective];
    console.log(`digits tol 1e-8: ${tight.convergence!.iterations} steps, f ${fTight} (default f − tight f = ${(f - fTight).toExponential(2)})`);
    expect(tight.convergence!.converged).toBe(true);
    expect(fTight).toBeLessThanOrEqual(f);
    expect(f - fTight).toBeLessThan(1e-4 * fTight);
    expect(Array.from(tight.predict(dTest.x))).toEqual(Array.from(model.predict(dTest.x)));
  });

  it('the same minimum as L-BFGS reaches on the standardized digits (the other solver, an independent check)', async () => {
    const scale = standardizer(dTrain.x);
    const [x, xTest] = [scale.apply(dTrain.x), scale.apply(dTest.x)];
    const newton = await new LogisticRegression({ tol: 1e-8 }).fit(x, dTrain.y);
    const lbfgs = await new LogisticRegression({ solver: 'lbfgs', tol: 1e-7 }).fit(x, dTrain.y);
    console.log(`standardized digits: newtonCG f ${newton.convergence!.objective} accuracy ${newton.score(xTest, dTest.y)}; lbfgs ${lbfgs.convergence!.iterations} steps f ${lbfgs.convergence!.objective}`);
    expect(lbfgs.convergence!.converged).toBe(true);
    expect(Math.abs(newton.convergence!.objective - lbfgs.convergence!.objective)).toBeLessThan(1e-9);
    const a = newton.coefficients, b = lbfgs.coefficients;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `W[${i}]`).toBeLessThan(1e-3);
    expect(newton.score(xTest, dTest.y)).toBeGreaterThanOrEqual(0.96);
  });
});

describe('LogisticRegression on Iris', () => {
  const iris = loadDataset('iris');
  const train = takeRows(iris.x, iris.y, iris.train), test = takeRows(iris.x, iris.y, iris.test);

  it.each([
    ['raw', (m: typeof train.x) => m],
    ['standardized', standardizer(train.x).apply],
  ])('%s: both solvers converge to the same model, ≥ 0.93 held-out accuracy', async (_, prepare) => {
    const [x, xTest] = [prepare(train.x), prepare(test.x)];
    const newton = await new LogisticRegression().fit(x, train.y);
    const lbfgs = await new LogisticRegression({ solver: 'lbfgs' }).fit(x, train.y);
    for (const m of [newton, lbfgs]) expect(m.convergence).toMatchObject({ converged: true });
    console.log(`iris ${_}: newtonCG ${newton.convergence!.iterations} steps, lbfgs ${lbfgs.convergence!.iterations}; test accuracy ${newton.score(xTest, test.y)}`);
    expect(Math.abs(newton.convergence!.objective - lbfgs.convergence!.objective)).toBeLessThan(1e-6);
    expect(newton.score(xTest, test.y)).toBeGreaterThanOrEqual(0.93);
    const proba = newton.predictProba(xTest), classes = newton.predict(xTest);
    for (let r = 0; r < test.y.length; r++) {
      const row = Array.from(proba.data.subarray(3 * r, 3 * r + 3));
      expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
      expect(classes[r]).toBe(row.indexOf(Math.max(...row)));
    }
    const { loss } = newton.evaluate(xTest, test.y);
    expect(loss).toBeGreaterThan(0);
    expect(loss).toBeLessThan(0.3);
  });

  it('binary (virginica or not): one sigmoid unit, the same by both solvers (1e-4), P = [1 − p, p]', async () => {
    const y = Array.from(train.y, (c) => (c === 2 ? 1 : 0)), yTest = Array.from(test.y, (c) => (c === 2 ? 1 : 0));
    const newton = await new LogisticRegression({ tol: 1e-8 }).fit(train.x, y);
    const lbfgs = await new LogisticRegression({ solver: 'lbfgs', tol: 1e-7 }).fit(train.x, y);
    expect(newton.classes).toBe(2);
    expect(newton.coefficients.length).toBe(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(newton.coefficients[i] - lbfgs.coefficients[i])).toBeLessThan(1e-4);
    expect(Math.abs(newton.intercept[0] - lbfgs.intercept[0])).toBeLessThan(1e-4);
    expect(newton.score(test.x, yTest)).toBeGreaterThanOrEqual(0.9);
    const proba = newton.predictProba(test.x), classes = newton.predict(test.x);
    for (let r = 0; r < yTest.length; r++) {
      expect(proba.data[2 * r] + proba.data[2 * r + 1]).toBeCloseTo(1, 6);
      expect(classes[r]).toBe(proba.data[2 * r + 1] >= 0.5 ? 1 : 0);
    }
  });
});

describe('LogisticRegression solver options', () => {
  it('a cap that is reached says so: converged false, stop maxIterations', async () => {
    for (const solver of ['newtonCG', 'lbfgs'] as const) {
      const model = await new LogisticRegression({ solver, maxIterations: 2 }).fit(dTrain.x, dTrain.y);
      expect(model.convergence).toMatchObject({ solver, converged: false, stop: 'maxIterations', iterations: 2 });
      expect(model.convergence!.gradientNorm).toBeGreaterThan(1e-4);
    }
  });

  it('SGD options without a solver keep the SGD path; an explicit solver is kept', () => {
    expect(new LogisticRegression().solver).toBe('newtonCG');
    expect(new LogisticRegression({ lr: 0.5 }).solver).toBe('gradientDescent');
    expect(new LogisticRegression({ backend: 'js' }).solver).toBe('gradientDescent');
    expect(new LogisticRegression({ solver: 'lbfgs', C: 10 }).solver).toBe('lbfgs');
  });

  it('gradientDescent has a history and no convergence report', async () => {
    const model = await new LogisticRegression({ epochs: 3, backend: 'js' }).fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
    expect(model.history!.history.loss.length).toBe(3);
    expect(model.convergence).toBeNull();
    model.dispose();
  });

  it.each([
    [{ solver: 'sag' }, /^options.solver: expected 'newtonCG', 'lbfgs' or 'gradientDescent', got "sag"$/],
    [{ solver: 'newtonCG', lr: 0.1 }, /^options.lr: expected no lr with solver 'newtonCG' \(it is an option of 'gradientDescent'\), got 0.1$/],
    [{ solver: 'lbfgs', epochs: 5 }, /^options.epochs: expected no epochs with solver 'lbfgs' \(it is an option of 'gradientDescent'\), got 5$/],
    [{ lr: 0.1, C: 2 }, /^options.C: expected no C with solver 'gradientDescent', chosen because options.lr was given \(it is an option of 'newtonCG' and 'lbfgs'\), got 2$/],
    [{ solver: 'gradientDescent', tol: 1e-3 }, /^options.tol: expected no tol with solver 'gradientDescent' \(it is an option of 'newtonCG' and 'lbfgs'\), got 0.001$/],
    [{ C: 0 }, /^options.C: expected a finite number > 0, got 0$/],
    [{ tol: -1 }, /^options.tol: expected a finite number > 0, got -1$/],
    [{ maxIterations: 2.5 }, /^options.maxIterations: expected an integer ≥ 1, got 2.5$/],
    [{ maxIter: 100 }, /^options: expected keys among \[classes, solver, C, tol, maxIterations, lr, .*\], got unknown key "maxIter"$/],
  ])('rejects %o with an InputError naming the option', (options, message) => {
    expect(() => new LogisticRegression(options as never)).toThrow(InputError);
    expect(() => new LogisticRegression(options as never)).toThrow(message);
  });

  it('a rejected fit leaves the fitted model as it was', async () => {
    const model = await new LogisticRegression().fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
    const before = [Array.from(model.coefficients), Array.from(model.intercept), model.convergence];
    await expect(model.fit([[0], [1]], [0, 0.5])).rejects.toThrow(/^y: expected class indices, integers ≥ 0, got 0.5 at row 1$/);
    await expect(model.fit([[0, 1], [1, 0]], [0, 0])).rejects.toThrow(/^y: expected labels of at least two classes/);
    expect([Array.from(model.coefficients), Array.from(model.intercept), model.convergence]).toEqual(before);
    expect(() => model.predict([[1, 2]])).toThrow(/^x: expected 1 columns per row \(the model's width\), got 2$/);
  });
});
