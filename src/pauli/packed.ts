import { hashKey } from './hash-index.js';

/**
 * Bit-packed Pauli strings. A string on n qubits occupies `2·W` Uint32 words, W = ceil(n/32):
 * words [0, W) hold the X plane, words [W, 2W) the Z plane; qubit q is bit q%32 of word q/32.
 * Letters: I = (0,0), X = (1,0), Z = (0,1), Y = (1,1), where Y is the Hermitian Pauli Y (not XZ).
 * Functions take (array, offset) pairs so strings can live inside large flat tables without
 * per-term objects.
 */

export function wordsFor(numQubits: number): number {
  return Math.max(1, Math.ceil(numQubits / 32));
}

/** Number of set bits of a 32-bit integer. @internal */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Parity (0 or 1) of the number of set bits of a 32-bit integer. @internal */
export function parity32(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  // 0x6996 is the parity table of the 16 nibble values.
  return (0x6996 >>> (v & 15)) & 1;
}

/** Number of non-identity letters. */
export function weight(a: Uint32Array, ao: number, W: number): number {
  let w = 0;
  for (let k = 0; k < W; k++) w += popcount32((a[ao + k]! | a[ao + W + k]!) >>> 0);
  return w;
}

/** True when the two strings commute (an even number of anticommuting positions). */
export function commutes(a: Uint32Array, ao: number, b: Uint32Array, bo: number, W: number): boolean {
  let parity = 0;
  for (let k = 0; k < W; k++) {
    parity ^= popcount32(((a[ao + k]! & b[bo + W + k]!) ^ (a[ao + W + k]! & b[bo + k]!)) >>> 0);
  }
  return (parity & 1) === 0;
}

/**
 * Writes the Pauli part of a·b into out (out may alias a or b) and returns the exponent e of the
 * exact phase: a·b = i^e · out, e ∈ {0,1,2,3}.
 */
export function multiply(
  a: Uint32Array, ao: number, b: Uint32Array, bo: number, out: Uint32Array, oo: number, W: number,
): number {
  let plus = 0;
  let minus = 0;
  for (let k = 0; k < W; k++) {
    const x1 = a[ao + k]!, z1 = a[ao + W + k]!, x2 = b[bo + k]!, z2 = b[bo + W + k]!;
    const X1 = x1 & ~z1, Y1 = x1 & z1, Z1 = ~x1 & z1;
    const X2 = x2 & ~z2, Y2 = x2 & z2, Z2 = ~x2 & z2;
    // Cyclic pairs XY, YZ, ZX give +i; anticyclic YX, ZY, XZ give −i.
    plus += popcount32(((X1 & Y2) | (Y1 & Z2) | (Z1 & X2)) >>> 0);
    minus += popcount32(((Y1 & X2) | (Z1 & Y2) | (X1 & Z2)) >>> 0);
    out[oo + k] = x1 ^ x2;
    out[oo + W + k] = z1 ^ z2;
  }
  return (((plus - minus) % 4) + 4) % 4;
}

export function equals(a: Uint32Array, ao: number, b: Uint32Array, bo: number, W: number): boolean {
  for (let k = 0; k < 2 * W; k++) if (a[ao + k] !== b[bo + k]) return false;
  return true;
}

export function isIdentity(a: Uint32Array, ao: number, W: number): boolean {
  for (let k = 0; k < 2 * W; k++) if (a[ao + k] !== 0) return false;
  return true;
}

/** Letter code at qubit q: 0 = I, 1 = X, 2 = Z, 3 = Y (bit 0 = x, bit 1 = z). */
export function letterCode(a: Uint32Array, ao: number, W: number, q: number): number {
  const k = q >>> 5;
  const bit = q & 31;
  return ((a[ao + k]! >>> bit) & 1) | (((a[ao + W + k]! >>> bit) & 1) << 1);
}

/** Sets qubit q's letter code (0 I, 1 X, 2 Z, 3 Y) of the packed string at ao. @internal */
export function setLetterCode(a: Uint32Array, ao: number, W: number, q: number, code: number): void {
  const k = q >>> 5;
  const m = (1 << (q & 31)) >>> 0;
  a[ao + k] = code & 1 ? a[ao + k]! | m : a[ao + k]! & ~m;
  a[ao + W + k] = code & 2 ? a[ao + W + k]! | m : a[ao + W + k]! & ~m;
}

/** Hash of `len` words (the shared hash of hash-index.ts, as an unsigned number). @internal */
export function hashWords(a: Uint32Array, ao: number, len: number): number {
  return hashKey(a, ao, len) >>> 0;
}

/**
 * The one sign-of-iGQ kernel. For generator letters (gX, gY, gZ masks of one word) and a string
 * word (x, z), the signed count of cyclic minus anticyclic letter pairs (XY, YZ, ZX give +i;
 * YX, ZY, XZ give −i) of G·Q on that word. Summed over words to k, G·Q = i^k·Q' and, for
 * anticommuting strings (k odd), iGQ = s·Q' with s = iGQSign(k).
 */
export function phaseCount(gX: number, gY: number, gZ: number, x: number, z: number): number {
  const qX = x & ~z, qY = x & z, qZ = z & ~x;
  return popcount32(((gX & qY) | (gY & qZ) | (gZ & qX)) >>> 0) - popcount32(((gY & qX) | (gZ & qY) | (gX & qZ)) >>> 0);
}

/** Sign s of iGQ = s·Q' from the summed phaseCount k (odd): −1 for k ≡ 1 (mod 4), +1 for k ≡ 3. */
export function iGQSign(k: number): number {
  return (k & 3) === 1 ? -1 : 1;
}

/**
 * Writes Q' = G·Q (Pauli part) for G at (g, go) and Q at (q, qo) into out and returns the sign s
 * of iGQ = s·Q' (G and Q must anticommute).
 */
export function iGQ(g: Uint32Array, go: number, q: Uint32Array, qo: number, out: Uint32Array, oo: number, W: number): number {
  let k = 0;
  for (let w = 0; w < W; w++) {
    const gx = g[go + w]!, gz = g[go + W + w]!, x = q[qo + w]!, z = q[qo + W + w]!;
    k += phaseCount(gx & ~gz, gx & gz, ~gx & gz, x, z);
    out[oo + w] = gx ^ x;
    out[oo + W + w] = gz ^ z;
  }
  return iGQSign(k);
}

/**
 * Expectation ⟨b|P|b⟩ in the computational basis state |b⟩ given as packed bits (same layout as
 * the X plane): 0 if P has an X or Y, else (−1)^(#Z on 1-bits).
 */
export function basisExpectation(a: Uint32Array, ao: number, W: number, bits: Uint32Array): number {
  let parity = 0;
  for (let k = 0; k < W; k++) {
    if (a[ao + k] !== 0) return 0;
    parity ^= popcount32((a[ao + W + k]! & bits[k]!) >>> 0);
  }
  return parity & 1 ? -1 : 1;
}

/** ⟨+…+|P|+…+⟩: 1 if P has only I/X letters, else 0. */
export function plusExpectation(a: Uint32Array, ao: number, W: number): number {
  for (let k = 0; k < W; k++) if (a[ao + W + k] !== 0) return 0;
  return 1;
}
