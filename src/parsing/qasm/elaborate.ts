import { combine, constantExpr, parameterExpr } from '../../ir/affine.js';
import { CircuitBuilder } from '../../ir/circuit.js';
import { ResourceLimitError, UserError } from '../../ir/errors.js';
import { GATE_LIBRARY, cliffordGate, rotationGate, type GateDefinition } from '../../ir/gate-library.js';
import { countParameters } from '../../ir/parameters.js';
import type { AffineExpr, Circuit, UnitaryGate, ParameterDecl, SourceLocation } from '../../ir/types.js';
import { parseObservableText } from '../../pauli/observable-text.js';
import type { BodyStatement, GateCall, Operand, Statement } from './ast.js';
import { knownDefinition, lowerBody, sameGates } from './canonical-gates.js';
import { evaluateAngle, evaluateInteger, isBuiltinConstant, type NameResolver } from './expressions.js';
import { controlledGates, controlledSizeBound, isControllable, MAX_CONTROLLED_QUBITS, powerGates } from './modifiers.js';
import type { QasmLexer } from './lexer.js';
import type { QasmParser } from './parser.js';
import { PragmaParameterMap, parsePragmas } from './pragmas.js';
import { QubitSpace, type Selection } from './qubit-space.js';

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
}

const DEFAULT_MAX_QUBITS = 1 << 20;
const DEFAULT_MAX_GATES = 5_000_000;
/** Definitions can only use earlier ones, so this bounds the chain length, not recursion. */
const MAX_EXPANSION_DEPTH = 500;
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

class Elaborator {
  private readonly maxGates: number;
  private readonly qubits: QubitSpace;
  private readonly bits = new Map<string, SourceLocation>();
  private readonly inputs = new Map<string, { flat: number; at: SourceLocation }>();
  private readonly inputOrder: string[] = [];
  private readonly userGates = new Map<string, UserGate>();
  private readonly measuredAt = new Map<number, SourceLocation>();
  private firstMeasure: SourceLocation | null = null;
  private readonly out: UnitaryGate[] = [];

  constructor(private readonly parser: QasmParser, private readonly lexer: QasmLexer, private readonly options: QasmImportOptions) {
    this.maxGates = options.maxGates ?? DEFAULT_MAX_GATES;
    this.qubits = new QubitSpace(options.maxQubits ?? DEFAULT_MAX_QUBITS, () => this.parser.version);
  }

  /** Qubits an operand selects; an unknown name gets a hint when it names something else. */
  private select(o: Operand): Selection {
    if (o.kind === 'named' && !this.qubits.declaredAt(o.name)) {
      let hint = '';
      if (this.bits.has(o.name)) hint = ` ('${o.name}' is a classical register)`;
      else if (this.inputs.has(o.name)) hint = ` ('${o.name}' is an input parameter)`;
      throw new UserError(`unknown qubit register '${o.name}'${hint}`, o.at);
    }
    return this.qubits.select(o);
  }

  run(): Circuit {
    for (let s = this.parser.nextStatement(); s !== null; s = this.parser.nextStatement()) this.statement(s);
    return this.finish();
  }

  // ------------------------------------------------------------------ statements

  private statement(s: Statement): void {
    switch (s.kind) {
      case 'include':
        if (s.path !== 'qelib1.inc' && s.path !== 'stdgates.inc') {
          throw new UserError(`cannot include '${s.path}': only qelib1.inc and stdgates.inc are built in (paste other definitions into the file)`, s.at);
        }
        return;
      case 'qubits':
        this.checkFreshName(s.name, s.at);
        return this.qubits.declare(s.name, s.size === null ? null : evaluateInteger(s.size, 'a register size'), s.at);
      case 'bits': {
        this.checkFreshName(s.name, s.at);
        const size = s.size === null ? 1 : evaluateInteger(s.size, 'a register size');
        if (size < 1) throw new UserError(`register '${s.name}' must have at least one bit, got ${size}`, s.at);
        this.bits.set(s.name, s.at);
        return;
      }
      case 'input':
        return this.declareInput(s.name, s.at);
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
    }
  }

  private checkFreshName(name: string, at: SourceLocation): void {
    if (isBuiltinConstant(name)) throw new UserError(`'${name}' is a built-in constant and cannot be declared`, at);
    const prev = this.qubits.declaredAt(name) ?? this.bits.get(name) ?? this.inputs.get(name)?.at ?? this.userGates.get(name)?.at;
    if (prev) throw new UserError(`'${name}' is already declared at ${prev.line}:${prev.column}`, at);
  }

  /** Inputs are numbered in declaration order; nearclifford:param comments may renumber them at the end. */
  private declareInput(name: string, at: SourceLocation): void {
    this.checkFreshName(name, at);
    this.inputs.set(name, { flat: this.inputOrder.length, at });
    this.inputOrder.push(name);
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
    if (this.qubits.declaredAt(s.name) || this.bits.has(s.name) || this.inputs.has(s.name)) {
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
    const def: UserGate = { name: s.name, params, numQubits: qubits.length, body, at: s.nameAt, replacement: null };
    def.replacement = this.recognize(def);
    this.userGates.set(s.name, def);
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
    throw new UserError(`unknown gate '${call.name}'${hint}`, call.nameAt);
  }

  private evaluateModifiers(call: GateCall, callee: Callee): Modifiers {
    const negative: boolean[] = [];
    let power = 1;
    for (const m of call.modifiers) {
      if (m.kind === 'inv') {
        power = -power;
      } else if (m.kind === 'pow') {
        const k = evaluateInteger(m.exponent, "the exponent of 'pow'");
        power *= k;
        if (!Number.isSafeInteger(power)) throw new UserError("the exponent of 'pow' is too large", m.at);
      } else {
        const n = m.count === null ? 1 : evaluateInteger(m.count, `the count of '${m.negative ? 'negctrl' : 'ctrl'}'`);
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
        this.applyCall(callee, mods, qubits, angles, this.out, call.at, 0, this.maxGates);
      } catch (e) {
        throw callee.kind === 'user' ? withContext(e, `while expanding '${call.name}' at ${call.at.line}:${call.at.column}`) : e;
      }
    }
  }

  private readonly topLevelResolver: NameResolver = (name) => {
    const input = this.inputs.get(name);
    return input ? parameterExpr(input.flat) : undefined;
  };

  private readonly unknownTopLevelName = (name: string): string => {
    if (this.qubits.declaredAt(name) || this.bits.has(name)) return `'${name}' is a register, not a number`;
    return `unknown name '${name}' (declare parameters with 'input float[64] ${name};')`;
  };

  /**
   * Appends the IR gates of one gate application to `sink`, with `at` as their source. `limit` caps
   * sink's length (checked before each append).
   */
  private applyCall(callee: Callee, mods: Modifiers, qubits: readonly number[], angles: readonly AffineExpr[], sink: UnitaryGate[], at: SourceLocation, depth: number, limit: number): void {
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

  private expandPlain(callee: Callee, qubits: readonly number[], angles: readonly AffineExpr[], sink: UnitaryGate[], at: SourceLocation, depth: number, limit: number): void {
    if (callee.kind === 'gphase') return;
    if (callee.kind === 'library') {
      const gates = callee.def.lower(qubits, angles);
      if (sink.length + gates.length > limit) this.tooManyGates(at, limit);
      for (const g of gates) sink.push({ ...g, source: at });
      return;
    }
    this.expandUser(callee.def, qubits, angles, sink, depth, limit, at);
  }

  private expandUser(def: UserGate, qubits: readonly number[], angles: readonly AffineExpr[], sink: UnitaryGate[], depth: number, limit: number, at?: SourceLocation): void {
    if (def.replacement) {
      if (sink.length + def.replacement.length > limit) this.tooManyGates(at ?? def.at, limit);
      for (const g of def.replacement) sink.push(substitute(g, qubits, angles, at));
      return;
    }
    if (depth >= MAX_EXPANSION_DEPTH) throw new UserError(`gate definitions are nested more than ${MAX_EXPANSION_DEPTH} deep`, def.at);
    const resolve: NameResolver = (name) => {
      const i = def.params.indexOf(name);
      return i < 0 ? undefined : angles[i];
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
    const pragmas = parsePragmas(this.lexer.pragmas);
    const numQubits = this.qubits.count;
    if (numQubits < 1) throw new UserError('the program declares no qubits', end);
    const builder = new CircuitBuilder();
    builder.setQubits(numQubits);
    let gates: readonly UnitaryGate[] = this.out;
    // Names are unique already (declarations and parsePragmas check), so the parameter table is
    // built here rather than through CircuitBuilder's per-declaration search.
    const parameters: ParameterDecl[] = [];
    if (pragmas.params.length > 0) {
      const map = new PragmaParameterMap(pragmas.params);
      const remap = this.inputOrder.map((name) => {
        const { at } = this.inputs.get(name)!;
        const f = map.lookup(name, at);
        if (f === undefined) throw new UserError(`input '${name}' is not listed in the file's nearclifford:param comments`, at);
        return f;
      });
      if (this.inputOrder.length !== map.size) {
        const declared = new Set(remap);
        for (let f = 0; f < map.size; f++) {
          if (declared.has(f)) continue;
          const missing = map.inputName(f);
          throw new UserError(`input '${missing.name}' named by this nearclifford:param comment is not declared`, missing.at);
        }
      }
      let offset = 0;
      for (const p of pragmas.params) {
        parameters.push({ name: p.name, length: p.length, offset });
        offset += p.length ?? 1;
      }
      gates = this.out.map((g) => renumberParameters(g, remap));
    } else {
      this.inputOrder.forEach((name, offset) => parameters.push({ name, length: null, offset }));
    }
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
    // Gates were range-checked as they were added; the builder provides the rest.
    return { ...builder.build(), parameters, numParameters: countParameters(parameters), gates };
  }
}

/** The gate with its angle's parameter indices mapped through `remap` (terms kept sorted). */
function renumberParameters(g: UnitaryGate, remap: readonly number[]): UnitaryGate {
  if (g.kind === 'clifford' || g.angle.terms.length === 0) return g;
  const terms = g.angle.terms.map((t) => ({ param: remap[t.param]!, coeff: t.coeff })).sort((a, b) => a.param - b.param);
  return { ...g, angle: { constant: g.angle.constant, terms } };
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
