import { describe, expect, it } from 'vitest';
import { Dense, Sequential } from '../src/index.js';

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [0, 1, 1, 0];

describe.each(['js', 'wasm'] as const)('XOR on %s', (backend) => {
  it('a 2→4→1 sigmoid MLP learns XOR', async () => {
    const model = await Sequential.create(
      [new Dense(2, 4, { activation: 'sigmoid' }), new Dense(4, 1, { activation: 'sigmoid' })],
      { loss: 'mse', optimizer: { type: 'sgd', lr: 0.5 }, seed: 1, backend },
    );
    expect(model.backendInfo().backend).toBe(backend);
    await model.fit(X, Y, { epochs: 5000, batchSize: 1 });
    const out = Array.from(model.predict(X).data);
    out.forEach((p, i) => expect(p > 0.5 ? 1 : 0, `output ${i} = ${p}`).toBe(Y[i]));
  });
});
