import { UserError } from './errors.js';
import { MAX_PARAMETERS, MAX_QUBITS } from './limits.js';
import { countParameters } from './parameters.js';
import type { AffineExpr, Circuit, Gate, Observable, ParameterDecl, SourceLocation, UnitaryGate } from './types.js';
import { CLIFFORD_ARITY } from './types.js';
import { circuitWithCompactGates, CompactGates } from './compact.js';

/**
 * Assembles a Circuit while checking what front ends can get wrong: qubit ranges, repeated
 * qubits in one gate, duplicate declarations. Errors carry the source location when given.
 */
export class CircuitAssembler {
  private numQubits: number | null = null;
  private readonly params: ParameterDecl[] = [];
  /** Name → declaration, so declaring or resolving P parameters stays O(P). */
  private readonly paramsByName = new Map<string, ParameterDecl>();
  /** Gates as typed arrays (compact.ts); the Circuit's `gates` objects are made from it on demand. */
  private gates: CompactGates;
  /** True once `gates` belongs to a built Circuit: the next append copies it first. */
  private handedOut = false;
  private readonly observables: Observable[] = [];
  private nextOffset = 0;

  /**
   * `capacity`: gates expected (the arrays start that large instead of doubling up to it);
   * `ensureFits`: the memory limit's check, asked before the gate arrays are made or grown.
   */
  constructor(capacity?: number, ensureFits?: (bytes: number, what: string) => void) {
    this.gates = new CompactGates(capacity, ensureFits);
  }

  setQubits(n: number, at?: SourceLocation): void {
    if (this.numQubits !== null) throw new UserError('qubits are declared twice', at);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`qubit count must be a positive integer, got ${n}`, at);
    if (n > MAX_QUBITS) throw new UserError(`${n} qubits exceed the limit of ${MAX_QUBITS}`, at);
    this.numQubits = n;
  }

  get qubitCount(): number | null {
    return this.numQubits;
  }

  /**
   * Raises the qubit count to `n` (never lowers it), for front ends whose qubits are declared as
   * the program goes (OpenQASM registers, physical `$n`): gates are checked against the qubits
   * declared so far. The caller checks n against its own cap first.
   */
  growQubits(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > MAX_QUBITS) throw new Error(`growQubits: bad qubit count ${n}`);
    if (this.numQubits === null || n > this.numQubits) this.numQubits = n;
  }

  /** Gates appended so far. */
  get gateCount(): number {
    return this.gates.length;
  }

  /** Declares a scalar (length null) or vector parameter; returns its flat offset. */
  declareParameter(name: string, length: number | null, at?: SourceLocation): number {
    if (this.paramsByName.has(name)) throw new UserError(`parameter '${name}' is declared twice`, at);
    if (length !== null && (!Number.isInteger(length) || length < 1)) {
      throw new UserError(`parameter vector '${name}' needs a positive integer length, got ${length}`, at);
    }
    if (this.nextOffset + (length ?? 1) > MAX_PARAMETERS) {
      throw new UserError(`${this.nextOffset + (length ?? 1)} parameters exceed the limit of ${MAX_PARAMETERS}`, at);
    }
    const offset = this.nextOffset;
    const decl = { name, length, offset };
    this.params.push(decl);
    this.paramsByName.set(name, decl);
    this.nextOffset += length ?? 1;
    return offset;
  }

  hasParameter(name: string): boolean {
    return this.paramsByName.has(name);
  }

  /** The declaration of `name`, if declared (front ends resolve names through it without throwing). */
  findParameter(name: string): ParameterDecl | undefined {
    return this.paramsByName.get(name);
  }

  /** Flat index of `name` (scalar) or `name[index]` (vector element), with range checks. */
  parameterIndex(name: string, index: number | null, at?: SourceLocation): number {
    const d = this.paramsByName.get(name);
    if (!d) throw new UserError(`unknown parameter '${name}'`, at);
    if (d.length === null) {
      if (index !== null) throw new UserError(`parameter '${name}' is a scalar and cannot be indexed`, at);
      return d.offset;
    }
    if (index === null) throw new UserError(`parameter '${name}' is a vector of ${d.length}: write ${name}[i]`, at);
    if (!Number.isInteger(index) || index < 0 || index >= d.length) {
      throw new UserError(`index ${index} is out of range for ${name}[${d.length}]`, at);
    }
    return d.offset + index;
  }

  /** Appends IR gates, checking qubit indices; `at` is attached to each gate as its source. */
  addGates(gates: readonly Gate[], at?: SourceLocation): void {
    for (const g of gates) this.addGate(g, at);
  }

  /** addGates for one gate (no array to make); `at`, when given, replaces the gate's own source. */
  addGate(g: Gate, at?: SourceLocation): void {
    const where = at ?? g.source;
    const n = this.requireQubits(where);
    const qs = gateQubits(g);
    if (g.kind === 'clifford' && qs.length !== CLIFFORD_ARITY[g.name]) {
      throw new UserError(`gate '${g.name}' takes ${CLIFFORD_ARITY[g.name]} qubit(s), got ${qs.length}`, where);
    }
    if (g.kind === 'rotation' && qs.length === 0) throw new UserError('a Pauli rotation needs a non-identity generator', where);
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i]!;
      if (!Number.isInteger(q) || q < 0 || q >= n) throw new UserError(`qubit ${q} is out of range for ${n} qubits`, where);
      // Gates act on a handful of qubits, so a quadratic scan beats allocating a Set per gate.
      for (let j = 0; j < i; j++) if (qs[j] === q) throw new UserError('a gate acts on the same qubit twice', where);
    }
    this.own().push(g, where);
  }

  /**
   * Renumbers the parameters of every angle form appended so far: parameter p becomes remap[p]
   * (OpenQASM inputs ordered by the file's pragmas or grouped into vectors once the whole program
   * is read). Forms are rewritten once each, not once per gate.
   */
  remapParameters(remap: readonly number[]): void {
    this.own().mapParametricAngles((a) => {
      const terms = a.terms.map((t) => ({ param: remap[t.param]!, coeff: t.coeff })).sort((x, y) => x.param - y.param);
      return { constant: a.constant, terms };
    });
  }

  /**
   * Appends one Clifford gate by opcode (compact.ts; q1 = −1 for one-qubit gates) with the checks of
   * addGates, without a gate object: the front ends' fast paths enter here.
   */
  addClifford(opcode: number, q0: number, q1: number, file: string, line: number, column: number): void {
    // The location object is made only for an error.
    const n = this.numQubits ?? this.requireQubits({ file, line, column });
    if (!Number.isInteger(q0) || q0 < 0 || q0 >= n) throw new UserError(`qubit ${q0} is out of range for ${n} qubits`, { file, line, column });
    if (q1 >= 0) {
      if (!Number.isInteger(q1) || q1 >= n) throw new UserError(`qubit ${q1} is out of range for ${n} qubits`, { file, line, column });
      if (q1 === q0) throw new UserError('a gate acts on the same qubit twice', { file, line, column });
    }
    this.own().pushCliffordAt(opcode, q0, q1, file, line, column);
  }

  /**
   * Appends a rotation whose generator has one letter (code 1 X, 2 Y, 3 Z; compact.ts LETTER_CODE)
   * or two (code1 ≥ 1, q1 ≥ 0; any order), with the checks of addGates and without objects. `angle`
   * is an id from `angleId` or `constantAngle`.
   */
  addRotation(code0: number, q0: number, code1: number, q1: number, angle: number, file: string, line: number, column: number): void {
    const n = this.numQubits ?? this.requireQubits({ file, line, column });
    if (!Number.isInteger(q0) || q0 < 0 || q0 >= n) throw new UserError(`qubit ${q0} is out of range for ${n} qubits`, { file, line, column });
    const g = this.own();
    if (q1 < 0) {
      g.pushRotationAt(g.generator1(code0, q0), angle, file, line, column);
      return;
    }
    if (!Number.isInteger(q1) || q1 >= n) throw new UserError(`qubit ${q1} is out of range for ${n} qubits`, { file, line, column });
    if (q1 === q0) throw new UserError('a gate acts on the same qubit twice', { file, line, column });
    const id = q0 < q1 ? g.generator2(code0, q0, code1, q1) : g.generator2(code1, q1, code0, q0);
    g.pushRotationAt(id, angle, file, line, column);
  }

  /** The id of an angle form for addRotation (constant forms interned). */
  angleId(form: AffineExpr): number {
    return this.own().angleId(form);
  }

  /** The id of the constant angle c for addRotation, without making a form object when it is known. */
  constantAngle(c: number): number {
    return this.own().constantAngle(c);
  }

  /** The gate arrays to append to: a copy when the current ones belong to a built Circuit (rare). */
  private own(): CompactGates {
    if (this.handedOut) {
      this.gates = this.gates.clone();
      this.handedOut = false;
    }
    return this.gates;
  }

  addObservable(obs: Observable, at?: SourceLocation): void {
    const n = this.requireQubits(at);
    if (this.observables.some((o) => o.name === obs.name)) throw new UserError(`observable '${obs.name}' is declared twice`, at);
    for (const t of obs.terms) {
      for (const q of t.pauli.qubits) {
        if (q >= n) throw new UserError(`observable '${obs.name}': qubit ${q} is out of range for ${n} qubits`, at);
      }
    }
    this.observables.push(obs);
  }

  requireQubits(at?: SourceLocation): number {
    if (this.numQubits === null) throw new UserError('declare the qubits first (e.g. `qubits 4;`)', at);
    return this.numQubits;
  }

  build(): Circuit {
    if (this.numQubits === null) throw new UserError('the circuit declares no qubits');
    this.handedOut = true;
    return circuitWithCompactGates(
      {
        numQubits: this.numQubits,
        parameters: this.params.slice(),
        numParameters: countParameters(this.params),
        observables: this.observables.slice(),
      },
      this.gates,
    );
  }
}

/** The gate with `source` as its source location (a new object of the same shape as a literal). */
export function withSource<G extends Gate>(g: G, source: SourceLocation): G;
export function withSource(g: Gate, source: SourceLocation): Gate {
  switch (g.kind) {
    case 'clifford': return { kind: 'clifford', name: g.name, qubits: g.qubits, source };
    case 'rotation': return { kind: 'rotation', pauli: g.pauli, angle: g.angle, source };
    case 'channel': return { kind: 'channel', name: g.name, qubits: g.qubits, strengths: g.strengths, source };
  }
}

/** The gate's qubits (generator support for rotations). */
export function gateQubits(g: Gate): readonly number[] {
  return g.kind === 'rotation' ? g.pauli.qubits : g.qubits;
}

/** True when the circuit contains at least one noise channel. */
export function hasNoise(circuit: Pick<Circuit, 'gates' | 'compact'>): boolean {
  if (circuit.compact) return circuit.compact.firstChannel >= 0;
  return circuit.gates.some((g) => g.kind === 'channel');
}

/**
 * The circuit's gates when it has no noise channel; otherwise a UserError naming the engine, the
 * first channel (with its source position) and what to use instead. Engines that only apply
 * unitaries call this instead of skipping channels, so noise is never silently dropped.
 */
export function unitaryGates(circuit: { readonly gates: readonly Gate[] }, engine: string, instead: string): readonly UnitaryGate[] {
  const ch = circuit.gates.find((g) => g.kind === 'channel');
  if (ch) {
    throw new UserError(`${engine} applies unitary gates only, but the circuit has noise channels (first: ${ch.name}); ${instead}`, ch.source);
  }
  return circuit.gates as readonly UnitaryGate[];
}

/** Looks up a named observable, with the list of known names on failure. */
export function findObservable(circuit: Circuit, name: string): Observable | undefined {
  return circuit.observables.find((o) => o.name === name);
}
