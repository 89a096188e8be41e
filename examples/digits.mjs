// Train a small MLP on the bundled UCI handwritten digits (8×8) and report test accuracy.
//   npm start            (builds, then runs this with the default backend)
//   node examples/digits.mjs --backend js
import { parseArgs } from 'node:util';
import { Dense, Sequential } from 'simdnet';
import { loadDataset, takeRows } from 'simdnet/node';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    epochs: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
  },
});

const digits = loadDataset('digits');
const train = takeRows(digits.x, digits.y, digits.train);
const test = takeRows(digits.x, digits.y, digits.test);
// Pixels are counts 0..16: scale to [0, 1].
for (const part of [train, test]) part.x.data.forEach((v, i, a) => (a[i] = v / 16));

const model = await Sequential.create(
  [new Dense(64, 64, { activation: 'relu' }), new Dense(64, 10, { activation: 'softmax' })],
  { loss: 'crossEntropy', optimizer: { type: 'sgd', lr: 0.1 }, seed: Number(values.seed), backend: values.backend },
);
const info = model.backendInfo();
console.log(`digits: ${train.y.length} training rows, ${test.y.length} test rows, 64 features, 10 classes`);
console.log(`backend: ${info.backend} (${info.reason})`);
console.log(model.summary());

const epochs = Number(values.epochs);
const started = performance.now();
await model.fit(train.x, train.y, {
  epochs,
  batchSize: 32,
  validationSplit: 0.1,
  callbacks: {
    onEpochEnd(epoch, logs) {
      const line = `epoch ${String(epoch + 1).padStart(3)}/${epochs}  loss ${logs.loss.toFixed(4)}  accuracy ${logs.accuracy.toFixed(4)}  val_loss ${logs.val_loss.toFixed(4)}  val_accuracy ${logs.val_accuracy.toFixed(4)}`;
      console.log(line);
    },
  },
});
const seconds = (performance.now() - started) / 1000;
const { loss, accuracy } = model.evaluate(test.x, test.y);
const trained = Math.floor(train.y.length * 0.9) * epochs;
console.log(`test: loss ${loss.toFixed(4)}, accuracy ${(accuracy * 100).toFixed(2)}% on ${test.y.length} held-out digits`);
console.log(`time: ${seconds.toFixed(2)} s, ${Math.round(trained / seconds).toLocaleString('en-US')} training samples/s on ${info.backend}`);
model.dispose();
