import { formatExpr, formatNumber } from '../ir/affine.js';
import type { Circuit, Gate, NoiseChannel, ParameterDecl } from '../ir/types.js';
import { formatObservable } from '../pauli/observable-text.js';
import { formatSparsePauli } from '../pauli/sparse.js';
import { KEYWORDS } from '../parsing/dsl/lexer.js';

/**
 * Prints any IR circuit in the DSL so that `parseDsl(circuitToDsl(c))` gives the same circuit:
 * same gates in the same order, the same parameter table, angles and coefficients equal to the last
 * bit (numbers are printed with String(x), the shortest text that reads back as the same double,
 * and the parser's affine arithmetic on them is exact: multiplications by the printed coefficients
 * and additions to zero). Parameter and observable names that are not DSL identifiers are renamed.
 */
export function circuitToDsl(circuit: Circuit): string {
  const paramNames = uniqueNames(circuit.parameters.map((p) => p.name));
  const observableNames = uniqueNames(circuit.observables.map((o) => o.name));
  const nameOf = parameterNamer(circuit.parameters, paramNames);
  const lines: string[] = [`qubits ${circuit.numQubits};`];
  circuit.parameters.forEach((p, i) => {
    lines.push(p.length === null ? `param ${paramNames[i]};` : `param ${paramNames[i]}[${p.length}];`);
  });
  for (const g of circuit.gates) lines.push(formatGate(g, nameOf));
  circuit.observables.forEach((o, i) => {
    lines.push(`observable ${observableNames[i]} = ${formatObservable(o)};`);
  });
  return lines.join('\n') + '\n';
}

function formatGate(g: Gate, nameOf: (flat: number) => string): string {
  if (g.kind === 'clifford') return `${g.name} ${g.qubits.join(' ')};`;
  if (g.kind === 'channel') return `${formatChannel(g)} ${g.qubits.join(' ')};`;
  const { qubits, letters } = g.pauli;
  const angle = formatExpr(g.angle, nameOf);
  if (qubits.length === 1) return `r${letters[0]!.toLowerCase()}(${angle}) ${qubits[0]};`;
  if (qubits.length === 2 && letters[0] === letters[1]) {
    const l = letters[0]!.toLowerCase();
    return `r${l}${l}(${angle}) ${qubits[0]} ${qubits[1]};`;
  }
  return `rot(${angle}) ${formatSparsePauli(g.pauli)};`;
}

/** `depolarize(0.01)`, `pauli_noise(0.1, 0, 0.2)`: strengths as the shortest round-tripping decimal. */
export function formatChannel(ch: NoiseChannel): string {
  return `${ch.name}(${ch.strengths.map((p) => formatNumber(p)).join(', ')})`;
}

/** Flat index → `a` or `theta[3]`, using the (possibly renamed) declaration names. */
function parameterNamer(decls: readonly ParameterDecl[], names: readonly string[]): (flat: number) => string {
  const offsets = decls.map((d) => d.offset);
  return (flat) => {
    // Declarations are in offset order: binary search for the last offset ≤ flat.
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid]! <= flat) lo = mid;
      else hi = mid - 1;
    }
    const d = decls[lo];
    if (d === undefined || flat < d.offset || flat >= d.offset + (d.length ?? 1)) {
      throw new RangeError(`no parameter at flat index ${flat}`);
    }
    return d.length === null ? names[lo]! : `${names[lo]}[${flat - d.offset}]`;
  };
}

const IDENT = /^[\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*$/u;
const RESERVED = new Set<string>(KEYWORDS);

/** Makes each name a DSL identifier that is not a keyword, keeping names unique. */
export function uniqueNames(names: readonly string[]): string[] {
  // Valid names keep their spelling (first occurrence wins); the others are renamed around them.
  const taken = new Set<string>();
  const keep = names.map((n) => {
    if (!IDENT.test(n) || RESERVED.has(n) || taken.has(n)) return false;
    taken.add(n);
    return true;
  });
  return names.map((n, i) => {
    if (keep[i]) return n;
    let base = n.replace(/[^\p{L}\p{N}\p{Mn}\p{Mc}_]/gu, '_');
    if (!/^[\p{L}_]/u.test(base)) base = `_${base}`;
    if (RESERVED.has(base)) base = `${base}_`;
    let out = base;
    for (let k = 2; taken.has(out); k++) out = `${base}_${k}`;
    taken.add(out);
    return out;
  });
}
