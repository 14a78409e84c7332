import type { CliffordName, PauliLetter } from './types.js';

/**
 * The one record of each Clifford gate of the IR: a gate is data, and every engine has one apply
 * rule that reads it. The DSL parser and OpenQASM front ends take names and arities from here
 * (via the gate library), the printers print `name`, the state-vector simulator undoes a gate with
 * `inverse`, the Pauli-propagation tables and the packed-string conjugation are built from
 * `heisenberg`, the encoder names quarter-turn rotations through `quarterTurn`, and the tests check
 * all of it against `matrix`.
 */
export interface CliffordGateRecord {
  /** Lower-case name, as written in the DSL and in OpenQASM. */
  readonly name: CliffordName;
  /** Number of qubit operands; for two-qubit gates the control (or first) operand comes first. */
  readonly arity: 1 | 2;
  /** The gate whose product with this one is the identity (exactly, not only up to phase). */
  readonly inverse: CliffordName;
  /**
   * Heisenberg images U†·P·U of the operand generators, in the order X₀, Z₀ (then X₁, Z₁ for
   * two-qubit gates), each a sign followed by one letter per operand (`_` for the identity,
   * operand 0 first): `h` maps X₀ to `+Z` and Z₀ to `+X`; `cx` maps X₀ to `+XX`.
   */
  readonly heisenberg: readonly string[];
  /**
   * When the gate equals exp(−i·turns·(π/2)·P/2) up to a global phase for a one-qubit Pauli P:
   * that letter and the number of quarter turns (1, 2 or 3); null otherwise.
   */
  readonly quarterTurn: { readonly letter: PauliLetter; readonly turns: 1 | 2 | 3 } | null;
  /**
   * The unitary as rows of [re, im] entries, textbook order: operand 0 is the most significant
   * bit of the row and column index (|control, target⟩ for two-qubit gates). For tests and
   * cross-checks; no engine multiplies by it.
   */
  readonly matrix: readonly (readonly (readonly [number, number])[])[];
}

const R = Math.SQRT1_2;
const O: [number, number] = [0, 0];
const I1: [number, number] = [1, 0];
const M1: [number, number] = [-1, 0];
const PI_: [number, number] = [0, 1];
const MI: [number, number] = [0, -1];
const RP: [number, number] = [R, 0];
const RM: [number, number] = [-R, 0];

function record(
  name: CliffordName, inverse: CliffordName, heisenberg: string[],
  quarterTurn: CliffordGateRecord['quarterTurn'], matrix: [number, number][][],
): CliffordGateRecord {
  return { name, arity: heisenberg.length === 2 ? 1 : 2, inverse, heisenberg, quarterTurn, matrix };
}

/** Every Clifford gate of the IR by name (the order of CLIFFORD_GATE_NAMES). */
export const CLIFFORD_GATES: Readonly<Record<CliffordName, CliffordGateRecord>> = {
  h: record('h', 'h', ['+Z', '+X'], null, [[RP, RP], [RP, RM]]),
  s: record('s', 'sdg', ['-Y', '+Z'], { letter: 'Z', turns: 1 }, [[I1, O], [O, PI_]]),
  sdg: record('sdg', 's', ['+Y', '+Z'], { letter: 'Z', turns: 3 }, [[I1, O], [O, MI]]),
  x: record('x', 'x', ['+X', '-Z'], { letter: 'X', turns: 2 }, [[O, I1], [I1, O]]),
  y: record('y', 'y', ['-X', '-Z'], { letter: 'Y', turns: 2 }, [[O, MI], [PI_, O]]),
  z: record('z', 'z', ['-X', '+Z'], { letter: 'Z', turns: 2 }, [[I1, O], [O, M1]]),
  sx: record('sx', 'sxdg', ['+X', '+Y'], { letter: 'X', turns: 1 }, [[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]]),
  sxdg: record('sxdg', 'sx', ['+X', '-Y'], { letter: 'X', turns: 3 }, [[[0.5, -0.5], [0.5, 0.5]], [[0.5, 0.5], [0.5, -0.5]]]),
  cx: record('cx', 'cx', ['+XX', '+Z_', '+_X', '+ZZ'], null, [[I1, O, O, O], [O, I1, O, O], [O, O, O, I1], [O, O, I1, O]]),
  cy: record('cy', 'cy', ['+XY', '+Z_', '+ZX', '+ZZ'], null, [[I1, O, O, O], [O, I1, O, O], [O, O, O, MI], [O, O, PI_, O]]),
  cz: record('cz', 'cz', ['+XZ', '+Z_', '+ZX', '+_Z'], null, [[I1, O, O, O], [O, I1, O, O], [O, O, I1, O], [O, O, O, M1]]),
  swap: record('swap', 'swap', ['+_X', '+_Z', '+X_', '+Z_'], null, [[I1, O, O, O], [O, O, I1, O], [O, I1, O, O], [O, O, O, I1]]),
};

/** Number of qubits each Clifford gate acts on (from the records). */
export const CLIFFORD_ARITY: Readonly<Record<CliffordName, 1 | 2>> = Object.fromEntries(
  Object.values(CLIFFORD_GATES).map((g) => [g.name, g.arity]),
) as Record<CliffordName, 1 | 2>;
