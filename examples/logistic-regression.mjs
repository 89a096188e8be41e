// Logistic regression: one sigmoid unit for two classes, softmax for more; trained by SGD on cross-entropy.
//   npm run build && node examples/logistic-regression.mjs
import { LogisticRegression } from 'simdnet';
import { loadDataset, standardizer, takeRows } from 'simdnet/node';

// Binary: is an Iris virginica or not, from petal length and width (columns 2 and 3).
const iris = loadDataset('iris');
const train = takeRows(iris.x, iris.y, iris.train);
const test = takeRows(iris.x, iris.y, iris.test);
const scale = standardizer(train.x);
const xTrain = scale.apply(train.x), xTest = scale.apply(test.x);

const petals = (m) => Array.from({ length: m.shape[0] }, (_, r) => [m.data[r * 4 + 2], m.data[r * 4 + 3]]);
const virginica = (labels) => Array.from(labels, (c) => (c === 2 ? 1 : 0));
const binary = await new LogisticRegression({ lr: 0.5, epochs: 200, batchSize: 8 }).fit(petals(xTrain), virginica(train.y));
const [w0, w1] = binary.coefficients;
const signed = (v) => `${v < 0 ? '−' : '+'} ${Math.abs(v).toFixed(3)}`;
console.log(`binary (virginica or not, from standardized petal length and width): ${binary.backendInfo().backend} backend`);
console.log(`  P(virginica) = σ(${w0.toFixed(3)}·length ${signed(w1)}·width ${signed(binary.intercept[0])})`);
console.log(`  test accuracy ${(binary.score(petals(xTest), virginica(test.y)) * 100).toFixed(1)}% on ${test.y.length} flowers`);

// Multiclass: all three species from all four features, softmax over 3 units.
const multi = await new LogisticRegression({ lr: 0.1, epochs: 100, batchSize: 8, seed: 1 }).fit(xTrain, train.y);
const { loss, accuracy } = multi.evaluate(xTest, test.y);
console.log(`softmax over ${multi.classes} classes (${iris.classes.join(', ')}), 4 standardized features:`);
console.log(`  test accuracy ${(accuracy * 100).toFixed(1)}%, mean cross-entropy ${loss.toFixed(4)}`);
const proba = multi.predictProba(xTest);
const predicted = multi.predict(xTest);
console.log('  first five test flowers: P(setosa, versicolor, virginica) → predicted (true)');
for (let r = 0; r < 5; r++) {
  const p = Array.from(proba.data.subarray(3 * r, 3 * r + 3), (v) => v.toFixed(3)).join(', ');
  console.log(`    (${p}) → ${iris.classes[predicted[r]]} (${iris.classes[test.y[r]]})`);
}
binary.dispose();
multi.dispose();
