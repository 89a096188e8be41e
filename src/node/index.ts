// simdnet/node: helpers that need Node's file system.

export { loadDataset, takeRows, standardizer, DATASETS, type Dataset, type DatasetName } from './datasets.js';
export { saveModelFile, loadModelFile, writeFileAtomic } from './files.js';
