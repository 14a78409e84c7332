import { UserError } from '../ir/errors.js';
import type { Observable, PauliLetter, PauliTerm } from '../ir/types.js';
import { formatNumber } from '../ir/affine.js';
import { formatSparsePauli, sparsePauli } from './sparse.js';

/**
 * Text form of observables: `0.5*Z0 Z1 - X3 + 2`, letters with explicit qubit indices, factors
 * separated by spaces or `*`. Dense Qiskit-style labels (`XXZI`, rightmost letter = qubit 0) are
 * accepted only when `dense` is set: we never guess which convention the user meant.
 */
export interface ObservableTextOptions {
  /** Name for messages and for the resulting observable. */
  name?: string;
  /** Qubit count; indices at or above it are errors. */
  numQubits?: number;
  /** Parse each Pauli factor as a dense label (rightmost letter is qubit 0). */
  dense?: boolean;
}

/**
 * Parses a Pauli sum such as `0.5*Z0 Z1 - X3 + 0.25` (explicit indices; dense labels only with the
 * option saying so). Mistakes are UserErrors naming the column.
 */
export function parseObservableText(text: string, options: ObservableTextOptions = {}): Observable {
  const name = options.name ?? 'observable';
  let pos = 0;
  const fail = (msg: string, at = pos): never => {
    throw new UserError(`${name}: column ${at + 1}: ${msg} in '${text}'`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const readNumber = (): number | null => {
    const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!m) return null;
    pos += m[0].length;
    return Number(m[0]);
  };
  const terms: PauliTerm[] = [];
  skipSpace();
  if (pos >= text.length) fail('expected a Pauli sum such as "0.5*Z0 Z1 - X3"');
  let first = true;
  while (pos < text.length) {
    let sign = 1;
    skipSpace();
    if (text[pos] === '+' || text[pos] === '-') {
      sign = text[pos] === '-' ? -1 : 1;
      pos++;
      skipSpace();
    } else if (!first) {
      fail("expected '+' or '-' between terms");
    }
    first = false;
    const termStart = pos;
    let coeff = sign;
    const num = readNumber();
    let sawFactor = false;
    if (num !== null) {
      coeff *= num;
      skipSpace();
      if (text[pos] === '*') {
        pos++;
        skipSpace();
        if (!/[IXYZixyz]/.test(text[pos] ?? '')) fail("expected a Pauli letter after '*'");
      }
    }
    const pairs: [number, PauliLetter | 'I'][] = [];
    for (;;) {
      skipSpace();
      const c = text[pos];
      if (c === undefined || !/[IXYZixyz]/.test(c)) break;
      if (options.dense) {
        const m = /^[IXYZ]+/.exec(text.slice(pos));
        if (!m) fail('expected a dense Pauli label of I, X, Y, Z');
        const label = m![0];
        for (let i = 0; i < label.length; i++) {
          pairs.push([label.length - 1 - i, label[i] as PauliLetter | 'I']);
        }
        pos += label.length;
        if (options.numQubits !== undefined && label.length > options.numQubits) {
          fail(`dense label of ${label.length} letters for ${options.numQubits} qubits`, pos - label.length);
        }
      } else {
        const letterAt = pos;
        const letter = c.toUpperCase() as PauliLetter | 'I';
        pos++;
        const m = /^\d+/.exec(text.slice(pos));
        if (!m) {
          if (letter === 'I') {
            pairs.push([0, 'I']);
          } else {
            const word = /^[IXYZ]+/.exec(text.slice(letterAt))![0];
            if (word.length > 1) {
              fail(`'${word}' looks like a dense Qiskit label (rightmost letter = qubit 0): pass --dense to read it so, or write ${denseAsSparse(word)}`, letterAt);
            }
            fail(`expected a qubit index after '${c}' (write e.g. ${letter}0; dense labels need the dense option)`);
          }
        } else {
          pos += m[0].length;
          const q = Number(m[0]);
          if (options.numQubits !== undefined && q >= options.numQubits) {
            fail(`qubit ${q} is out of range for ${options.numQubits} qubits`, letterAt);
          }
          pairs.push([q, letter]);
        }
      }
      sawFactor = true;
      skipSpace();
      if (text[pos] === '*') {
        pos++;
        skipSpace();
        if (!/[IXYZixyz]/.test(text[pos] ?? '')) fail("expected a Pauli letter after '*'");
      }
    }
    if (!sawFactor && num === null) fail('expected a coefficient or a Pauli letter with a qubit index', termStart);
    let pauli;
    try {
      pauli = sparsePauli(pairs);
    } catch (e) {
      fail((e as Error).message, termStart);
    }
    terms.push({ coeff, pauli: pauli! });
    skipSpace();
  }
  return { name, terms: normalizeTerms(terms) };
}

/** `ZZII` (rightmost letter = qubit 0) in our sparse form: `Z2 Z3`. */
function denseAsSparse(label: string): string {
  const parts: string[] = [];
  for (let i = label.length - 1; i >= 0; i--) if (label[i] !== 'I') parts.push(`${label[i]}${label.length - 1 - i}`);
  return parts.length ? parts.join(' ') : 'I';
}

/**
 * A Qiskit SparsePauliOp as JSON, in either of its list forms:
 *   `[["XZI", 0.5], …]`          — `SparsePauliOp.from_list` / `to_list()`: dense labels,
 *                                    rightmost letter = qubit 0, length = the qubit count;
 *   `[["XZ", [0, 2], 0.5], …]`   — `SparsePauliOp.from_sparse_list`: letter k acts on qubit
 *                                    indices[k] (here X on 0, Z on 2).
 * Coefficients are numbers or `[re, im]` pairs with im = 0 (observables are Hermitian); both
 * forms may be mixed. `{"terms": [...]}` wraps the same list.
 */
export function parseSparsePauliOp(value: unknown, options: ObservableTextOptions = {}): Observable {
  const name = options.name ?? 'observable';
  const fail = (msg: string): never => {
    throw new UserError(`${name}: ${msg}`);
  };
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && Array.isArray((value as { terms?: unknown }).terms)
      ? (value as { terms: unknown[] }).terms
      : fail('expected a SparsePauliOp list such as [["XZI", 0.5]] or [["XZ", [0, 2], 0.5]]');
  if (list.length === 0) fail('the SparsePauliOp list is empty');
  const n = options.numQubits;
  const terms: PauliTerm[] = [];
  list.forEach((raw: unknown, k: number) => {
    const at = `term ${k}`;
    if (!Array.isArray(raw) || (raw.length !== 2 && raw.length !== 3) || typeof raw[0] !== 'string') {
      fail(`${at}: expected ["LABEL", coefficient] or ["LETTERS", [qubits…], coefficient]`);
    }
    const item = raw as unknown[];
    const label = item[0] as string;
    if (!/^[IXYZ]*$/.test(label)) fail(`${at}: '${label}' is not a Pauli label of I, X, Y, Z`);
    const coeff = realCoefficient(item[item.length - 1], (m) => fail(`${at}: ${m}`));
    const pairs: [number, PauliLetter | 'I'][] = [];
    if (item.length === 2) {
      if (n !== undefined && label.length !== n) fail(`${at}: the label '${label}' has ${label.length} letters, the circuit has ${n} qubits (Qiskit labels cover every qubit)`);
      for (let i = 0; i < label.length; i++) pairs.push([label.length - 1 - i, label[i] as PauliLetter | 'I']);
    } else {
      const qubits = item[1];
      if (!Array.isArray(qubits) || qubits.length !== label.length) fail(`${at}: expected ${label.length} qubit indices for '${label}'`);
      (qubits as unknown[]).forEach((q, i) => {
        if (typeof q !== 'number' || !Number.isInteger(q) || q < 0) fail(`${at}: qubit indices must be non-negative integers`);
        if (n !== undefined && (q as number) >= n) fail(`${at}: qubit ${q} is out of range for ${n} qubits`);
        pairs.push([q as number, label[i] as PauliLetter | 'I']);
      });
    }
    let pauli;
    try {
      pauli = sparsePauli(pairs);
    } catch (e) {
      fail(`${at}: ${(e as Error).message}`);
    }
    terms.push({ coeff, pauli: pauli! });
  });
  return { name, terms: normalizeTerms(terms) };
}

function realCoefficient(v: unknown, fail: (m: string) => never): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && Number.isFinite(v[0])) {
    if (v[1] !== 0) fail(`complex coefficient [${v[0]}, ${v[1]}]: an observable needs real coefficients`);
    return v[0];
  }
  return fail('the coefficient must be a finite number or [re, im] with im = 0');
}

/** Merges repeated strings and drops zero coefficients, keeping first-appearance order. */
export function normalizeTerms(terms: readonly PauliTerm[]): PauliTerm[] {
  const index = new Map<string, number>();
  const out: { coeff: number; pauli: PauliTerm['pauli'] }[] = [];
  for (const t of terms) {
    const key = formatSparsePauli(t.pauli);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push({ coeff: t.coeff, pauli: t.pauli });
    } else {
      out[at]!.coeff += t.coeff;
    }
  }
  return out.filter((t) => t.coeff !== 0);
}

/** `0.5*Z0 Z1 - X3`; round-trips through `parseObservableText`. */
export function formatObservable(obs: Observable | readonly PauliTerm[]): string {
  const terms = 'terms' in obs ? obs.terms : obs;
  if (terms.length === 0) return '0';
  return terms
    .map((t, i) => {
      const mag = Math.abs(t.coeff);
      const p = formatSparsePauli(t.pauli);
      const body = mag === 1 ? p : p === 'I' ? formatNumber(mag) : `${formatNumber(mag)}*${p}`;
      if (i === 0) return t.coeff < 0 ? `-${body}` : body;
      return t.coeff < 0 ? ` - ${body}` : ` + ${body}`;
    })
    .join('');
}

/** Σ|c_j|, the ‖O‖₁ of the error bounds. */
export function observableNorm1(obs: Observable): number {
  let s = 0;
  for (const t of obs.terms) s += Math.abs(t.coeff);
  return s;
}
