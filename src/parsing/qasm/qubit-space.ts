import { ResourceLimitError, UserError } from '../../ir/errors.js';
import type { SourceLocation } from '../../ir/types.js';
import type { Expr, Operand } from './ast.js';
import { evaluateInteger, type NameResolver } from './expressions.js';

/**
 * The program's qubits: registers (`qreg q[4]`, `qubit[4] q`, `qubit q`) get consecutive indices
 * in declaration order, `let` aliases name lists of them, and physical qubits `$n` are index n
 * (a program uses one kind or the other). Operands resolve to qubit lists here.
 */
export interface Selection {
  readonly qubits: readonly number[];
  /** A whole register, slice or set: the gate is applied element-wise (broadcast). */
  readonly broadcast: boolean;
}

/** A declared register: qubits start … start+size−1. */
export interface Register {
  readonly start: number;
  readonly size: number;
  /** `qubit q;` — a single qubit, used without an index. */
  readonly scalar: boolean;
  readonly at: SourceLocation;
}

export class QubitSpace {
  private readonly registers = new Map<string, Register>();
  private readonly aliases = new Map<string, { qubits: readonly number[]; at: SourceLocation }>();
  private numVirtual = 0;
  private physicalMax = -1;
  private firstPhysical: SourceLocation | null = null;

  constructor(
    private readonly maxQubits: number,
    private readonly version: () => 2 | 3,
    /** `const` declarations, usable in indices. */
    private readonly constants: NameResolver = () => undefined,
  ) {}

  /** Number of qubits of the program so far. */
  get count(): number {
    return this.numVirtual > 0 ? this.numVirtual : this.physicalMax + 1;
  }

  /** Where a register or alias of this name was declared, if any. */
  declaredAt(name: string): SourceLocation | undefined {
    return this.registers.get(name)?.at ?? this.aliases.get(name)?.at;
  }

  /** Declares a register of `size` qubits (null: a single unindexed qubit). Names are checked by the caller. */
  declare(name: string, size: number | null, at: SourceLocation): void {
    if (this.firstPhysical) throw new UserError('cannot declare qubit registers in a program that uses physical qubits ($n)', at);
    const n = size ?? 1;
    if (n < 1) throw new UserError(`register '${name}' must have at least one qubit, got ${n}`, at);
    if (this.numVirtual + n > this.maxQubits) {
      throw new ResourceLimitError(`${at.file}:${at.line}:${at.column}: ${this.numVirtual + n} qubits exceed the limit of ${this.maxQubits}`);
    }
    this.registers.set(name, { start: this.numVirtual, size: n, scalar: size === null, at });
    this.numVirtual += n;
  }

  /** The register `name` (not an alias), for the fast path (fast-path.ts). */
  register(name: string): Register | undefined {
    return this.registers.get(name);
  }

  /** Whether `select` accepts physical qubit `$index` now, for the fast path. */
  physicalAllowed(index: number): boolean {
    return this.numVirtual === 0 && index < this.maxQubits;
  }

  /** Whether a physical qubit was used before (then `usePhysical` needs no location). */
  get usesPhysical(): boolean {
    return this.firstPhysical !== null;
  }

  /** Records a use of `$index` at `at` as `select` does, for the fast path. */
  usePhysical(index: number, at: SourceLocation | null): void {
    this.firstPhysical ??= at;
    this.physicalMax = Math.max(this.physicalMax, index);
  }

  alias(name: string, qubits: readonly number[], at: SourceLocation): void {
    if (new Set(qubits).size !== qubits.length) throw new UserError(`alias '${name}' names the same qubit twice`, at);
    this.aliases.set(name, { qubits, at });
  }

  select(o: Operand): Selection {
    if (o.kind === 'physical') {
      if (this.numVirtual > 0) throw new UserError(`physical qubit $${o.index} cannot be used together with declared qubit registers`, o.at);
      if (o.index >= this.maxQubits) {
        throw new ResourceLimitError(`${o.at.file}:${o.at.line}:${o.at.column}: physical qubit $${o.index} exceeds the limit of ${this.maxQubits} qubits`);
      }
      this.firstPhysical ??= o.at;
      this.physicalMax = Math.max(this.physicalMax, o.index);
      return { qubits: [o.index], broadcast: false };
    }
    const reg = this.registers.get(o.name);
    const alias = reg ? undefined : this.aliases.get(o.name);
    if (!reg && !alias) throw new UserError(`unknown qubit register '${o.name}'`, o.at);
    const size = reg ? reg.size : alias!.qubits.length;
    const base = reg ? reg.start : -1;
    const list = alias?.qubits;
    const spec = o.index;
    if (spec === null) {
      const qubits: number[] = [];
      for (let i = 0; i < size; i++) qubits.push(list ? list[i]! : base + i);
      return { qubits, broadcast: !(reg?.scalar ?? false) };
    }
    if (spec.kind === 'single') {
      const i = this.indexIn(spec.index, size, o.name);
      return { qubits: [list ? list[i]! : base + i], broadcast: false };
    }
    const qubits: number[] = [];
    if (spec.kind === 'set') {
      for (const e of spec.items) {
        const i = this.indexIn(e, size, o.name);
        qubits.push(list ? list[i]! : base + i);
      }
      return { qubits, broadcast: true };
    }
    // OpenQASM 3 ranges include their end.
    const start = spec.start === null ? 0 : this.indexIn(spec.start, size, o.name);
    const end = spec.end === null ? size - 1 : this.indexIn(spec.end, size, o.name);
    const step = spec.step === null ? 1 : evaluateInteger(spec.step, 'a range step', this.constants);
    if (step === 0) throw new UserError('a range step cannot be zero', spec.step!.at);
    for (let i = start; step > 0 ? i <= end : i >= end; i += step) qubits.push(list ? list[i]! : base + i);
    if (qubits.length === 0) throw new UserError(`the range selects no qubits of '${o.name}'`, o.at);
    return { qubits, broadcast: true };
  }

  /** `q[2]`, `q` or `$3`, for messages. */
  label(q: number): string {
    if (this.firstPhysical) return `$${q}`;
    for (const [name, r] of this.registers) {
      if (q >= r.start && q < r.start + r.size) return r.scalar ? name : `${name}[${q - r.start}]`;
    }
    return `qubit ${q}`;
  }

  /** A register index in 0…size−1 (OpenQASM 3 counts negative indices from the end). */
  private indexIn(e: Expr, size: number, name: string): number {
    const raw = e.kind === 'number' && Number.isSafeInteger(e.value) ? e.value : evaluateInteger(e, 'a qubit index', this.constants);
    const i = raw < 0 && this.version() === 3 ? raw + size : raw;
    if (i < 0 || i >= size) throw new UserError(`index ${raw} is out of range for '${name}' of ${size} qubit${size === 1 ? '' : 's'}`, e.at);
    return i;
  }
}
