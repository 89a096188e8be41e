import { describe, expect, it } from 'vitest';
import { Dense, Sequential } from '../src/index.js';
import { loadDataset, standardizer, takeRows } from '../src/node/index.js';

// Held-out split shipped with the data (stratified, 120 train / 30 test); features
// standardized with training statistics only.
const iris = loadDataset('iris');
const train = takeRows(iris.x, iris.y, iris.train);
const test = takeRows(iris.x, iris.y, iris.test);
const scale = standardizer(train.x);

describe.each(['js', 'wasm'] as const)('Iris on %s', (backend) => {
  it('a 4→16→3 tanh/softmax MLP reaches ≥ 0.95 test accuracy', async () => {
    const model = await Sequential.create(
      [new Dense(4, 16, { activation: 'tanh' }), new Dense(16, 3, { activation: 'softmax' })],
      { loss: 'crossEntropy', optimizer: { type: 'sgd', lr: 0.1 }, seed: 3, backend },
    );
    const history = await model.fit(scale.apply(train.x), train.y, { epochs: 200, batchSize: 8 });
    const losses = history.history.loss;
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 4);
    const { accuracy } = model.evaluate(scale.apply(test.x), test.y) as { accuracy: number };
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
