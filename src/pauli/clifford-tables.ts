import { CLIFFORD_GATES } from '../ir/clifford-gates.js';
import type { CliffordName } from '../ir/types.js';
import { multiply } from './packed.js';

/**
 * Lookup tables for Heisenberg conjugation by one Clifford gate, built once from the Heisenberg
 * images in the gate records (ir/clifford-gates.ts), so hot loops conjugate with a table load
 * instead of a switch.
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

const CODE: Record<string, number> = { _: 0, X: 1, Z: 2, Y: 3 };

/** Packs a record image such as '-XZ' into (x, z) words (W = 1, operand k = bit k); returns the phase i^e, e ∈ {0, 2}. */
function packImage(image: string, out: Uint32Array, o: number): number {
  out[o] = 0;
  out[o + 1] = 0;
  for (let k = 1; k < image.length; k++) {
    const c = CODE[image[k]!]!;
    out[o] = out[o]! | ((c & 1) << (k - 1));
    out[o + 1] = out[o + 1]! | (((c >>> 1) & 1) << (k - 1));
  }
  return image[0] === '-' ? 2 : 0;
}

function buildTable(name: CliffordName): CliffordTable {
  const { arity, heisenberg } = CLIFFORD_GATES[name];
  // Images of X_k and Z_k at rows 2k and 2k + 1 (two words each), with their phases.
  const rows = new Uint32Array(2 * heisenberg.length);
  const phase = heisenberg.map((img, r) => packImage(img, rows, 2 * r));
  const map = new Uint8Array(arity === 1 ? 4 : 16);
  const acc = new Uint32Array(2);
  for (let code = 1; code < map.length; code++) {
    // P = ⊗_k P_k with Y = i·X·Z, so U†PU = Π_k (i)^[P_k = Y] · U†X_kU^x · U†Z_kU^z.
    acc[0] = 0;
    acc[1] = 0;
    let e = 0;
    for (let k = 0; k < arity; k++) {
      const c = (code >>> (2 * k)) & 3;
      if (c & 1) e += multiply(acc, 0, rows, 4 * k, acc, 0, 1) + phase[2 * k]!;
      if (c & 2) e += multiply(acc, 0, rows, 4 * k + 2, acc, 0, 1) + phase[2 * k + 1]!;
      if (c === 3) e += 1;
    }
    e &= 3;
    if (e & 1) throw new Error(`internal error: the Heisenberg images of '${name}' are not a Clifford map`);
    const x = acc[0]!, z = acc[1]!;
    const out = (x & 1) | ((z & 1) << 1) | (((x >>> 1) & 1) << 2) | (((z >>> 1) & 1) << 3);
    map[code] = out | (e === 2 ? SIGN_BIT : 0);
  }
  return { arity, map };
}

/** One table per Clifford gate name. */
export const CLIFFORD_TABLES: Readonly<Record<CliffordName, CliffordTable>> = Object.fromEntries(
  Object.keys(CLIFFORD_GATES).map((n) => [n, buildTable(n as CliffordName)]),
) as Record<CliffordName, CliffordTable>;
