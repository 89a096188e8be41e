// An app that ships a trained model and only predicts: it imports simdnet/infer alone,
// loads model.simdnet (written beside the build by the test) and reports in window.result.
import { loadInference } from 'simdnet/infer';

async function main() {
  const net = await loadInference(new URL('./model.simdnet', location.href));
  const rows = net.metadata.inputs;
  const started = performance.now();
  const y = net.predict(rows);
  const ms = performance.now() - started;
  return { ok: true, simd: net.simd, outputs: Array.from(y.data), classes: Array.from(net.predictClasses(rows)), ms };
}

main().then(
  (r) => (window.result = r),
  (e) => (window.result = { ok: false, error: `${e?.name}: ${e?.message}` }),
);
