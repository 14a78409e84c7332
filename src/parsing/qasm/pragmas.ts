import { UserError } from '../../ir/errors.js';
import type { SourceLocation } from '../../ir/types.js';
import type { CommentPragma } from './lexer.js';

/**
 * `// nearclifford:…` comments, written by our OpenQASM 3 exporter so that an import gets back
 * what plain OpenQASM cannot say. Other tools see ordinary comments.
 *
 *   // nearclifford:param theta[12] theta_      vector theta of 12, elements are inputs theta_0 … theta_11
 *   // nearclifford:param a a                   scalar a, stored in input a
 *   // nearclifford:observable H = 0.5*Z0 Z1 - X3
 *
 * Noise channels travel as OpenQASM 3 pragma lines instead (they are operations, in circuit order,
 * so the lexer hands them to the parser as statements rather than collecting them here):
 *
 *   #pragma nearclifford noise depolarize(0.01) q[0]
 *   #pragma nearclifford noise depolarize2(0.02) q[0], q[1]
 *   #pragma nearclifford noise pauli_noise(0.01, 0, 0.02) q[3];
 *
 * — the channel's name and numeric strengths as in the DSL, its qubits as gate operands (registers
 * broadcast), an optional `;`, nothing else on the line. Other `#pragma` lines are ignored.
 *
 * Parameter lines list the declarations in flat-index order. When present they must account for
 * every `input` exactly once; without them each input becomes a scalar parameter of its own name.
 */
export interface ParamPragma {
  readonly name: string;
  /** null for a scalar. */
  readonly length: number | null;
  /** Scalar: the input's name. Vector: the prefix the element index is appended to. */
  readonly input: string;
  readonly at: SourceLocation;
}

export interface ObservablePragma {
  readonly name: string;
  readonly text: string;
  readonly at: SourceLocation;
}

export interface Pragmas {
  readonly params: ParamPragma[];
  readonly observables: ObservablePragma[];
}

const IDENT = String.raw`[\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*`;
const PARAM_RE = new RegExp(String.raw`^nearclifford:param\s+(${IDENT})(?:\[(\d+)\])?\s+(${IDENT})\s*$`, 'u');
const OBSERVABLE_RE = new RegExp(String.raw`^nearclifford:observable\s+(${IDENT})\s*=\s*(.+)$`, 'u');

/** Maximum vector length accepted from a comment (the flat table is allocated from it). */
const MAX_VECTOR = 1 << 20;

export function parsePragmas(comments: readonly CommentPragma[]): Pragmas {
  const params: ParamPragma[] = [];
  const observables: ObservablePragma[] = [];
  for (const c of comments) {
    if (/^nearclifford:param\b/.test(c.text)) {
      const m = PARAM_RE.exec(c.text);
      if (!m) throw new UserError("malformed nearclifford:param comment: expected 'nearclifford:param NAME INPUT' or 'nearclifford:param NAME[LENGTH] PREFIX'", c.at);
      const length = m[2] === undefined ? null : Number(m[2]);
      if (length !== null && (length < 1 || length > MAX_VECTOR)) {
        throw new UserError(`nearclifford:param: vector length must be between 1 and ${MAX_VECTOR}, got ${m[2]}`, c.at);
      }
      if (params.some((p) => p.name === m[1])) throw new UserError(`nearclifford:param: parameter '${m[1]}' is listed twice`, c.at);
      params.push({ name: m[1]!, length, input: m[3]!, at: c.at });
    } else if (/^nearclifford:observable\b/.test(c.text)) {
      const m = OBSERVABLE_RE.exec(c.text);
      if (!m) throw new UserError("malformed nearclifford:observable comment: expected 'nearclifford:observable NAME = PAULI SUM'", c.at);
      observables.push({ name: m[1]!, text: m[2]!, at: c.at });
    }
  }
  return { params, observables };
}

/**
 * Resolves input names to flat indices under the parameter pragmas: a scalar claims its input, a
 * vector with prefix P and length n claims P0 … P(n−1) (decimal, no leading zeros).
 */
export class PragmaParameterMap {
  private readonly scalars = new Map<string, number>();
  private readonly vectors: { prefix: string; length: number; offset: number }[] = [];
  readonly size: number;

  constructor(readonly params: readonly ParamPragma[]) {
    let flat = 0;
    for (const p of params) {
      if (p.length === null) {
        if (this.scalars.has(p.input)) throw new UserError(`nearclifford:param: input '${p.input}' is claimed by two parameters`, p.at);
        this.scalars.set(p.input, flat++);
      } else {
        this.vectors.push({ prefix: p.input, length: p.length, offset: flat });
        flat += p.length;
      }
    }
    this.size = flat;
  }

  /** Flat index of the input, undefined when no pragma claims it; throws when two do. */
  lookup(input: string, at: SourceLocation): number | undefined {
    let found = this.scalars.get(input);
    for (const v of this.vectors) {
      if (!input.startsWith(v.prefix)) continue;
      const rest = input.slice(v.prefix.length);
      if (!/^(0|[1-9]\d*)$/.test(rest)) continue;
      const i = Number(rest);
      if (i >= v.length) continue;
      if (found !== undefined) throw new UserError(`input '${input}' is claimed by two nearclifford:param comments`, at);
      found = v.offset + i;
    }
    return found;
  }

  /** Name of the input for a flat index (for "not declared" messages). */
  inputName(flat: number): { name: string; at: SourceLocation } {
    let offset = 0;
    for (const p of this.params) {
      const n = p.length ?? 1;
      if (flat < offset + n) return { name: p.length === null ? p.input : `${p.input}${flat - offset}`, at: p.at };
      offset += n;
    }
    throw new RangeError(`no input at flat index ${flat}`);
  }
}
