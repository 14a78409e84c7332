import { parentPort, workerData } from 'node:worker_threads';
import { attachAccounting, releaseReservation, tryReserve } from '../../src/memory/accounting.js';

// A stand-in for a pool worker: joins the shared accounting, then answers reservation requests.
const { memory, owner } = workerData as { memory: { buffer: SharedArrayBuffer }; owner: number };
attachAccounting(memory, owner);
parentPort!.on('message', (m: { bytes?: number; limit?: number; release?: boolean }) => {
  if (m.release) {
    releaseReservation();
    parentPort!.postMessage({ released: true });
  } else {
    parentPort!.postMessage(tryReserve(m.bytes!, m.limit!));
  }
});
