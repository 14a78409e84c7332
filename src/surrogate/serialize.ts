import { writeFileSync } from 'node:fs';
import { UserError } from '../ir/errors.js';
import type { Surrogate } from './meta.js';
import { metaFromJSON } from './meta-json.js';
import { PathSurrogate } from './paths.js';
import { TaylorSurrogate } from './taylor.js';
import { PathDrops } from '../bounds/path-drops.js';

/**
 * Save/load of surrogates as versioned JSON:
 * {"format": "nearclifford-surrogate", "version": 1, "kind": "taylor" | "paths", …}.
 * A Taylor file lists monomials (flat parameter indices with multiplicity) and coefficients; a
 * path file lists the DAG. Both carry the expansion point, the parameter declarations, the
 * observable's 1-norm and the angle forms, so bounds can be computed after loading.
 */
export function surrogateToJSONText(s: Surrogate): string {
  return JSON.stringify(s.toJSON());
}

export function saveSurrogate(s: Surrogate, file: string): void {
  try {
    writeFileSync(file, surrogateToJSONText(s) + '\n');
  } catch (e) {
    throw new UserError(`cannot write surrogate file '${file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Rebuilds a surrogate from its JSON document; `where` names the source in error messages. */
export function surrogateFromJSON(json: unknown, where = 'surrogate'): Surrogate {
  const { kind, meta, doc } = metaFromJSON(json, where);
  const fail = (msg: string): never => {
    throw new UserError(`${where}: ${msg}`);
  };
  try {
    if (kind === 'taylor') {
      const order = doc.order;
      if (!Number.isInteger(order) || (order as number) < 0 || (order as number) > 255) fail('order must be an integer in [0, 255]');
      const monomials = doc.monomials;
      const coefficients = doc.coefficients;
      if (!Array.isArray(monomials) || !Array.isArray(coefficients) || monomials.length !== coefficients.length) {
        fail('monomials and coefficients must be lists of equal length');
      }
      for (const m of monomials as unknown[]) if (!Array.isArray(m)) fail('each monomial must be a list of parameter indices');
      for (const c of coefficients as unknown[]) if (typeof c !== 'number' || !Number.isFinite(c)) fail('coefficients must be finite numbers');
      return TaylorSurrogate.fromMonomials(meta, order as number, monomials as number[][], coefficients as number[]);
    }
    const nodes = doc.nodes as Record<string, unknown> | undefined;
    const arr = (v: unknown, what: string): number[] => {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(`${what} must be a list of numbers`);
      return v as number[];
    };
    if (typeof nodes !== 'object' || nodes === null) fail('nodes missing');
    const op = arr(nodes!.op, 'nodes.op');
    const a = arr(nodes!.a, 'nodes.a');
    const b = arr(nodes!.b, 'nodes.b');
    const w = arr(nodes!.w, 'nodes.w');
    if (a.length !== op.length || b.length !== op.length || w.length !== op.length) fail('node lists differ in length');
    const outputs = arr(doc.outputs, 'outputs');
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
