import type { CliffordName } from '../ir/types.js';

/**
 * Heisenberg-picture conjugation U†·P·U of a packed Pauli string (layout of packed.ts) by one
 * Clifford gate, in place. Returns true when the sign flips (U†PU = −P'). Phase rules follow
 * the Aaronson–Gottesman tableau update with Hermitian Y; REFERENCE §2 lists the checks:
 * H: X↔Z, Y→−Y;  S: X→−Y, Y→X;  CX(c,t): X_c→X_cX_t, Z_t→Z_cZ_t.
 */
export function conjugateByClifford(
  name: CliffordName, qubits: readonly number[], a: Uint32Array, ao: number, W: number,
): boolean {
  const q0 = qubits[0]!;
  const w0 = q0 >>> 5;
  const s0 = q0 & 31;
  const xi = ao + w0;
  const zi = ao + W + w0;
  const x = (a[xi]! >>> s0) & 1;
  const z = (a[zi]! >>> s0) & 1;
  const m0 = (1 << s0) >>> 0;
  switch (name) {
    case 'h':
      setBit(a, xi, m0, z);
      setBit(a, zi, m0, x);
      return (x & z) === 1;
    case 's': // X→−Y, Y→X
      setBit(a, zi, m0, z ^ x);
      return x === 1 && z === 0;
    case 'sdg': // X→Y, Y→−X
      setBit(a, zi, m0, z ^ x);
      return (x & z) === 1;
    case 'x':
      return z === 1;
    case 'y':
      return (x ^ z) === 1;
    case 'z':
      return x === 1;
    case 'sx': // Z→Y, Y→−Z (Rx(π/2) up to phase)
      setBit(a, xi, m0, x ^ z);
      return x === 1 && z === 1;
    case 'sxdg': // Z→−Y, Y→Z
      setBit(a, xi, m0, x ^ z);
      return x === 0 && z === 1;
    case 'swap':
    case 'cx':
    case 'cy':
    case 'cz':
      return conjugateTwoQubit(name, q0, qubits[1]!, a, ao, W);
  }
}

function conjugateTwoQubit(
  name: 'swap' | 'cx' | 'cy' | 'cz', c: number, t: number, a: Uint32Array, ao: number, W: number,
): boolean {
  const cw = c >>> 5, cm = (1 << (c & 31)) >>> 0, cs = c & 31;
  const tw = t >>> 5, tm = (1 << (t & 31)) >>> 0, ts = t & 31;
  const xc = (a[ao + cw]! >>> cs) & 1, zc = (a[ao + W + cw]! >>> cs) & 1;
  const xt = (a[ao + tw]! >>> ts) & 1, zt = (a[ao + W + tw]! >>> ts) & 1;
  switch (name) {
    case 'swap':
      setBit(a, ao + cw, cm, xt);
      setBit(a, ao + W + cw, cm, zt);
      setBit(a, ao + tw, tm, xc);
      setBit(a, ao + W + tw, tm, zc);
      return false;
    case 'cx':
      setBit(a, ao + tw, tm, xt ^ xc);
      setBit(a, ao + W + cw, cm, zc ^ zt);
      return (xc & zt & (xt ^ zc ^ 1)) === 1;
    case 'cz':
      setBit(a, ao + W + tw, tm, zt ^ xc);
      setBit(a, ao + W + cw, cm, zc ^ xt);
      return (xc & xt & (zc ^ zt)) === 1;
    case 'cy': {
      // CY = S_t·CX·S_t† as matrices; Heisenberg order: S_t first, then CX, then S_t†.
      let flip = conjugateByClifford('s', [t], a, ao, W);
      flip = conjugateTwoQubit('cx', c, t, a, ao, W) !== flip;
      return conjugateByClifford('sdg', [t], a, ao, W) !== flip;
    }
  }
}

function setBit(a: Uint32Array, i: number, mask: number, bit: number): void {
  a[i] = bit ? (a[i]! | mask) >>> 0 : (a[i]! & ~mask) >>> 0;
}
