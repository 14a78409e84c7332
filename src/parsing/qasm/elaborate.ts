import { combine, constantExpr, parameterExpr } from '../../ir/affine.js';
import { CircuitAssembler } from '../../ir/circuit.js';
import { ResourceLimitError, UserError } from '../../ir/errors.js';
import { MAX_NESTING, MAX_QUBITS } from '../../ir/limits.js';
import { GATE_LIBRARY, cliffordGate, rotationGate, type GateDefinition } from '../../ir/gate-library.js';
import type { AffineExpr, Circuit, Gate, UnitaryGate, SourceLocation } from '../../ir/types.js';
import { CHANNEL_NAMES, CHANNEL_SHAPE, isChannelName, makeChannel } from '../../noise/channels.js';
import { parseObservableText } from '../../pauli/observable-text.js';
import type { BodyStatement, GateCall, NoisePragma, Operand, Statement } from './ast.js';
import { knownDefinition, lowerBody, sameGates } from './canonical-gates.js';
import { evaluateAngle, evaluateInteger, isBuiltinConstant, type NameResolver } from './expressions.js';
import { controlledGates, controlledSizeBound, isControllable, MAX_CONTROLLED_QUBITS, powerGates } from './modifiers.js';
import type { QasmLexer } from './lexer.js';
import type { QasmParser } from './parser.js';
import { PragmaParameterMap, parsePragmas } from './pragmas.js';
import { defaultIncludeReader, type IncludeReader } from './includes.js';
import { QasmLexer as Lexer } from './lexer.js';
import { QasmParser as Parser } from './parser.js';
import { groupQiskitVectors } from './parameter-vectors.js';
import { didYouMean } from '../suggest.js';
import type { CommentPragma } from './lexer.js';
import { QubitSpace, type Selection } from './qubit-space.js';
import { FlatCallReader, type FlatCallHost } from './fast-path.js';
import { fastPathDefault } from '../scan.js';
import { ensureFits } from '../../memory/limit.js';

/**
 * Turns a parsed OpenQASM program into the IR: registers become consecutive qubit indices in
 * declaration order, `input` declarations become parameters, gate calls are broadcast over
 * registers and lowered through GATE_LIBRARY, user `gate` definitions are expanded by
 * substitution, and final measurements are dropped with a notice.
 */
export interface QasmImportOptions {
  /** Receives informational messages (e.g. that final measurements were ignored). */
  onNotice?: (message: string) => void;
  /** Total qubit cap (default 2^20). */
  maxQubits?: number;
  /** Cap on IR gates after expanding definitions, broadcasts and powers (default 5,000,000). */
  maxGates?: number;
  /**
   * Reads `include "x.inc";` files other than qelib1.inc/stdgates.inc: given the name as written
   * and the including file, returns the resolved path and text, or null when not found. The
   * default (includes.ts) looks next to the including file, then in `includePath`.
   */
  readInclude?: IncludeReader;
  /** Directories searched for includes after the including file's own directory. */
  includePath?: readonly string[];
  /** Accept any 2.x/3.x header and `qreg`/`creg` under OpenQASM 3 (Qiskit refuses both). */
  lenient?: boolean;
  /** Group Qiskit ParameterVector exports `_θ_0_ … _θ_n_` into one vector θ (default true). */
  groupParameterVectors?: boolean;
  /**
   * Read flat gate lines (`rz(0.5) q[3];`) without the parser (fast-path.ts); the result and every
   * error are the same either way. Default: on, unless NEARCLIFFORD_PARSE_FAST_PATH=0. For tests
   * and benchmarks that compare the two paths.
   * @internal
   */
  fastPath?: boolean;
}

const DEFAULT_MAX_QUBITS = MAX_QUBITS;
const DEFAULT_MAX_GATES = 5_000_000;
/** Definitions can only use earlier ones, so this bounds the chain length, not recursion. */
const MAX_EXPANSION_DEPTH = MAX_NESTING;
/** Bodies longer than this are not compared against the known definitions. */
const MAX_RECOGNIZED_BODY = 200;

type Callee =
  | { readonly kind: 'library'; readonly name: string; readonly def: GateDefinition }
  | { readonly kind: 'gphase'; readonly name: 'gphase' }
  | { readonly kind: 'user'; readonly name: string; readonly def: UserGate };

interface UserGate {
  readonly name: string;
  readonly params: readonly string[];
  readonly numQubits: number;
  readonly body: readonly ResolvedCall[];
  readonly at: SourceLocation;
  /** Set when the body is one of the known definitions (canonical-gates.ts). */
  replacement: readonly UnitaryGate[] | null;
  /**
   * Upper bound on the IR gates one application expands to, computed from the body at definition
   * time, so that a doubling tower of definitions is refused before anything is expanded.
   */
  size: number;
}

/** Where applyCall appends gates: the assembler at top level, a plain array inside modifiers. */
interface GateSink {
  readonly length: number;
  push(g: Gate): void;
}

interface ResolvedCall {
  readonly call: GateCall;
  readonly callee: Callee;
  readonly mods: Modifiers;
  /** Indices into the enclosing definition's qubit arguments. */
  readonly qubits: readonly number[];
}

interface Modifiers {
  /** One entry per control qubit, in operand order: true for negctrl. */
  readonly negative: readonly boolean[];
  readonly power: number;
}

function numQubitsOf(c: Callee): number {
  return c.kind === 'library' ? c.def.numQubits : c.kind === 'user' ? c.def.numQubits : 0;
}

function numAnglesOf(c: Callee): number {
  return c.kind === 'library' ? c.def.numAngles : c.kind === 'user' ? c.def.params.length : 1;
}

export function elaborate(parser: QasmParser, lexer: QasmLexer, options: QasmImportOptions = {}): Circuit {
  return new Elaborator(parser, lexer, options).run();
}

class Elaborator implements FlatCallHost {
  readonly maxGates: number;
  readonly qubits: QubitSpace;
  private readonly bits = new Map<string, SourceLocation>();
  /** Scalar inputs by name (array elements are found through inputArrays). */
  private readonly inputs = new Map<string, { flat: number; at: SourceLocation }>();
  /** Declared inputs in order: scalars (length null) and arrays. */
  private readonly inputDecls: { name: string; length: number | null; at: SourceLocation }[] = [];
  /**
   * Input arrays by name: the flat index of element 0 and the length (elements are consecutive),
   * so a million-element array costs one entry, not a million `θ[i]` keys.
   */
  private readonly inputArrays = new Map<string, { flat: number; length: number; at: SourceLocation }>();
  private nextFlat = 0;
  private readonly constants = new Map<string, { value: AffineExpr; at: SourceLocation }>();
  /** Files being included (innermost last), for cycle detection and error context. */
  private readonly includeStack: { file: string; at: SourceLocation }[] = [];
  private readonly extraPragmas: CommentPragma[] = [];
  readonly userGates = new Map<string, UserGate>();
  readonly measuredAt = new Map<number, SourceLocation>();
  private firstMeasure: SourceLocation | null = null;
  /**
   * The circuit's gates, straight into the compact IR (ir/compact.ts): the fast path appends by
   * numbers, everything else gate by gate through `top`.
   */
  readonly assembler: CircuitAssembler;
  /** The top-level sink of applyCall: appends to the assembler, counting its gates. */
  private readonly top: GateSink;
  private readonly fastPath: boolean;

  private parser: QasmParser;
  constructor(parser: QasmParser, private readonly lexer: QasmLexer, private readonly options: QasmImportOptions) {
    this.parser = parser;
    this.maxGates = options.maxGates ?? DEFAULT_MAX_GATES;
    this.fastPath = options.fastPath ?? fastPathDefault();
    this.qubits = new QubitSpace(options.maxQubits ?? DEFAULT_MAX_QUBITS, () => this.parser.version, this.constantResolver);
    this.assembler = new CircuitAssembler(undefined, ensureFits);
    const assembler = this.assembler;
    this.top = {
      get length() {
        return assembler.gateCount;
      },
      push: (g: Gate) => {
        this.syncQubits();
        assembler.addGate(g);
      },
    };
  }

  /** Raises the assembler's qubit count to the qubits declared so far (registers, `$n` used). */
  syncQubits(): void {
    const n = this.qubits.count;
    if (n > 0 && n !== this.assembler.qubitCount) this.assembler.growQubits(n);
  }

  private readonly constantResolver: NameResolver = (name) => this.constants.get(name)?.value;

  /** Qubits an operand selects; an unknown name gets a hint when it names something else. */
  private select(o: Operand): Selection {
    if (o.kind === 'named' && !this.qubits.declaredAt(o.name)) {
      let hint = '';
      if (this.bits.has(o.name)) hint = ` ('${o.name}' is a classical register)`;
      else if (this.inputs.has(o.name) || this.inputArrays.has(o.name)) hint = ` ('${o.name}' is an input parameter)`;
      throw new UserError(`unknown qubit register '${o.name}'${hint}`, o.at);
    }
    return this.qubits.select(o);
  }

  run(): Circuit {
    this.statements(this.lexer);
    return this.finish();
  }

  /**
   * Elaborates the statements of `this.parser`, reading from `lexer`: flat gate calls through the
   * fast path when it is on, the others (and all of them when it is off) parsed one at a time.
   */
  private statements(lexer: QasmLexer): void {
    const parser = this.parser;
    const fast = this.fastPath ? new FlatCallReader(lexer, parser, lexer.file, this) : null;
    for (;;) {
      if (fast !== null && fast.statement()) continue;
      const s = parser.nextStatement();
      if (s === null) return;
      this.statement(s);
    }
  }

  // FlatCallHost: names as the top-level resolver and evaluateAngle's index case see them.
  inputIndex(name: string): number | undefined {
    return this.inputs.get(name)?.flat;
  }

  inputArray(name: string): { readonly flat: number; readonly length: number } | undefined {
    return this.inputArrays.get(name);
  }

  constantValue(name: string): AffineExpr | undefined {
    return this.constants.get(name)?.value;
  }

  // ------------------------------------------------------------------ statements

  private statement(s: Statement): void {
    switch (s.kind) {
      case 'include':
        if (s.path === 'qelib1.inc' || s.path === 'stdgates.inc') return;
        return this.include(s.path, s.at);
      case 'const':
        return this.declareConstant(s);
      case 'qubits':
        this.checkFreshName(s.name, s.at);
        return this.qubits.declare(s.name, s.size === null ? null : evaluateInteger(s.size, 'a register size', this.constantResolver), s.at);
      case 'bits': {
        this.checkFreshName(s.name, s.at);
        const size = s.size === null ? 1 : evaluateInteger(s.size, 'a register size', this.constantResolver);
        if (size < 1) throw new UserError(`register '${s.name}' must have at least one bit, got ${size}`, s.at);
        this.bits.set(s.name, s.at);
        return;
      }
      case 'input':
        return this.declareInput(s.name, s.length === null ? null : evaluateInteger(s.length, 'an input array length', this.constantResolver), s.at);
      case 'gateDef':
        return this.defineGate(s);
      case 'barrier':
        for (const o of s.operands) this.select(o);
        return;
      case 'measure':
        return this.measure(s.qubits, s.target, s.at);
      case 'let': {
        this.checkFreshName(s.name, s.at);
        const qubits: number[] = [];
        for (const part of s.parts) for (const q of this.select(part).qubits) qubits.push(q);
        this.qubits.alias(s.name, qubits, s.at);
        return;
      }
      case 'call':
        return this.topLevelCall(s);
      case 'noise':
        return this.noiseChannel(s);
    }
  }

  private checkFreshName(name: string, at: SourceLocation): void {
    if (isBuiltinConstant(name)) throw new UserError(`'${name}' is a built-in constant and cannot be declared`, at);
    const prev =
      this.qubits.declaredAt(name) ?? this.bits.get(name) ?? this.inputs.get(name)?.at ?? this.inputArrays.get(name)?.at ??
      this.constants.get(name)?.at ?? this.userGates.get(name)?.at;
    if (prev) throw new UserError(`'${name}' is already declared at ${prev.line}:${prev.column}`, at);
  }

  /** Inputs are numbered in declaration order; nearclifford:param comments may renumber them at the end. */
  private declareInput(name: string, length: number | null, at: SourceLocation): void {
    this.checkFreshName(name, at);
    if (length === null) {
      this.inputs.set(name, { flat: this.nextFlat++, at });
    } else {
      if (length < 1 || length > 1 << 20) throw new UserError(`input array '${name}' needs a length between 1 and ${1 << 20}, got ${length}`, at);
      this.inputArrays.set(name, { flat: this.nextFlat, length, at });
      this.nextFlat += length;
    }
    this.inputDecls.push({ name, length, at });
  }

  /** `const` numeric declarations: evaluated once, usable wherever a number is. */
  private declareConstant(s: Extract<Statement, { kind: 'const' }>): void {
    this.checkFreshName(s.name, s.at);
    const v = evaluateAngle(s.value, this.constantResolver, (name) =>
      this.inputs.has(name) ? `the constant '${s.name}' cannot depend on the input '${name}'` : `unknown name '${name}' in the value of constant '${s.name}'`,
    );
    if (v.terms.length > 0) throw new UserError(`the value of constant '${s.name}' must not depend on parameters`, s.value.at);
    if (s.integer && !Number.isSafeInteger(v.constant)) throw new UserError(`the integer constant '${s.name}' has the non-integer value ${v.constant}`, s.value.at);
    this.constants.set(s.name, { value: constantExpr(v.constant), at: s.at });
  }

  /**
   * Reads an included file and elaborates its statements in place, with its own positions in
   * errors (plus where it was included from).
   */
  private include(path: string, at: SourceLocation): void {
    const reader = this.options.readInclude ?? defaultIncludeReader(this.options.includePath ?? []);
    const found = reader(path, at.file);
    if (found === null) {
      const dirs = this.options.includePath?.length ? ` or in ${this.options.includePath.join(', ')}` : '';
      throw new UserError(`cannot include '${path}': no such file next to ${at.file}${dirs} (qelib1.inc and stdgates.inc are built in; --include-path adds directories)`, at);
    }
    if (found.file === at.file || this.includeStack.some((f) => f.file === found.file)) {
      throw new UserError(`include cycle: '${path}' (${found.file}) is already being included`, at);
    }
    if (this.includeStack.length >= 64) throw new UserError('includes are nested more than 64 deep', at);
    const outer = this.parser;
    const lexer = new Lexer(found.text, found.file);
    this.includeStack.push({ file: found.file, at });
    try {
      this.parser = new Parser(lexer, found.file, { version: outer.version, explicit: outer.explicitVersion }, this.options.lenient ?? false);
      this.statements(lexer);
    } catch (e) {
      throw withContext(e, `in the file included at ${where(at)}`);
    } finally {
      this.parser = outer;
      this.includeStack.pop();
      this.extraPragmas.push(...lexer.pragmas);
    }
  }

  private measure(qubits: Operand, target: Operand | null, at: SourceLocation): void {
    const sel = this.select(qubits);
    if (target) {
      if (target.kind !== 'named' || !this.bits.has(target.name)) {
        const name = target.kind === 'named' ? target.name : `$${target.index}`;
        throw new UserError(`'${name}' is not a declared classical register (declare it with 'creg' or 'bit')`, target.at);
      }
    }
    for (const q of sel.qubits) if (!this.measuredAt.has(q)) this.measuredAt.set(q, at);
    this.firstMeasure ??= at;
  }

  // ------------------------------------------------------------------ gate definitions

  private defineGate(s: Extract<Statement, { kind: 'gateDef' }>): void {
    const prev = this.userGates.get(s.name);
    if (prev) throw new UserError(`gate '${s.name}' is already defined at ${prev.at.line}:${prev.at.column}`, s.nameAt);
    if (this.qubits.declaredAt(s.name) || this.bits.has(s.name) || this.inputs.has(s.name) || this.constants.has(s.name)) {
      this.checkFreshName(s.name, s.nameAt);
    }
    const params = s.params.map((p) => p.name);
    const qubits = s.qubits.map((q) => q.name);
    for (const list of [s.params, s.qubits]) {
      const seen = new Set<string>();
      for (const item of list) {
        if (seen.has(item.name)) throw new UserError(`'${item.name}' appears twice in the definition of gate '${s.name}'`, item.at);
        if (isBuiltinConstant(item.name)) throw new UserError(`'${item.name}' is a built-in constant and cannot name a gate argument`, item.at);
        seen.add(item.name);
      }
    }
    const body: ResolvedCall[] = [];
    for (const stmt of s.body) {
      if (stmt.kind === 'barrier') continue;
      body.push(this.resolveBodyCall(stmt, s.name, qubits));
    }
    const def: UserGate = { name: s.name, params, numQubits: qubits.length, body, at: s.nameAt, replacement: null, size: 0 };
    def.size = body.reduce((n, c) => n + this.callSize(c), 0);
    def.replacement = def.size <= MAX_RECOGNIZED_BODY ? this.recognize(def) : null;
    if (def.replacement) def.size = def.replacement.length;
    this.userGates.set(s.name, def);
  }

  private readonly librarySizes = new Map<GateDefinition, number>();

  /** Upper bound on the IR gates of one body statement (modifiers included). */
  private callSize(c: ResolvedCall): number {
    const { callee, mods } = c;
    if (callee.kind === 'gphase') return 0;
    const m = mods.negative.length;
    let unit: number;
    if (m > 0) unit = controlledSizeBound(m, c.qubits.length - m) + 2 * m;
    else if (callee.kind === 'user') unit = callee.def.size;
    else {
      let n = this.librarySizes.get(callee.def);
      if (n === undefined) {
        const qs = Array.from({ length: callee.def.numQubits }, (_, i) => i);
        try {
          n = callee.def.lower(qs, Array.from({ length: callee.def.numAngles }, (_, i) => parameterExpr(i))).length;
        } catch {
          n = 16; // a lowering that needs constant angles: bounded by the library's longest decomposition
        }
        this.librarySizes.set(callee.def, n);
      }
      unit = n;
    }
    return unit * Math.max(1, Math.ceil(Math.abs(mods.power)));
  }

  private resolveBodyCall(stmt: Exclude<BodyStatement, { kind: 'barrier' }>, gateName: string, formals: readonly string[]): ResolvedCall {
    const callee = this.lookupGate(stmt);
    const mods = this.evaluateModifiers(stmt, callee);
    const idx = stmt.operands.map((o) => {
      const name = o.kind === 'named' ? o.name : '';
      const i = formals.indexOf(name);
      if (i < 0) throw new UserError(`'${name}' is not a qubit argument of gate '${gateName}'`, o.at);
      return i;
    });
    this.checkArity(stmt, callee, mods, idx.length);
    if (repeated(idx) !== null) throw new UserError(`gate '${stmt.name}' is applied to the same qubit twice`, stmt.at);
    return { call: stmt, callee, mods, qubits: idx };
  }

  /** A body equal to one of the known definitions becomes the single IR gate it stands for. */
  private recognize(def: UserGate): readonly UnitaryGate[] | null {
    const known = knownDefinition(def.name);
    if (!known || known.numQubits !== def.numQubits || known.numParams !== def.params.length) return null;
    const trial: UnitaryGate[] = [];
    try {
      const qubits = Array.from({ length: def.numQubits }, (_, i) => i);
      this.expandUser(def, qubits, def.params.map((_, i) => parameterExpr(i)), trial, 0, MAX_RECOGNIZED_BODY);
    } catch (e) {
      if (e instanceof UserError) return null;
      throw e;
    }
    return known.bodies.some((b) => sameGates(trial, lowerBody(b))) ? known.replacement : null;
  }

  private lookupGate(call: GateCall): Callee {
    const user = this.userGates.get(call.name);
    if (user) return { kind: 'user', name: call.name, def: user };
    if (call.name === 'gphase') return { kind: 'gphase', name: 'gphase' };
    const lib = GATE_LIBRARY.get(call.name);
    if (lib) return { kind: 'library', name: call.name, def: lib };
    let hint = '';
    if (this.qubits.declaredAt(call.name)) hint = ` ('${call.name}' is a qubit register)`;
    else if (call.name === 'measure' || call.name === 'reset') hint = ` ('${call.name}' is not allowed here)`;
    else hint = didYouMean(call.name, [...GATE_LIBRARY.keys(), ...this.userGates.keys(), 'gphase']);
    throw new UserError(`unknown gate '${call.name}'${hint}`, call.nameAt);
  }

  private evaluateModifiers(call: GateCall, callee: Callee): Modifiers {
    const negative: boolean[] = [];
    let power = 1;
    for (const m of call.modifiers) {
      if (m.kind === 'inv') {
        power = -power;
      } else if (m.kind === 'pow') {
        const k = evaluateInteger(m.exponent, "the exponent of 'pow'", this.constantResolver);
        power *= k;
        if (!Number.isSafeInteger(power)) throw new UserError("the exponent of 'pow' is too large", m.at);
      } else {
        const n = m.count === null ? 1 : evaluateInteger(m.count, `the count of '${m.negative ? 'negctrl' : 'ctrl'}'`, this.constantResolver);
        if (n < 1) throw new UserError(`the count of '${m.negative ? 'negctrl' : 'ctrl'}' must be at least 1, got ${n}`, m.at);
        if (n > MAX_CONTROLLED_QUBITS) throw new UserError(`at most ${MAX_CONTROLLED_QUBITS} control qubits are supported`, m.at);
        for (let i = 0; i < n; i++) negative.push(m.negative);
      }
    }
    if (negative.length > 0) {
      if (callee.kind === 'user' || !isControllable(callee.name)) {
        throw new UserError(
          `'ctrl @' is not supported on '${callee.name}': it works on built-in gates whose controlled form is exact ` +
            '(x, y, z, h, s, sdg, t, tdg, sx, sxdg, p, rx, ry, rz, rxx, ryy, rzz, cx, cy, cz, ch, cp, crx, cry, crz, ccx, swap, cswap, gphase)',
          call.modifiers[0]!.at,
        );
      }
      if (negative.length + numQubitsOf(callee) > MAX_CONTROLLED_QUBITS) {
        throw new UserError(`controlled gates on more than ${MAX_CONTROLLED_QUBITS} qubits are not supported`, call.modifiers[0]!.at);
      }
    }
    return { negative, power };
  }

  private checkArity(call: GateCall, callee: Callee, mods: Modifiers, numOperands: number): void {
    const nAngles = numAnglesOf(callee);
    if (call.args.length !== nAngles) {
      throw new UserError(`gate '${call.name}' takes ${nAngles} angle argument${nAngles === 1 ? '' : 's'}, got ${call.args.length}`, call.nameAt);
    }
    const nQubits = numQubitsOf(callee) + mods.negative.length;
    if (numOperands !== nQubits) {
      const ctl = mods.negative.length ? ` (${mods.negative.length} control${mods.negative.length === 1 ? '' : 's'} included)` : '';
      throw new UserError(`gate '${call.name}' takes ${nQubits} qubit operand${nQubits === 1 ? '' : 's'}${ctl}, got ${numOperands}`, call.nameAt);
    }
  }

  // ------------------------------------------------------------------ gate calls

  private topLevelCall(call: GateCall): void {
    const callee = this.lookupGate(call);
    const mods = this.evaluateModifiers(call, callee);
    this.checkArity(call, callee, mods, call.operands.length);
    const angles: AffineExpr[] = [];
    for (const e of call.args) angles.push(evaluateAngle(e, this.topLevelResolver, this.unknownTopLevelName));
    const selections: Selection[] = [];
    let width = 1;
    let broadcasting = false;
    for (const o of call.operands) {
      const s = this.select(o);
      selections.push(s);
      if (!s.broadcast) continue;
      if (!broadcasting) {
        width = s.qubits.length;
        broadcasting = true;
      } else if (s.qubits.length !== width) {
        throw new UserError(`registers of different sizes (${width} and ${s.qubits.length}) cannot be broadcast together`, o.at);
      }
    }
    for (let k = 0; k < width; k++) {
      const qubits: number[] = [];
      for (const s of selections) qubits.push(s.broadcast ? s.qubits[k]! : s.qubits[0]!);
      const dup = repeated(qubits);
      if (dup !== null) throw new UserError(`gate '${call.name}' is applied to the same qubit twice (qubit ${this.qubits.label(dup)})`, call.at);
      for (const q of qubits) {
        const m = this.measuredAt.get(q);
        if (m) {
          throw new UserError(
            `mid-circuit measurement is not supported: '${call.name}' acts on ${this.qubits.label(q)} after its measurement at ${m.line}:${m.column} (only final measurements are allowed)`,
            call.at,
          );
        }
      }
      try {
        this.applyCall(callee, mods, qubits, angles, this.top, call.at, 0, this.maxGates);
      } catch (e) {
        throw callee.kind === 'user' ? withContext(e, `while expanding '${call.name}' at ${call.at.line}:${call.at.column}`) : e;
      }
    }
  }

  /**
   * `#pragma nearclifford noise NAME(strengths) operands`: numeric strengths (constants allowed,
   * inputs not: a channel is a fixed map), broadcast over registers like a gate call, validated by
   * makeChannel at the channel's name.
   */
  private noiseChannel(s: NoisePragma): void {
    if (!isChannelName(s.name)) {
      throw new UserError(`unknown noise channel '${s.name}'${didYouMean(s.name, CHANNEL_NAMES)} (channels: ${CHANNEL_NAMES.join(', ')})`, s.nameAt);
    }
    const name = s.name;
    const shape = CHANNEL_SHAPE[name];
    if (s.args.length !== shape.strengths) {
      throw new UserError(`noise channel '${name}' takes ${shape.strengths} strength${shape.strengths === 1 ? '' : 's'}, got ${s.args.length}`, s.nameAt);
    }
    const strengths = s.args.map((e) => {
      const v = evaluateAngle(e, this.topLevelResolver, this.unknownTopLevelName);
      if (v.terms.length > 0) throw new UserError(`the strength of ${name} must be a number: a noise channel cannot depend on parameters`, e.at);
      // Point at the offending strength itself; makeChannel checks the rest (sums, operands).
      if (!Number.isFinite(v.constant) || v.constant < 0 || v.constant > 1) throw new UserError(`${name}: strength ${v.constant} must be a number in [0, 1]`, e.at);
      return v.constant;
    });
    if (s.operands.length !== shape.arity) {
      throw new UserError(`noise channel '${name}' acts on ${shape.arity} qubit${shape.arity === 1 ? '' : 's'}, got ${s.operands.length} operand${s.operands.length === 1 ? '' : 's'}`, s.nameAt);
    }
    const selections = s.operands.map((o) => this.select(o));
    let width = 1;
    let broadcasting = false;
    selections.forEach((sel, i) => {
      if (!sel.broadcast) return;
      if (!broadcasting) {
        width = sel.qubits.length;
        broadcasting = true;
      } else if (sel.qubits.length !== width) {
        throw new UserError(`registers of different sizes (${width} and ${sel.qubits.length}) cannot be broadcast together`, s.operands[i]!.at);
      }
    });
    if (this.assembler.gateCount + width > this.maxGates) this.tooManyGates(s.at, this.maxGates);
    for (let k = 0; k < width; k++) {
      const qubits = selections.map((sel) => (sel.broadcast ? sel.qubits[k]! : sel.qubits[0]!));
      for (const q of qubits) {
        const m = this.measuredAt.get(q);
        if (m) throw new UserError(`noise on ${this.qubits.label(q)} after its measurement at ${m.line}:${m.column} is not supported (only final measurements are allowed)`, s.at);
      }
      this.top.push(makeChannel(name, qubits, strengths, s.nameAt));
    }
  }

  private readonly topLevelResolver: NameResolver = (name) => {
    const flat = this.inputs.get(name)?.flat ?? this.arrayElementIndex(name);
    return flat !== undefined ? parameterExpr(flat) : this.constants.get(name)?.value;
  };

  /** The flat index of `θ[i]` (evaluateAngle resolves array elements by that key), if declared. */
  private arrayElementIndex(key: string): number | undefined {
    if (key.charCodeAt(key.length - 1) !== 93) return undefined; // ']'
    const open = key.lastIndexOf('[');
    const array = open > 0 ? this.inputArrays.get(key.slice(0, open)) : undefined;
    if (array === undefined) return undefined;
    const digits = key.slice(open + 1, -1);
    const i = Number(digits);
    return Number.isSafeInteger(i) && i >= 0 && i < array.length && String(i) === digits ? array.flat + i : undefined;
  }

  private readonly unknownTopLevelName = (name: string): string => {
    if (this.qubits.declaredAt(name) || this.bits.has(name)) return `'${name}' is a register, not a number`;
    return `unknown name '${name}' (declare parameters with 'input float[64] ${name};')`;
  };

  /**
   * Appends the IR gates of one gate application to `sink`, with `at` as their source. `limit` caps
   * sink's length (checked before each append).
   */
  private applyCall(callee: Callee, mods: Modifiers, qubits: readonly number[], angles: readonly AffineExpr[], sink: GateSink, at: SourceLocation, depth: number, limit: number): void {
    if (mods.power === 1 && mods.negative.length === 0) {
      this.expandPlain(callee, qubits, angles, sink, at, depth, limit);
      return;
    }
    let unit: UnitaryGate[];
    if (mods.negative.length > 0) {
      const m = mods.negative.length;
      const controls = qubits.slice(0, m);
      const flips = controls.filter((_, i) => mods.negative[i]).map((q) => cliffordGate('x', [q]));
      if (sink.length + controlledSizeBound(m, qubits.length - m) > limit) this.tooManyGates(at, limit);
      unit = [...flips, ...controlledGates(callee.name, controls, qubits.slice(m), angles)!, ...flips];
    } else {
      unit = [];
      this.expandPlain(callee, qubits, angles, unit, at, depth, limit - sink.length);
    }
    if (sink.length + unit.length * Math.abs(mods.power) > limit) this.tooManyGates(at, limit);
    for (const g of powerGates(unit, mods.power)) sink.push(g.source ? g : { ...g, source: at });
  }

  private expandPlain(callee: Callee, qubits: readonly number[], angles: readonly AffineExpr[], sink: GateSink, at: SourceLocation, depth: number, limit: number): void {
    if (callee.kind === 'gphase') return;
    if (callee.kind === 'library') {
      const gates = callee.def.lower(qubits, angles);
      if (sink.length + gates.length > limit) this.tooManyGates(at, limit);
      for (const g of gates) sink.push({ ...g, source: at });
      return;
    }
    this.expandUser(callee.def, qubits, angles, sink, depth, limit, at);
  }

  private expandUser(def: UserGate, qubits: readonly number[], angles: readonly AffineExpr[], sink: GateSink, depth: number, limit: number, at?: SourceLocation): void {
    if (sink.length + def.size > limit) {
      throw new ResourceLimitError(
        `${where(at ?? def.at)}: the circuit expands to more than ${limit} gates: gate '${def.name}' expands to up to ${def.size} ` +
          '(counted from its definition, before expanding; option maxGates)',
      );
    }
    if (def.replacement) {
      if (sink.length + def.replacement.length > limit) this.tooManyGates(at ?? def.at, limit);
      for (const g of def.replacement) sink.push(substitute(g, qubits, angles, at));
      return;
    }
    if (depth >= MAX_EXPANSION_DEPTH) throw new UserError(`gate definitions are nested more than ${MAX_EXPANSION_DEPTH} deep`, def.at);
    const resolve: NameResolver = (name) => {
      const i = def.params.indexOf(name);
      return i < 0 ? this.constants.get(name)?.value : angles[i];
    };
    const unknown = (name: string) =>
      this.inputs.has(name)
        ? `gate '${def.name}' cannot use the input '${name}' directly; pass it as an argument`
        : `unknown name '${name}' in gate '${def.name}' (its parameters are: ${def.params.join(', ') || 'none'})`;
    for (const stmt of def.body) {
      const args = stmt.call.args.map((e) => evaluateAngle(e, resolve, unknown));
      const q = stmt.qubits.map((i) => qubits[i]!);
      this.applyCall(stmt.callee, stmt.mods, q, args, sink, at ?? stmt.call.at, depth + 1, limit);
    }
  }

  private tooManyGates(at: SourceLocation, limit: number): never {
    throw new ResourceLimitError(`${where(at)}: the circuit expands to more than ${limit} gates (option maxGates)`);
  }

  // ------------------------------------------------------------------ result

  private finish(): Circuit {
    const end = this.parser.endLocation();
    const pragmas = parsePragmas([...this.lexer.pragmas, ...this.extraPragmas]);
    const numQubits = this.qubits.count;
    if (numQubits < 1) throw new UserError('the program declares no qubits', end);
    const builder = this.assembler;
    builder.growQubits(numQubits);
    // Names are unique already (declarations and parsePragmas check).
    let parameters: readonly { name: string; length: number | null }[];
    if (pragmas.params.length > 0) {
      // Flat index → input name (array elements as θ[i]) and declaration.
      const flatNames: string[] = [];
      const flatAt: SourceLocation[] = [];
      for (const d of this.inputDecls) {
        if (d.length === null) flatNames.push(d.name);
        else for (let i = 0; i < d.length; i++) flatNames.push(`${d.name}[${i}]`);
        while (flatAt.length < flatNames.length) flatAt.push(d.at);
      }
      const map = new PragmaParameterMap(pragmas.params);
      const remap = flatNames.map((name, flat) => {
        const at = flatAt[flat]!;
        const f = map.lookup(name, at);
        if (f === undefined) throw new UserError(`input '${name}' is not listed in the file's nearclifford:param comments`, at);
        return f;
      });
      if (flatNames.length !== map.size) {
        const declared = new Set(remap);
        for (let f = 0; f < map.size; f++) {
          if (declared.has(f)) continue;
          const missing = map.inputName(f);
          throw new UserError(`input '${missing.name}' named by this nearclifford:param comment is not declared`, missing.at);
        }
      }
      parameters = pragmas.params;
      builder.remapParameters(remap);
    } else {
      const grouped = groupQiskitVectors(this.inputDecls, this.options.groupParameterVectors ?? true);
      parameters = grouped.parameters;
      if (grouped.remap) builder.remapParameters(grouped.remap);
    }
    for (const p of parameters) builder.declareParameter(p.name, p.length);
    for (const o of pragmas.observables) {
      let obs;
      try {
        obs = parseObservableText(o.text, { name: o.name, numQubits });
      } catch (e) {
        if (e instanceof UserError) throw new UserError(`nearclifford:observable: ${e.message}`, o.at);
        throw e;
      }
      builder.addObservable(obs, o.at);
    }
    if (this.firstMeasure) {
      const n = this.measuredAt.size;
      this.options.onNotice?.(`${where(this.firstMeasure)}: ignoring final measurements (${n} qubit${n === 1 ? '' : 's'}); the circuit is evaluated on its final state`);
    }
    return builder.build();
  }
}

/** A value that occurs twice in the (short) list, or null. */
function repeated(xs: readonly number[]): number | null {
  for (let i = 1; i < xs.length; i++) for (let j = 0; j < i; j++) if (xs[i] === xs[j]) return xs[i]!;
  return null;
}

function where(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/** A gate of a known definition (qubits 0…k−1, parameter index i) placed on real qubits and angles. */
function substitute(g: UnitaryGate, qubits: readonly number[], angles: readonly AffineExpr[], at: SourceLocation | undefined): UnitaryGate {
  const source = at ? { source: at } : {};
  if (g.kind === 'clifford') return { ...cliffordGate(g.name, g.qubits.map((q) => qubits[q]!)), ...source };
  let angle = constantExpr(g.angle.constant);
  for (const t of g.angle.terms) angle = combine(angle, 1, angles[t.param]!, t.coeff);
  const letters = g.pauli.letters.join('');
  return { ...rotationGate(letters, g.pauli.qubits.map((q) => qubits[q]!), angle), ...source };
}

/** Adds where an error inside a gate definition was reached from, keeping its own position. */
function withContext(e: unknown, context: string): unknown {
  if (!(e instanceof UserError) || e instanceof ResourceLimitError || !e.location) return e;
  const prefix = `${where(e.location)}: `;
  const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return new UserError(`${message} (${context})`, e.location);
}
