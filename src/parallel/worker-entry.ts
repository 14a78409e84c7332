import { Piscina } from 'piscina';
import { attachAccounting, releaseReservation, type SharedAccounting } from '../memory/accounting.js';
import { executeEnvelope, type TaskOutcome } from '../tasks/executor.js';
import { lookupHandler } from './registry.js';

/**
 * The worker-thread entry of the pool (built to dist/pool-worker.js): one envelope in, one outcome
 * out. Failures come back as data (see executeEnvelope), never as a thrown error, so their kind
 * (payload, user, internal) survives the thread boundary.
 */
const data = Piscina.workerData as { memory?: SharedAccounting; memoryOwner?: number } | undefined;
attachAccounting(data?.memory, data?.memoryOwner ?? 0);

export default function runTask(envelope: unknown): TaskOutcome {
  try {
    return executeEnvelope(lookupHandler, envelope);
  } finally {
    // The task's tables are garbage now: its reservation shrinks to what the thread still holds.
    releaseReservation();
  }
}
