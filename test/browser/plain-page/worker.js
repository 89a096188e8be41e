// A module worker that imports simdnet and trains off the main thread.
import { Dense, Sequential } from '/dist/index.js';
import { trainXor } from './xor.js';

trainXor({ Dense, Sequential }).then((r) => self.postMessage(r));
