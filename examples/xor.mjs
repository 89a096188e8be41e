// The MLP of two perceptrons: a 2→2→1 sigmoid network, Y = h(z01 + z11·h1 + z21·h2),
// learns XOR by backpropagation (online, MSE), which a single perceptron cannot.
//   npm run build && node examples/xor.mjs [--backend js|wasm|auto]
import { parseArgs } from 'node:util';
import { Dense, Sequential } from 'simdnet';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'auto' } } });
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const T = [0, 1, 1, 0];

const model = await Sequential.create(
  [new Dense(2, 2, { activation: 'sigmoid' }), new Dense(2, 1, { activation: 'sigmoid' })],
  { loss: 'mse', optimizer: { type: 'sgd', lr: 1 }, seed: 1, backend: values.backend },
);
console.log(`2→2→1 sigmoid MLP on ${model.backendInfo().backend}, online SGD (lr 1), loss MSE`);
const history = await model.fit(X, T, {
  epochs: 3000,
  batchSize: 1,
  callbacks: { onEpochEnd: (epoch, logs) => (epoch + 1) % 500 === 0 && console.log(`  epoch ${epoch + 1}: loss ${logs.loss.toFixed(5)}`) },
});

const [w1, b1, w2, b2] = model.getWeights();
const f = (v) => v.toFixed(3);
const s = (v) => `${v < 0 ? '−' : '+'} ${Math.abs(v).toFixed(3)}`;
console.log(`learned: h1 = h(${f(b1[0])} ${s(w1[0])}·x1 ${s(w1[2])}·x2), h2 = h(${f(b1[1])} ${s(w1[1])}·x1 ${s(w1[3])}·x2)`);
console.log(`         Y  = h(${f(b2[0])} ${s(w2[0])}·h1 ${s(w2[1])}·h2)`);
const out = model.predict(X).data;
console.log('x1 x2 | XOR | output');
X.forEach(([a, b], i) => console.log(` ${a}  ${b} |  ${T[i]}  | ${out[i].toFixed(4)} → ${out[i] > 0.5 ? 1 : 0}`));
const solved = T.every((t, i) => (out[i] > 0.5 ? 1 : 0) === t);
console.log(solved ? `XOR learned (final loss ${history.history.loss.at(-1).toFixed(5)})` : 'XOR not learned with this seed');
model.dispose();
