import type { CliffordName } from '../ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../ir/types.js';
import { conjugateByClifford } from './clifford.js';

/**
 * Lookup tables for Heisenberg conjugation by one Clifford gate, derived once from the verified
 * bit rules of clifford.ts, so hot loops can conjugate with a table load instead of a switch.
 *
 * Letter codes are those of packed.ts (bit 0 = x, bit 1 = z: I=0, X=1, Z=2, Y=3). For a gate on
 * qubits (q0, q1) the input index is code(q0) | code(q1) << 2; the entry is the output index in
 * the same layout, plus SIGN_BIT when U†PU = −P'.
 */
export const SIGN_BIT = 16;

export interface CliffordTable {
  readonly arity: 1 | 2;
  /** 4 entries for one-qubit gates, 16 for two-qubit gates. */
  readonly map: Uint8Array;
}

function buildTable(name: CliffordName): CliffordTable {
  const arity = CLIFFORD_ARITY[name];
  const qubits = arity === 1 ? [0] : [0, 1];
  const map = new Uint8Array(arity === 1 ? 4 : 16);
  const buf = new Uint32Array(2);
  for (let code = 0; code < map.length; code++) {
    // One word per plane (W = 1): qubit k's x bit is bit k of word 0, z bit is bit k of word 1.
    buf[0] = (code & 1) | ((code >>> 2) & 1) << 1;
    buf[1] = ((code >>> 1) & 1) | ((code >>> 3) & 1) << 1;
    const flip = conjugateByClifford(name, qubits, buf, 0, 1);
    const x = buf[0]!, z = buf[1]!;
    const out = (x & 1) | ((z & 1) << 1) | (((x >>> 1) & 1) << 2) | (((z >>> 1) & 1) << 3);
    map[code] = out | (flip ? SIGN_BIT : 0);
  }
  return { arity, map };
}

/** One table per Clifford gate name. */
export const CLIFFORD_TABLES: Readonly<Record<CliffordName, CliffordTable>> = Object.fromEntries(
  CLIFFORD_GATE_NAMES.map((n) => [n, buildTable(n)]),
) as Record<CliffordName, CliffordTable>;
