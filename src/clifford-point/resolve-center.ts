import { UserError } from '../ir/errors.js';
import { bindParameters } from '../ir/parameters.js';
import type { Circuit } from '../ir/types.js';
import { parseCenterSpec, randomCliffordCenter } from './center.js';

/**
 * The expansion point θ* from its text form (`zero`, `random-clifford[:seed]`, or a params JSON
 * file read by the caller), with the surrogate's own parser so every command reads it alike.
 */
export function resolveCenter(circuit: Circuit, spec: string | undefined, readJson: (file: string) => unknown): Float64Array {
  const c = parseCenterSpec(spec ?? 'zero');
  if (c.kind === 'zero') return new Float64Array(circuit.numParameters);
  if (c.kind === 'random-clifford') return randomCliffordCenter(circuit.numParameters, c.seed);
  return bindParameters(circuit.parameters, readJson(c.path), `center file '${c.path}'`);
}

/** A parameter reference: flat index (`7`), scalar name (`a`) or vector element (`theta[3]`). */
export function parseParameterRef(circuit: Circuit, text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const k = Number(t);
    if (k >= circuit.numParameters) throw new UserError(`parameter index ${k} is out of range: the circuit has ${circuit.numParameters} parameters`);
    return k;
  }
  const m = /^([\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*)(?:\[(\d+)\])?$/u.exec(t);
  const decl = m ? circuit.parameters.find((p) => p.name === m[1]) : undefined;
  if (!m || !decl) {
    const names = circuit.parameters.map((p) => (p.length === null ? p.name : `${p.name}[0..${p.length - 1}]`)).join(', ') || '(none)';
    throw new UserError(`unknown parameter '${text}' (the circuit declares: ${names}); give a name, name[i], or a flat index`);
  }
  if (decl.length === null) {
    if (m[2] !== undefined) throw new UserError(`parameter '${decl.name}' is a scalar and cannot be indexed`);
    return decl.offset;
  }
  if (m[2] === undefined) throw new UserError(`parameter '${decl.name}' is a vector of ${decl.length}: write ${decl.name}[i]`);
  const i = Number(m[2]);
  if (i >= decl.length) throw new UserError(`index ${i} is out of range for ${decl.name}[${decl.length}]`);
  return decl.offset + i;
}
