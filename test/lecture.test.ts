// The numbers the lecture works out by hand, reproduced by the library.
import { describe, expect, it } from 'vitest';
import { SGD, crossEntropy, meanSquaredError } from '../src/index.js';

describe('the lecture’s losses on plain arrays', () => {
  it('MSE of [11,19,30,43,47] against [10,20,30,40,50] is 4', () => {
    expect(meanSquaredError([11, 19, 30, 43, 47], [10, 20, 30, 40, 50])).toBe(4);
    expect(meanSquaredError([11, 19, 30, 43, 47], [10, 20, 30, 40, 50], { reduction: 'sum' })).toBe(20);
  });

  const probs = [
    [0.3, 0.2, 0.5],
    [0.1, 0.8, 0.1],
    [0.6, 0.2, 0.2],
    [0.1, 0.5, 0.4],
  ];
  const classes = [0, 1, 0, 2];

  it('cross-entropy of the 4-sample example is 2.8542 summed and 0.7136 as a mean', () => {
    expect(crossEntropy(probs, classes, { reduction: 'sum' })).toBeCloseTo(2.8542, 4);
    expect(crossEntropy(probs, classes)).toBeCloseTo(0.7136, 4);
  });

  it('one-hot targets give the same cross-entropy as class indices', () => {
    const oneHot = classes.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
    expect(crossEntropy(probs, oneHot, { reduction: 'sum' })).toBeCloseTo(crossEntropy(probs, classes, { reduction: 'sum' }), 12);
  });
});

describe('gradient descent on L(w) = w⁴ from w = 2 with learning rate 0.01', () => {
  function descend(steps: number): number[] {
    const sgd = new SGD({ lr: 0.01 });
    const w = { value: Float32Array.of(2), grad: new Float32Array(1) };
    const path: number[] = [];
    for (let i = 0; i < steps; i++) {
      w.grad[0] = 4 * w.value[0] ** 3;
      sgd.step([w]);
      path.push(w.value[0]);
    }
    return path;
  }

  it('gives 1.68, 1.4903, 1.3579 after 1–3 steps', () => {
    const [w1, w2, w3] = descend(3);
    expect(w1).toBeCloseTo(1.68, 4);
    expect(w2).toBeCloseTo(1.4903, 4);
    expect(w3).toBeCloseTo(1.3579, 4);
  });

  it('gives 0.2461 after 200 steps', () => {
    expect(descend(200)[199]).toBeCloseTo(0.2461, 4);
  });
});
