import { writeFileSync } from 'node:fs';
import { UserError } from '../ir/errors.js';
import type { Surrogate } from './interface.js';
import { ensureFits } from '../memory/limit.js';
import { metaFromJSON, withContentHash } from './meta-json.js';
import { MonomialTable } from './monomials.js';
import { PathSurrogate } from './paths.js';
import { TaylorSurrogate } from './taylor.js';
import { PathDrops } from '../bounds/path-drops.js';

/**
 * Save/load of surrogates as versioned JSON:
 * {"format": "nearclifford-surrogate", "version": 1, "kind": "taylor" | "paths", …}.
 * A Taylor file lists monomials (flat parameter indices with multiplicity) and coefficients; a
 * path file lists the DAG. Both carry the expansion point, the parameter declarations, the
 * observable's 1-norm and the angle forms, so bounds can be computed after loading, and a
 * `content_hash` (SHA-256 of the canonical payload) so that an edited file is refused on load.
 * Loading also validates the structure strictly — integer indices in range, sorted and unique
 * monomials, coefficients within what the observable's norm and the angle forms allow, declared
 * sizes checked before anything of that size is allocated — so a file re-hashed after editing
 * still cannot give silently wrong numbers through a malformed payload.
 */
export function surrogateToJSONText(s: Surrogate): string {
  return JSON.stringify(surrogateDocument(s));
}

/** The saved document: the surrogate's JSON with the content hash of its canonical payload. */
export function surrogateDocument(s: Surrogate): Record<string, unknown> {
  return withContentHash(s.toJSON() as Record<string, unknown>);
}

/** Writes the surrogate as JSON to `file` (read it back with {@link surrogateFromJSON}). */
export function saveSurrogate(s: Surrogate, file: string): void {
  // The document is built as JS arrays, then as text: about 24 bytes per number, twice over.
  const size = s.size();
  const numbers = s.kind === 'taylor' ? size.monomials * (s.truncation + 2) : size.nodes * 4;
  ensureFits(numbers * 48 + 65536, `the JSON text of a surrogate with ${size.monomials} ${s.kind === 'taylor' ? 'monomials' : 'path monomials'}`);
  try {
    writeFileSync(file, surrogateToJSONText(s) + '\n');
  } catch (e) {
    throw new UserError(`cannot write surrogate file '${file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Rebuilds a surrogate from its JSON document; `where` names the source in error messages. */
export function surrogateFromJSON(json: unknown, where = 'surrogate'): Surrogate {
  const { kind, meta, doc, fullNorm1 } = metaFromJSON(json, where);
  const fail = (msg: string): never => {
    throw new UserError(`${where}: ${msg}`);
  };
  const D = meta.numParameters;
  try {
    if (kind === 'taylor') {
      const order = doc.order;
      if (!Number.isInteger(order) || (order as number) < 0 || (order as number) > 255) fail('order must be an integer in [0, 255]');
      const m = order as number;
      const monomials = doc.monomials;
      const coefficients = doc.coefficients;
      if (!Array.isArray(monomials) || !Array.isArray(coefficients) || monomials.length !== coefficients.length) {
        fail('monomials and coefficients must be lists of equal length');
      }
      const count = (monomials as unknown[]).length;
      // The evaluation tree holds each monomial and its prefixes; check the memory before building.
      ensureFits(count * (Math.max(1, m) * 4 + 64) * 3, `loading a Taylor surrogate of ${count} monomials of degree ≤ ${m}`);
      // Which parameters drive some gate, and the 1-norm of their columns of A.
      const columnNorm = new Float64Array(D);
      for (let g = 0; g < meta.forms.rows; g++) for (const t of meta.forms.row(g)) columnNorm[t.param]! += Math.abs(t.coeff);
      const seen = new MonomialTable(m, Math.max(16, count));
      const scratch = new Int32Array(Math.max(1, m));
      let sawConstant = false;
      (monomials as unknown[]).forEach((mono, i) => {
        if (!Array.isArray(mono)) fail(`monomial ${i} must be a list of parameter indices`);
        const vars = mono as unknown[];
        if (vars.length > m) fail(`monomial ${i} has degree ${vars.length}, above the order ${m}`);
        scratch.fill(-1);
        let prev = -1;
        // |coefficient of δ^α| ≤ ‖O‖₁ · Π_k a_k^{α_k} / α!  (a_k = Σ_g |A_gk|): every angle
        // derivative of the cost is bounded by ‖O‖₁; the constant term by Σ|c| over all terms.
        let bound = vars.length === 0 ? fullNorm1 : meta.observableNorm1;
        let run = 0;
        vars.forEach((v, j) => {
          if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= D) {
            fail(`monomial ${i}: parameter index ${JSON.stringify(v)} is not an integer in [0, ${D})`);
          }
          const k = v as number;
          if (k < prev) fail(`monomial ${i} is not sorted (indices must not decrease)`);
          if (columnNorm[k] === 0) fail(`monomial ${i} uses parameter ${k}, which drives no gate in angle_forms`);
          run = k === prev ? run + 1 : 1;
          bound *= columnNorm[k]! / run;
          prev = k;
          scratch[j] = k;
        });
        // The table starts out holding the constant monomial: track that one by hand.
        const before = seen.size;
        if (vars.length > 0) seen.insert(scratch, vars.length);
        if (vars.length === 0 ? sawConstant : seen.size === before) fail(`monomial ${i} ${JSON.stringify(vars)} is listed twice`);
        if (vars.length === 0) sawConstant = true;
        const c = (coefficients as unknown[])[i];
        if (typeof c !== 'number' || !Number.isFinite(c) || c === 0) fail(`coefficient ${i} must be a finite non-zero number`);
        if (Math.abs(c as number) > bound * (1 + 1e-9) + 1e-300) {
          fail(`coefficient ${i} (${c}) exceeds ${bound}, the most the observable's norm and the angle forms allow for its monomial`);
        }
      });
      return TaylorSurrogate.fromMonomials(meta, m, monomials as number[][], coefficients as number[]);
    }
    const nodes = doc.nodes as Record<string, unknown> | undefined;
    const arr = (v: unknown, what: string): number[] => {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(`${what} must be a list of numbers`);
      return v as number[];
    };
    // Int32Array.from would silently truncate 1.5 to 1: indices must be integers to begin with.
    const ints = (v: unknown, what: string): number[] => {
      const list = arr(v, what);
      const bad = list.findIndex((x) => !Number.isInteger(x) || x < -1 || x > 0x7fffffff);
      if (bad >= 0) fail(`${what}[${bad}] must be an integer index, got ${list[bad]}`);
      return list;
    };
    if (typeof nodes !== 'object' || nodes === null) fail('nodes missing');
    const op = ints(nodes!.op, 'nodes.op');
    const a = ints(nodes!.a, 'nodes.a');
    const b = ints(nodes!.b, 'nodes.b');
    const w = arr(nodes!.w, 'nodes.w');
    ensureFits(op.length * 17 * 3, `loading a path surrogate of ${op.length} nodes`);
    if (a.length !== op.length || b.length !== op.length || w.length !== op.length) fail('node lists differ in length');
    const outputs = ints(doc.outputs, 'outputs');
    const weights = arr(doc.output_weights, 'output_weights');
    if (outputs.length !== weights.length) fail('outputs and output_weights differ in length');
    const S = doc.max_sins;
    if (!Number.isInteger(S) || (S as number) < 0) fail('max_sins must be an integer ≥ 0');
    const gain = doc.fixed_gain;
    if (typeof gain !== 'number' || !(gain >= 1 - 1e-12)) fail('fixed_gain must be a number ≥ 1');
    return new PathSurrogate(
      meta, S as number, gain as number, Uint8Array.from(op), Int32Array.from(a), Int32Array.from(b), Float64Array.from(w),
      Int32Array.from(outputs), Float64Array.from(weights),
      doc.drops === undefined ? undefined : PathDrops.fromJSON(doc.drops, op.length, where),
    );
  } catch (e) {
    if (e instanceof RangeError) fail(e.message);
    throw e;
  }
}
