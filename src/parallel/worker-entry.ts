import { executeEnvelope, type TaskOutcome } from '../tasks/executor.js';
import { lookupHandler } from './registry.js';

/**
 * The worker-thread entry of the pool (built to dist/pool-worker.js): one envelope in, one outcome
 * out. Failures come back as data (see executeEnvelope), never as a thrown error, so their kind
 * (payload, user, internal) survives the thread boundary.
 */
export default function runTask(envelope: unknown): TaskOutcome {
  return executeEnvelope(lookupHandler, envelope);
}
