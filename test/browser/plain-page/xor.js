// XOR trained with simdnet, as the plain page and its module worker both run it; the saved
// model then loads in simdnet/infer (also from dist/), which must predict the same bits.
export async function trainXor({ Dense, Sequential }) {
  try {
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const model = await Sequential.create([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 2, { activation: 'softmax' })], {
      loss: 'crossEntropy',
      optimizer: { type: 'adam', lr: 0.05 },
      seed: 1,
    });
    await model.fit(x, [0, 1, 1, 0], { epochs: 300, batchSize: 4 });
    const { loadInference } = await import('/dist/infer/index.js');
    const net = await loadInference(model.save());
    const bits = (m) => Array.from(new Uint32Array(m.data.buffer));
    const inferredSame = JSON.stringify(bits(net.predict(x))) === JSON.stringify(bits(model.predict(x)));
    return { ok: true, backend: model.backendInfo().backend, predicted: Array.from(model.predictClasses(x)), inferredSame };
  } catch (e) {
    return { ok: false, error: String(e && e.stack) };
  }
}
