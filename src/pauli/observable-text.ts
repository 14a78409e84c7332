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
