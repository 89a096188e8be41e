// W1: the everyday MNIST-sized MLP, minibatch training.
import { classification } from '../data.mjs';
import { runTraining } from './training.mjs';

export const W1_SPEC = {
  inputs: 784,
  layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }],
  loss: 'crossEntropy',
  lr: 0.01,
  batchSize: 64,
};

export const w1 = {
  id: 'W1',
  suite: 'W1 784-128-10 training',
  title: 'MLP 784→128 ReLU→10 softmax, cross-entropy, SGD lr 0.01, batch 64 — training',
  unit: 'samples/s',
  spec: W1_SPEC,
  data: (quick) => classification(quick ? 128 : 8192, 784, 10, 101),
  rows: (_id, quick) => (quick ? 128 : 8192),
  run: (contenders, opts) => runTraining(w1, contenders, opts),
};
