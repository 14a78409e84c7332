import { UserError } from './errors.js';

/**
 * Initial product states the engines support: |0…0⟩, |+…+⟩, or a computational basis state.
 * `bits[q]` is the bit of qubit q; in text form the leftmost character is qubit 0.
 */
export type InitialState =
  | { readonly kind: 'zero' }
  | { readonly kind: 'plus' }
  | { readonly kind: 'basis'; readonly bits: readonly (0 | 1)[] };

/** The all-zeros initial state |0…0⟩, the default everywhere. */
export const ZERO_STATE: InitialState = { kind: 'zero' };

/** Parses `zero`, `plus`, or a bitstring such as `0110` (leftmost = qubit 0). */
export function parseInitialState(text: string, numQubits: number): InitialState {
  const t = text.trim();
  if (t === 'zero') return ZERO_STATE;
  if (t === 'plus') return { kind: 'plus' };
  if (/^[01]+$/.test(t)) {
    if (t.length !== numQubits) {
      throw new UserError(`state '${t}' has ${t.length} bits but the circuit has ${numQubits} qubits`);
    }
    return { kind: 'basis', bits: Array.from(t, (ch) => (ch === '1' ? 1 : 0)) };
  }
  throw new UserError(`state must be 'zero', 'plus' or a bitstring of ${numQubits} 0/1 characters, got '${text}'`);
}

/** The text form of an initial state: `zero`, `plus` or the bitstring (leftmost = qubit 0). */
export function formatInitialState(s: InitialState): string {
  return s.kind === 'basis' ? s.bits.join('') : s.kind;
}

/** Packs a basis state's bits in the X-plane layout of src/pauli/packed.ts. */
export function packBasisBits(bits: readonly (0 | 1)[], W: number): Uint32Array {
  const out = new Uint32Array(W);
  bits.forEach((b, q) => {
    if (b) out[q >>> 5] = (out[q >>> 5]! | (1 << (q & 31))) >>> 0;
  });
  return out;
}

/** Throws a UserError when a basis state's bit count differs from the register size. */
export function checkState(state: InitialState, numQubits: number): void {
  if (state.kind === 'basis' && state.bits.length !== numQubits) {
    throw new UserError(`basis state has ${state.bits.length} bits but the circuit has ${numQubits} qubits`);
  }
}
