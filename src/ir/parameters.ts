import { UserError } from './errors.js';
import type { Circuit, ParameterDecl } from './types.js';

/** Display name of a flat parameter index: `a` or `theta[3]`. */
export function parameterName(decls: readonly ParameterDecl[], flat: number): string {
  for (const d of decls) {
    if (d.length === null) {
      if (flat === d.offset) return d.name;
    } else if (flat >= d.offset && flat < d.offset + d.length) {
      return `${d.name}[${flat - d.offset}]`;
    }
  }
  throw new RangeError(`no parameter at flat index ${flat}`);
}

/** Total number of flat slots of the declarations. */
export function countParameters(decls: readonly ParameterDecl[]): number {
  let n = 0;
  for (const d of decls) n += d.length ?? 1;
  return n;
}

/** A JSON-shaped parameter assignment: `{"theta": [0.1, 0.2], "a": 0.3}`. */
export type ParameterValues = Record<string, number | number[]>;

/**
 * Turns a name → value(s) object into the flat vector. Every declared parameter must be present
 * with the declared shape; unknown names are errors too, because they are usually typos.
 */
export function bindParameters(
  decls: readonly ParameterDecl[],
  values: unknown,
  what = 'parameters',
): Float64Array {
  const n = countParameters(decls);
  if (decls.length === 0 && (values === undefined || values === null)) return new Float64Array(0);
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new UserError(`${what}: expected an object mapping parameter names to numbers or arrays`);
  }
  const obj = values as Record<string, unknown>;
  const known = new Set(decls.map((d) => d.name));
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) {
      const names = decls.map((d) => d.name).join(', ') || '(none)';
      throw new UserError(`${what}: unknown parameter '${key}' (the circuit declares: ${names})`);
    }
  }
  // Shapes first: a declaration claiming 10^9 elements must fail here, not after allocating 8 GB.
  for (const d of decls) {
    const v = obj[d.name];
    if (v === undefined) throw new UserError(`${what}: missing parameter '${d.name}'`);
    if (d.length !== null && (!Array.isArray(v) || v.length !== d.length)) {
      throw new UserError(`${what}: parameter '${d.name}' must be an array of ${d.length} numbers`);
    }
  }
  const flat = new Float64Array(n);
  for (const d of decls) {
    const v = obj[d.name];
    if (v === undefined) throw new UserError(`${what}: missing parameter '${d.name}'`);
    if (d.length === null) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new UserError(`${what}: parameter '${d.name}' must be a finite number`);
      }
      flat[d.offset] = v;
    } else {
      if (!Array.isArray(v) || v.length !== d.length) {
        throw new UserError(`${what}: parameter '${d.name}' must be an array of ${d.length} numbers`);
      }
      for (let i = 0; i < d.length; i++) {
        const x = v[i];
        if (typeof x !== 'number' || !Number.isFinite(x)) {
          throw new UserError(`${what}: ${d.name}[${i}] must be a finite number`);
        }
        flat[d.offset + i] = x;
      }
    }
  }
  return flat;
}

/** The inverse of `bindParameters`: flat vector → `{name: number | number[]}`. */
export function unbindParameters(decls: readonly ParameterDecl[], flat: ArrayLike<number>): ParameterValues {
  const out: ParameterValues = {};
  for (const d of decls) {
    if (d.length === null) out[d.name] = flat[d.offset] as number;
    else out[d.name] = Array.from({ length: d.length }, (_, i) => flat[d.offset + i] as number);
  }
  return out;
}

/** Throws a UserError unless `params` has one finite value per parameter of the circuit. */
export function checkParams(circuit: Circuit, params: ArrayLike<number>): void {
  if (params.length !== circuit.numParameters) {
    throw new UserError(`expected ${circuit.numParameters} parameter values, got ${params.length}`);
  }
  for (let i = 0; i < params.length; i++) {
    if (!Number.isFinite(params[i])) throw new UserError(`parameter value #${i} is not a finite number`);
  }
}
