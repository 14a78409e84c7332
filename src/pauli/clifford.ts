import type { CliffordName } from '../ir/types.js';
import { CLIFFORD_TABLES, SIGN_BIT } from './clifford-tables.js';

/**
 * Heisenberg-picture conjugation U†·P·U of a packed Pauli string (layout of packed.ts) by one
 * Clifford gate, in place. Returns true when the sign flips (U†PU = −P'). The rule is the gate's
 * table (clifford-tables.ts, built from the gate record); REFERENCE §2 lists the checks:
 * H: X↔Z, Y→−Y;  S: X→−Y, Y→X;  CX(c,t): X_c→X_cX_t, Z_t→Z_cZ_t.
 */
export function conjugateByClifford(
  name: CliffordName, qubits: readonly number[], a: Uint32Array, ao: number, W: number,
): boolean {
  const { arity, map } = CLIFFORD_TABLES[name];
  const q0 = qubits[0]!;
  const xi0 = ao + (q0 >>> 5), zi0 = xi0 + W, b0 = q0 & 31;
  let code = ((a[xi0]! >>> b0) & 1) | (((a[zi0]! >>> b0) & 1) << 1);
  let xi1 = 0, zi1 = 0, b1 = 0;
  if (arity === 2) {
    const q1 = qubits[1]!;
    xi1 = ao + (q1 >>> 5);
    zi1 = xi1 + W;
    b1 = q1 & 31;
    code |= (((a[xi1]! >>> b1) & 1) << 2) | (((a[zi1]! >>> b1) & 1) << 3);
  }
  if (code === 0) return false;
  const out = map[code]!;
  setBit(a, xi0, b0, out & 1);
  setBit(a, zi0, b0, (out >>> 1) & 1);
  if (arity === 2) {
    setBit(a, xi1, b1, (out >>> 2) & 1);
    setBit(a, zi1, b1, (out >>> 3) & 1);
  }
  return (out & SIGN_BIT) !== 0;
}

function setBit(a: Uint32Array, i: number, b: number, bit: number): void {
  const mask = (1 << b) >>> 0;
  a[i] = bit ? (a[i]! | mask) >>> 0 : (a[i]! & ~mask) >>> 0;
}
