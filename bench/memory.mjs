// Memory of one simdnet model, alone in a fresh process so the RSS is its own
// (plus Node and simdnet): `node bench/memory.mjs W1` prints one JSON line.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { simdnetWasm } from './contenders/simdnet.mjs';
import { w1 } from './workloads/w1.mjs';
import { w2 } from './workloads/w2.mjs';

const WORKLOADS = { W1: w1, W2: w2 };
const MiB = 2 ** 20;

async function measureOne(id) {
  const workload = WORKLOADS[id];
  const data = workload.data(false);
  const rssBefore = process.memoryUsage().rss;
  const model = await simdnetWasm.create(workload.spec);
  const rssBuilt = process.memoryUsage().rss;
  const heapBuilt = model.heapBytes();
  await model.fit(model.prepare(data));
  const result = {
    workload: id,
    contender: simdnetWasm.id,
    trainedRows: data.rows,
    inputMiB: +((data.x.byteLength + data.oneHot.byteLength) / MiB).toFixed(2),
    heapMiBBuilt: heapBuilt === null ? null : +(heapBuilt / MiB).toFixed(2),
    heapMiBTrained: model.heapBytes() === null ? null : +(model.heapBytes() / MiB).toFixed(2),
    rssMiBBeforeModel: +(rssBefore / MiB).toFixed(1),
    rssMiBBuilt: +(rssBuilt / MiB).toFixed(1),
    rssMiBTrained: +(process.memoryUsage().rss / MiB).toFixed(1),
  };
  model.dispose();
  return result;
}

/** Each workload in its own child process; returns their reports. */
export function memoryReport() {
  const script = fileURLToPath(import.meta.url);
  return Object.keys(WORKLOADS).map((id) => JSON.parse(execFileSync(process.execPath, [script, id], { encoding: 'utf8' })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await measureOne(process.argv[2])) + '\n');
}
