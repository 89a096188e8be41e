// Rosenblatt's perceptron (1957) on the lecture's truth tables: it learns NOT, AND and OR,
// and on XOR, which no single line separates, it reports that it did not converge.
//   npm run build && node examples/perceptron.mjs
import { Perceptron } from 'simdnet';

const TWO = [[0, 0], [0, 1], [1, 0], [1, 1]];
const tables = {
  NOT: { x: [[0], [1]], t: [1, 0] },
  AND: { x: TWO, t: [0, 0, 0, 1] },
  OR: { x: TWO, t: [0, 1, 1, 1] },
  XOR: { x: TWO, t: [0, 1, 1, 0] },
};

for (const [gate, { x, t }] of Object.entries(tables)) {
  const perceptron = new Perceptron({ lr: 1, maxEpochs: 100 });
  const result = perceptron.fit(x, t);
  const outputs = perceptron.predict(x);
  const verdict = result.converged
    ? `converged after ${result.epochs} epochs (mistakes per epoch: ${result.errors.join(', ')})`
    : `did NOT converge in ${result.epochs} epochs (still ${result.errors.at(-1)} mistakes in the last)`;
  console.log(`${gate}: ${verdict}`);
  console.log(`  w = [${Array.from(result.weights).join(', ')}], b = ${result.bias}`);
  x.forEach((row, i) => console.log(`  ${row.join(' ')} → target ${t[i]}, output ${outputs[i]}${outputs[i] === t[i] ? '' : '  ✗'}`));
}
