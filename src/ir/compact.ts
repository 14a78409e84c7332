import type { AffineExpr, Circuit, CliffordName, Gate, NoiseChannel, PauliLetter, SourceLocation, SparsePauli } from './types.js';
import { CLIFFORD_GATE_NAMES } from './types.js';

/**
 * The compact IR (issue 13 item 1): a circuit's gates as a struct of typed arrays instead of one
 * object per gate, so a front end appends a gate without allocating and an engine reads it without
 * chasing pointers. Per gate: an opcode (Uint8), the offset of its operands (Int32) into one
 * operand array (Int32), an angle-form index (Int32, −1 for none) and its source position (line
 * Int32, column Uint16; the file by runs), i.e. 1 + 4 + 4·arity + 4 + 6 bytes: 19 B for a
 * one-qubit and 23 B for a two-qubit gate. Source positions are read only to word errors.
 *
 * Opcodes 0…11 are the Clifford gates in CLIFFORD_GATE_NAMES order, operands their qubits. A
 * rotation's operand is the index of its generator (distinct generators are interned, so a
 * circuit repeating `rzz` on the same pair stores that string once) and its angle index points
 * into the affine forms (constant ones interned: evaluated once per form, not once per gate). Noise channels
 * are rare: their qubits are operands and the channel itself (strengths) sits in a side list at
 * the angle index.
 *
 * `gateAt(i)` gives today's Gate object for code that wants objects; `circuitWithCompactGates`
 * makes a Circuit whose `gates` are materialised from here on first access only.
 */

/** Opcode of each Clifford gate (its index in CLIFFORD_GATE_NAMES). */
export const CLIFFORD_OPCODE: Readonly<Record<CliffordName, number>> = Object.fromEntries(
  CLIFFORD_GATE_NAMES.map((n, i) => [n, i]),
) as Record<CliffordName, number>;
export const OP_ROTATION = CLIFFORD_GATE_NAMES.length;
export const OP_CHANNEL = OP_ROTATION + 1;

/** Largest column the Uint16 column array holds; wider ones live in a side map. */
const WIDE_COLUMN = 0xffff;

export class CompactGates {
  /** Gates stored. */
  length = 0;
  op: Uint8Array;
  /** Operands of gate i: operands[offsets[i]] … operands[offsets[i + 1] − 1]. */
  offsets: Int32Array;
  operands: Int32Array;
  operandCount = 0;
  /** Index into `angles` (rotations) or `channels` (channels); −1 for Clifford gates. */
  angle: Int32Array;
  /** Source line (1-based; 0 = no source) and column. */
  line: Int32Array;
  column: Uint16Array;
  private readonly wideColumns = new Map<number, number>();
  /** File of gates from runStart[k] on: files[runFile[k]]. */
  private readonly runStart: number[] = [];
  private readonly runFile: number[] = [];
  readonly files: string[] = [];
  /** Interned affine angle forms and rotation generators. */
  readonly angles: AffineExpr[] = [];
  private readonly constantIds = new Map<number, number>();
  private negativeZeroId = -1;
  private lastAngle: AffineExpr | null = null;
  private lastAngleId = -1;
  readonly generators: SparsePauli[] = [];
  private readonly generatorIds = new Map<string | number, number>();
  readonly channels: NoiseChannel[] = [];
  /** Index of the first channel, −1 when there is none. */
  firstChannel = -1;

  /**
   * `ensureFits(bytes, what)` is asked before the arrays are made and before each growth: the
   * front ends pass the memory limit's check (memory/limit.ts; `ir/` cannot import it), so a
   * circuit too large for the limit is one clean error before its arrays exist.
   */
  constructor(capacity = 1024, readonly ensureFits?: (bytes: number, what: string) => void) {
    const c = Math.max(16, capacity);
    ensureFits?.(c * GATE_BYTES + 8 * c, `circuit IR of ${c} gates`);
    this.op = new Uint8Array(c);
    this.offsets = new Int32Array(c + 1);
    this.operands = new Int32Array(2 * c);
    this.angle = new Int32Array(c);
    this.line = new Int32Array(c);
    this.column = new Uint16Array(c);
  }

  /** Bytes per gate the arrays hold for the gates stored (interned tables excluded). */
  bytesPerGate(): number {
    if (this.length === 0) return 0;
    return (this.length * (1 + 4 + 4 + 4 + 2) + 4 + this.operandCount * 4) / this.length;
  }

  /** Appends a Clifford gate by opcode (q1 = −1 for one-qubit gates); no checks (CircuitAssembler checks). */
  pushClifford(opcode: number, q0: number, q1: number, source: SourceLocation | undefined): void {
    if (source === undefined) {
      this.pushCliffordAt(opcode, q0, q1, '', 0, 0);
      this.line[this.length - 1] = 0;
    } else this.pushCliffordAt(opcode, q0, q1, source.file, source.line, source.column);
  }

  /** pushClifford with the source position as numbers (line ≥ 1), so the fast paths allocate nothing. */
  pushCliffordAt(opcode: number, q0: number, q1: number, file: string, line: number, column: number): void {
    const i = this.reserve(2);
    this.op[i] = opcode;
    let k = this.operandCount;
    this.operands[k++] = q0;
    if (q1 >= 0) this.operands[k++] = q1;
    this.operandCount = k;
    this.offsets[i + 1] = k;
    this.angle[i] = -1;
    this.setSourceAt(i, file, line, column);
  }

  /**
   * Appends a rotation by interned ids (`generatorId`/`generator1`/`generator2`, `angleId`/
   * `constantAngle`) with the source position as numbers, so fast paths allocate nothing per gate;
   * no checks (CircuitAssembler.addRotation checks).
   */
  pushRotationAt(generator: number, angle: number, file: string, line: number, column: number): void {
    const i = this.reserve(1);
    this.op[i] = OP_ROTATION;
    this.operands[this.operandCount++] = generator;
    this.offsets[i + 1] = this.operandCount;
    this.angle[i] = angle;
    this.setSourceAt(i, file, line, column);
  }

  /** Appends any gate object; `source` overrides the gate's own. */
  push(g: Gate, source: SourceLocation | undefined = g.source): void {
    if (g.kind === 'clifford') {
      this.pushClifford(CLIFFORD_OPCODE[g.name], g.qubits[0]!, g.qubits.length > 1 ? g.qubits[1]! : -1, source);
      return;
    }
    if (g.kind === 'rotation') {
      const i = this.reserve(1);
      this.op[i] = OP_ROTATION;
      this.operands[this.operandCount++] = this.generatorId(g.pauli);
      this.offsets[i + 1] = this.operandCount;
      this.angle[i] = this.angleId(g.angle);
      this.setSource(i, source);
      return;
    }
    const i = this.reserve(g.qubits.length);
    this.op[i] = OP_CHANNEL;
    for (const q of g.qubits) this.operands[this.operandCount++] = q;
    this.offsets[i + 1] = this.operandCount;
    this.angle[i] = this.channels.length;
    this.channels.push({ kind: 'channel', name: g.name, qubits: g.qubits, strengths: g.strengths });
    if (this.firstChannel < 0) this.firstChannel = i;
    this.setSource(i, source);
  }

  /** An independent copy: the same gates and the same interned ids. */
  clone(): CompactGates {
    const c = new CompactGates(this.length + 1, this.ensureFits);
    c.length = this.length;
    c.op.set(this.op.subarray(0, this.length));
    c.offsets.set(this.offsets.subarray(0, this.length + 1));
    if (c.operands.length < this.operandCount) c.operands = new Int32Array(this.operandCount);
    c.operands.set(this.operands.subarray(0, this.operandCount));
    c.operandCount = this.operandCount;
    c.angle.set(this.angle.subarray(0, this.length));
    c.line.set(this.line.subarray(0, this.length));
    c.column.set(this.column.subarray(0, this.length));
    for (const [k, v] of this.wideColumns) c.wideColumns.set(k, v);
    c.runStart.push(...this.runStart);
    c.runFile.push(...this.runFile);
    c.files.push(...this.files);
    c.angles.push(...this.angles);
    for (const [k, v] of this.constantIds) c.constantIds.set(k, v);
    c.negativeZeroId = this.negativeZeroId;
    c.generators.push(...this.generators);
    for (const [k, v] of this.generatorIds) c.generatorIds.set(k, v);
    c.channels.push(...this.channels);
    c.firstChannel = this.firstChannel;
    return c;
  }

  /** Where gate i came from, if known. */
  sourceAt(i: number): SourceLocation | undefined {
    const line = this.line[i]!;
    if (line === 0) return undefined;
    let col = this.column[i]!;
    if (col === WIDE_COLUMN) col = this.wideColumns.get(i) ?? col;
    // Runs are few (one per file): a backwards scan is enough.
    let k = this.runStart.length - 1;
    while (k > 0 && this.runStart[k]! > i) k--;
    return { file: this.files[this.runFile[k]!]!, line, column: col };
  }

  /** Gate i as an object of the IR's Gate shape (types.ts). */
  gateAt(i: number): Gate {
    const op = this.op[i]!;
    const source = this.sourceAt(i);
    const from = this.offsets[i]!, to = this.offsets[i + 1]!;
    let g: Gate;
    if (op < OP_ROTATION) {
      const qubits = to - from === 1 ? [this.operands[from]!] : [this.operands[from]!, this.operands[from + 1]!];
      g = { kind: 'clifford', name: CLIFFORD_GATE_NAMES[op]!, qubits };
    } else if (op === OP_ROTATION) {
      g = { kind: 'rotation', pauli: this.generators[this.operands[from]!]!, angle: this.angles[this.angle[i]!]! };
    } else {
      const ch = this.channels[this.angle[i]!]!;
      g = { kind: 'channel', name: ch.name, qubits: ch.qubits, strengths: ch.strengths };
    }
    return source ? { ...g, source } : g;
  }

  /** Every gate as objects, in order. */
  materialise(): Gate[] {
    const out = new Array<Gate>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.gateAt(i);
    return out;
  }

  private reserve(operands: number): number {
    const i = this.length;
    if (i + 1 >= this.op.length) {
      const c = this.op.length * 2;
      this.ensureFits?.(c * GATE_BYTES, `circuit IR growing to ${c} gates`);
      this.op = grow(this.op, new Uint8Array(c));
      this.offsets = grow(this.offsets, new Int32Array(c + 1));
      this.angle = grow(this.angle, new Int32Array(c));
      this.line = grow(this.line, new Int32Array(c));
      this.column = grow(this.column, new Uint16Array(c));
    }
    if (this.operandCount + operands > this.operands.length) {
      const n = Math.max(2 * this.operands.length, this.operandCount + operands);
      this.ensureFits?.(4 * n, `circuit IR operands growing to ${n}`);
      this.operands = grow(this.operands, new Int32Array(n));
    }
    this.offsets[i] = this.operandCount;
    this.length = i + 1;
    return i;
  }

  private setSource(i: number, s: SourceLocation | undefined): void {
    if (s === undefined) this.line[i] = 0;
    else this.setSourceAt(i, s.file, s.line, s.column);
  }

  private setSourceAt(i: number, file: string, line: number, column: number): void {
    this.line[i] = line;
    if (column >= WIDE_COLUMN) {
      this.column[i] = WIDE_COLUMN;
      this.wideColumns.set(i, column);
    } else this.column[i] = column;
    const last = this.runFile.length - 1;
    if (last < 0 || this.files[this.runFile[last]!] !== file) {
      let f = this.files.indexOf(file);
      if (f < 0) f = this.files.push(file) - 1;
      this.runStart.push(i);
      this.runFile.push(f);
    }
  }

  /**
   * The index of an angle form. Constant forms are interned (a numeric key: −0 apart from 0), so
   * `rz(pi/2)` repeated a million times is one entry evaluated once. Parametric forms are stored
   * as given: they rarely repeat (each usually names its own parameter), and a structural key per
   * gate cost more than it saved (a Map entry per distinct parameter and GC); the same object
   * given again (gate definitions reusing one form) still gets the same index.
   */
  angleId(a: AffineExpr): number {
    if (a.terms.length > 0) {
      if (a === this.lastAngle) return this.lastAngleId;
      this.lastAngle = a;
      return (this.lastAngleId = this.angles.push(a) - 1);
    }
    return this.constantAngle(a.constant, a);
  }

  /**
   * Replaces every parametric angle form by f(form), in place (ids unchanged; constant forms are
   * left alone). For renumbering parameters after the gates are stored.
   */
  mapParametricAngles(f: (a: AffineExpr) => AffineExpr): void {
    const angles = this.angles;
    for (let i = 0; i < angles.length; i++) if (angles[i]!.terms.length > 0) angles[i] = f(angles[i]!);
    this.lastAngle = null;
    this.lastAngleId = -1;
  }

  /** The index of the constant angle form c; `form` is stored on first sight (else a new one). */
  constantAngle(c: number, form?: AffineExpr): number {
    if (Object.is(c, -0)) {
      if (this.negativeZeroId < 0) this.negativeZeroId = this.angles.push(form ?? { constant: c, terms: [] }) - 1;
      return this.negativeZeroId;
    }
    let id = this.constantIds.get(c);
    if (id === undefined) {
      id = this.angles.push(form ?? { constant: c, terms: [] }) - 1;
      this.constantIds.set(c, id);
    }
    return id;
  }

  /** The index of generator p (qubits sorted ascending, as sparsePauli makes them). */
  generatorId(p: SparsePauli): number {
    const { qubits, letters } = p;
    if (qubits.length === 1) return this.generator1(LETTER_CODE[letters[0]!], qubits[0]!, p);
    if (qubits.length === 2) return this.generator2(LETTER_CODE[letters[0]!], qubits[0]!, LETTER_CODE[letters[1]!], qubits[1]!, p);
    let key = '';
    for (let i = 0; i < qubits.length; i++) key += `${letters[i]}${qubits[i]} `;
    let id = this.generatorIds.get(key);
    if (id === undefined) {
      id = this.generators.push(p) - 1;
      this.generatorIds.set(key, id);
    }
    return id;
  }

  /**
   * The index of the one-letter generator (letter code 1 X, 2 Y, 3 Z) on qubit q; `p` is stored
   * on first sight (else a new one). Weight 1 and 2 (most rotations) are keyed by a number:
   * qubits < 2^20, so the key stays exact.
   */
  generator1(code: number, q: number, p?: SparsePauli): number {
    const key = 4 * q + code;
    let id = this.generatorIds.get(key);
    if (id === undefined) {
      id = this.generators.push(p ?? { qubits: [q], letters: [LETTERS[code]!] }) - 1;
      this.generatorIds.set(key, id);
    }
    return id;
  }

  /** generator1 for two letters on qubits q0 < q1. */
  generator2(code0: number, q0: number, code1: number, q1: number, p?: SparsePauli): number {
    const key = (4 * q0 + code0) * 2 ** 23 + 4 * q1 + code1 + 2 ** 46;
    let id = this.generatorIds.get(key);
    if (id === undefined) {
      id = this.generators.push(p ?? { qubits: [q0, q1], letters: [LETTERS[code0]!, LETTERS[code1]!] }) - 1;
      this.generatorIds.set(key, id);
    }
    return id;
  }
}

/** Letter codes of generator1/generator2. */
export const LETTER_CODE: Readonly<Record<PauliLetter, number>> = { X: 1, Y: 2, Z: 3 };
const LETTERS: readonly (PauliLetter | undefined)[] = [undefined, 'X', 'Y', 'Z'];

/** Bytes per gate of capacity in the per-gate arrays (op, offsets, angle, line, column). */
const GATE_BYTES = 1 + 4 + 4 + 4 + 2;

function grow<T extends Uint8Array | Uint16Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * A Circuit over compact gates: `gates` is an enumerable getter that materialises the objects on
 * first access and caches them (so JSON, structured clone and spreads see a plain gate list), and
 * `compact` is non-enumerable, so copies made by spreading or cloning drop it and never carry a
 * compact IR that no longer matches their gates.
 */
export function circuitWithCompactGates(base: Omit<Circuit, 'gates' | 'compact'>, compact: CompactGates): Circuit {
  const c = { ...base } as Record<string, unknown>;
  let cache: Gate[] | undefined;
  Object.defineProperty(c, 'gates', {
    enumerable: true,
    configurable: true,
    get: () => (cache ??= compact.materialise()),
  });
  Object.defineProperty(c, 'compact', { value: compact, enumerable: false });
  return c as unknown as Circuit;
}

/** Number of gates, without materialising compact ones. */
export function gateCount(circuit: Pick<Circuit, 'gates' | 'compact'>): number {
  return circuit.compact ? circuit.compact.length : circuit.gates.length;
}
