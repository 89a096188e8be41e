// Linear regression two ways: least squares in closed form (QR) and gradient descent (SGD on MSE).
//   npm run build && node examples/linear-regression.mjs
import { LinearRegression } from 'simdnet';

// Synthetic data from known coefficients: y = 3 + 2·x0 − 1·x1 + 0.5·x2 + noise (σ = 0.1),
// with standard-normal features, so the problem is already standardized and well-conditioned.
let state = 42;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const x = [], y = [];
for (let i = 0; i < 500; i++) {
  const row = [normal(), normal(), normal()];
  x.push(row);
  y.push(3 + 2 * row[0] - row[1] + 0.5 * row[2] + 0.1 * normal());
}

const fmt = (values) => Array.from(values, (v) => v.toFixed(4).padStart(8)).join(' ');
console.log(`500 rows, 3 features; generating coefficients ${fmt([2, -1, 0.5])}, intercept ${fmt([3])}`);

const closed = await new LinearRegression().fit(x, y);
const gd = await new LinearRegression({ solver: 'gradientDescent', lr: 0.1, epochs: 200, batchSize: 500 }).fit(x, y);
const sgd = await new LinearRegression({ solver: 'gradientDescent', lr: 0.02, epochs: 50, batchSize: 16, seed: 1 }).fit(x, y);

for (const [name, model] of [['closed form (QR)', closed], ['full-batch gradient descent', gd], ['mini-batch SGD (16 rows)', sgd]]) {
  const { mse, r2 } = model.evaluate(x, y);
  console.log(`${name.padEnd(28)} coefficients ${fmt(model.coefficients)}  intercept ${fmt(model.intercept)}  MSE ${mse.toFixed(5)}  R² ${r2.toFixed(5)}`);
}
const gap = Math.max(...Array.from(closed.coefficients, (c, j) => Math.abs(c - gd.coefficients[j])));
console.log(`largest |closed form − gradient descent| coefficient gap: ${gap.toExponential(2)}`);

// A duplicated column makes the design rank-deficient: the minimum-norm solution splits its weight.
const dup = await new LinearRegression().fit(x.map((r) => [r[0], r[1], r[0]]), y);
console.log(`a duplicated column gets the minimum-norm split: ${fmt(dup.coefficients)}; ${dup.note}`);
