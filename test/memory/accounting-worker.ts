import { parentPort, workerData } from 'node:worker_threads';
import { attachAccounting, releaseReservation, tryReserve } from '../../src/memory/accounting.js';

// A stand-in for a pool worker: joins the shared accounting, then answers reservation requests.
const { memory, owner } = workerData as { memory: { buffer: SharedArrayBuffer }; owner: number };
attachAccounting(memory, owner);
parentPort!.on('message', (m: { bytes?: number; limit?: number; release?: boolean; holdLock?: boolean }) => {
  if (m.holdLock) {
    // A thread stopped inside the locked section (what piscina's destroy does to a busy worker):
    // take the lock as tryReserve does, say so, and never leave the section.
    const lock = new Int32Array(memory.buffer, 0, 1);
    while (Atomics.compareExchange(lock, 0, 0, 1) !== 0);
    parentPort!.postMessage({ held: true });
    for (;;);
  }
  if (m.release) {
    releaseReservation();
    parentPort!.postMessage({ released: true });
  } else {
    parentPort!.postMessage(tryReserve(m.bytes!, m.limit!));
  }
});
