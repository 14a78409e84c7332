import { ResourceLimitError } from '../../ir/errors.js';
import { ensureFits } from '../../memory/limit.js';

/** Default qubit cap: 2^26 amplitudes × 16 bytes = 1 GiB for one state vector. */
export const DEFAULT_MAX_QUBITS = 26;

/**
 * Above 30 qubits amplitude indices no longer fit the 31-bit integer arithmetic of the kernels,
 * so no option can raise the cap past this.
 */
export const HARD_MAX_QUBITS = 30;

/** Bytes of one state vector (complex Float64 amplitudes). */
export function stateVectorBytes(numQubits: number): number {
  return 2 ** numQubits * 16;
}

/** `2 GiB`, `16 TiB`, `32 KiB` — sizes here are always powers of two. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  while (bytes >= 1024 && u < units.length - 1) {
    bytes /= 1024;
    u++;
  }
  return `${Number.isInteger(bytes) ? bytes : bytes.toFixed(1)} ${units[u]}`;
}

/** Throws ResourceLimitError when a state of `numQubits` exceeds the cap; call before allocating. */
export function checkQubitLimit(numQubits: number, maxQubits = DEFAULT_MAX_QUBITS): void {
  const limit = Math.min(maxQubits, HARD_MAX_QUBITS);
  if (numQubits <= limit) return;
  const why = maxQubits > HARD_MAX_QUBITS
    ? `the simulator's hard limit is ${HARD_MAX_QUBITS} qubits`
    : `the limit is ${limit} qubits (option \`maxQubits\`)`;
  throw new ResourceLimitError(
    `state vector of ${numQubits} qubits needs ${formatBytes(stateVectorBytes(numQubits))} ` +
      `(2^${numQubits} × 16 bytes); ${why}`,
  );
}

/** What to change when state vectors do not fit. */
export const STATE_VECTOR_ADVICE =
  'use fewer qubits, or `nearclifford propagate` (Pauli propagation with truncations) or `surrogate` near a Clifford point';

/**
 * Checks `count` state vectors of `numQubits` against the process memory limit (memory/limit.ts)
 * before any is allocated: the adjoint gradient needs two (ψ and λ), an expectation one.
 */
export function ensureStateVectorsFit(numQubits: number, count: number, what = 'state vector'): void {
  const bytes = count * stateVectorBytes(numQubits);
  const label = count === 1 ? `${what} of ${numQubits} qubits` : `${what} (${count} state vectors of ${numQubits} qubits)`;
  ensureFits(bytes, label, STATE_VECTOR_ADVICE);
}
