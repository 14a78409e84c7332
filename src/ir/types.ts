/**
 * The intermediate representation every engine consumes: an ordered list of Clifford gates and
 * Pauli rotations exp(−i·angle·P/2) whose angles are affine in named parameters, the parameter
 * table, and named observables given as Pauli sums. Qubit 0 is the first qubit of the register.
 */
import type { CompactGates } from './compact.js';

/** A single-qubit Pauli letter; the identity is never stored. */
export type PauliLetter = 'X' | 'Y' | 'Z';

/**
 * A Pauli string in sparse form: `qubits` strictly increasing, `letters[i]` acting on `qubits[i]`.
 * The empty string is the identity.
 */
export interface SparsePauli {
  readonly qubits: readonly number[];
  readonly letters: readonly PauliLetter[];
}

/** One weighted term of an observable. */
export interface PauliTerm {
  readonly coeff: number;
  readonly pauli: SparsePauli;
}

/** A named Hermitian observable Σ c_j P_j (real coefficients). */
export interface Observable {
  readonly name: string;
  readonly terms: readonly PauliTerm[];
}

/** One summand of an affine expression: `coeff` times the parameter at flat index `param`. */
export interface AffineTerm {
  readonly param: number;
  readonly coeff: number;
}

/**
 * c0 + Σ c_k φ_k over the flat parameter vector φ. `terms` has distinct, increasing `param`
 * indices and no zero coefficients (see `affine.ts`, which keeps that normal form).
 */
export interface AffineExpr {
  readonly constant: number;
  readonly terms: readonly AffineTerm[];
}

/** Where a gate came from in its source file (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Names of the IR's Clifford gates (their data: {@link CLIFFORD_GATES}). */
export const CLIFFORD_GATE_NAMES = [
  'h', 's', 'sdg', 'x', 'y', 'z', 'sx', 'sxdg', 'cx', 'cy', 'cz', 'swap',
] as const;
/** One of {@link CLIFFORD_GATE_NAMES}. */
export type CliffordName = (typeof CLIFFORD_GATE_NAMES)[number];

/** Number of qubits each Clifford gate acts on; for two-qubit gates the control comes first. */
export { CLIFFORD_ARITY } from './clifford-gates.js';

/** A Clifford gate of the IR on its qubits (control first for two-qubit gates). */
export interface CliffordGate {
  readonly kind: 'clifford';
  readonly name: CliffordName;
  readonly qubits: readonly number[];
  readonly source?: SourceLocation;
}

/** exp(−i·angle·P/2) with P a non-identity Pauli string on any number of qubits. */
export interface PauliRotation {
  readonly kind: 'rotation';
  readonly pauli: SparsePauli;
  readonly angle: AffineExpr;
  readonly source?: SourceLocation;
}

/**
 * A noise channel with numeric strengths (see src/noise/channels.ts for the channels and their
 * Heisenberg maps). Circuits without channels are unitary; engines that cannot apply channels say
 * so instead of ignoring them.
 */
export interface NoiseChannel {
  readonly kind: 'channel';
  readonly name: ChannelName;
  readonly qubits: readonly number[];
  readonly strengths: readonly number[];
  readonly source?: SourceLocation;
}

/** The noise channels the IR knows (docs/noise.md). */
export const CHANNEL_NAMES = ['depolarize', 'depolarize2', 'dephase', 'pauli_noise', 'amplitude_damp'] as const;
/** A noise channel's name. */
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The unitary operations: what every engine applies. */
export type UnitaryGate = CliffordGate | PauliRotation;

/** One operation of a circuit: a unitary gate or a noise channel. */
export type Gate = UnitaryGate | NoiseChannel;

/** A declared parameter: a scalar (`length === null`) or a vector occupying `length` flat slots. */
export interface ParameterDecl {
  readonly name: string;
  readonly length: number | null;
  /** Flat index of the scalar, or of element 0 of the vector. */
  readonly offset: number;
}

/**
 * A circuit: register size, parameter table, gates in time order and named observables. Build one
 * with {@link CircuitBuilder}, {@link parseDsl}, {@link parseQasm} or {@link buildAnsatz}.
 */
export interface Circuit {
  readonly numQubits: number;
  /** Declarations in flat-index order; their slots tile 0 … numParameters−1. */
  readonly parameters: readonly ParameterDecl[];
  readonly numParameters: number;
  readonly gates: readonly Gate[];
  readonly observables: readonly Observable[];
  /**
   * The same gates as typed arrays (compact.ts), when a front end built them so; non-enumerable,
   * so spreads and clones drop it. Engines read it instead of `gates` when present: `gates` is
   * then materialised from it on first access only. Internal: its layout is not public API.
   * @internal
   */
  readonly compact?: CompactGates;
}
