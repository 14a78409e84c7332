import { createHash } from 'node:crypto';
import { UserError } from '../ir/errors.js';
import { MAX_PARAMETERS, MAX_QUBITS } from '../ir/limits.js';
import { parseInitialState } from '../ir/states.js';
import { ensureFits } from '../memory/limit.js';
import { parseObservableText } from '../pauli/observable-text.js';
import { bindParameters, countParameters, unbindParameters } from '../ir/parameters.js';
import type { AffineTerm, ParameterDecl } from '../ir/types.js';
import { AngleForms } from './forms.js';
import type { BoundCertificates, SurrogateMeta } from './meta.js';
import { AposterioriData } from '../bounds/aposteriori.js';
import { LightConeData } from '../bounds/light-cone-bound.js';

/** The versioned JSON envelope shared by both surrogate kinds. */
export const SURROGATE_FORMAT = 'nearclifford-surrogate';
/**
 * Version 2 added `content_hash`, version 3 the bound certificates (light cone, a posteriori).
 * Version 1 files (no hash) are refused; version 2 files still load, with a-priori bounds only.
 */
export const SURROGATE_VERSION = 3;
const READABLE_VERSIONS: readonly unknown[] = [2, 3];

/**
 * The canonical text of a JSON value: object keys sorted at every level, numbers as JSON writes
 * them (the shortest round-trip form, so parse → canonicalize reproduces what was written).
 */
export function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `sha256:…` of the canonical payload: every field except `content_hash` itself. */
export function contentHash(doc: Record<string, unknown>): string {
  const { content_hash: _ignored, ...payload } = doc;
  return 'sha256:' + createHash('sha256').update(canonicalJSON(payload)).digest('hex');
}

/** The document with its content hash (what `surrogate --save` writes). */
export function withContentHash(doc: Record<string, unknown>): Record<string, unknown> {
  return { ...doc, content_hash: contentHash(doc) };
}

export function metaToJSON(meta: SurrogateMeta, kind: 'taylor' | 'paths'): Record<string, unknown> {
  return {
    format: SURROGATE_FORMAT,
    version: SURROGATE_VERSION,
    kind,
    num_qubits: meta.numQubits,
    parameters: meta.parameters.map((d) => ({ name: d.name, length: d.length })),
    center: unbindParameters(meta.parameters, meta.center),
    observable: meta.observable,
    observable_norm1: meta.observableNorm1,
    initial_state: meta.initialState,
    angle_forms: meta.forms.toJSON(),
    build: { terms: meta.terms, peak_terms: meta.peakTerms, build_seconds: meta.buildSeconds },
    certificates: {
      ...(meta.certificates?.lightCone ? { light_cone: meta.certificates.lightCone.toJSON() } : {}),
      ...(meta.certificates?.aposteriori ? { aposteriori: meta.certificates.aposteriori.toJSON() } : {}),
    },
  };
}

/** Reads and checks the envelope; `where` names the file in messages. */
export function metaFromJSON(
  json: unknown, where: string,
): { kind: 'taylor' | 'paths'; meta: SurrogateMeta; doc: Record<string, unknown>; fullNorm1: number } {
  const fail = (msg: string): never => {
    throw new UserError(`${where}: ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('not a surrogate file (expected a JSON object)');
  const doc = json as Record<string, unknown>;
  if (doc.format !== SURROGATE_FORMAT) fail(`not a surrogate file (format is ${JSON.stringify(doc.format)}, expected "${SURROGATE_FORMAT}")`);
  if (!READABLE_VERSIONS.includes(doc.version)) fail(`unsupported surrogate version ${JSON.stringify(doc.version)} (this build reads versions ${READABLE_VERSIONS.join(', ')})`);
  const hash = doc.content_hash;
  if (typeof hash !== 'string') fail('no content_hash: the file is incomplete or was not written by `nearclifford surrogate --save`');
  if (hash !== contentHash(doc)) {
    fail('content hash does not match: the file was edited or corrupted after it was saved (rebuild it with `nearclifford surrogate --save`)');
  }
  // Version 2 predates the bound certificates: such a file claiming some is not one we wrote.
  if (doc.version === 2 && doc.certificates !== undefined) fail('version 2 files carry no certificates (rebuild it with `nearclifford surrogate --save`)');
  const kind = doc.kind;
  if (kind !== 'taylor' && kind !== 'paths') fail(`unknown surrogate kind ${JSON.stringify(kind)}`);
  const numQubits = doc.num_qubits;
  if (!Number.isInteger(numQubits) || (numQubits as number) < 1 || (numQubits as number) > MAX_QUBITS) {
    fail(`num_qubits must be an integer in [1, ${MAX_QUBITS}]`);
  }
  if (!Array.isArray(doc.parameters)) fail('parameters must be a list');
  const parameters: ParameterDecl[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const d of doc.parameters as unknown[]) {
    const e = d as { name?: unknown; length?: unknown };
    if (typeof e?.name !== 'string' || e.name === '') fail('each parameter needs a non-empty name');
    if (names.has(e.name as string)) fail(`parameter '${e.name}' is declared twice`);
    names.add(e.name as string);
    const length = e.length === null || e.length === undefined ? null : e.length;
    if (length !== null && (!Number.isInteger(length) || (length as number) < 1)) fail(`parameter '${e.name}' has a bad length`);
    parameters.push({ name: e.name as string, length: length as number | null, offset });
    offset += (length as number | null) ?? 1;
    // Declared sizes are checked before anything of that size is allocated.
    if (offset > MAX_PARAMETERS) fail(`the parameters declare more than ${MAX_PARAMETERS} values`);
  }
  const D = countParameters(parameters);
  ensureFits(8 * D * 4, `the parameter vectors of a surrogate with ${D} parameters`);
  const center = bindParameters(parameters, doc.center, `${where}: center`);
  if (typeof doc.observable !== 'string') fail('observable (the Pauli sum as text) is required');
  let observable;
  try {
    observable = parseObservableText(doc.observable as string, { name: 'observable', numQubits: numQubits as number });
  } catch (e) {
    fail(`observable: ${(e as Error).message}`);
  }
  const norm = doc.observable_norm1;
  if (typeof norm !== 'number' || !(norm >= 0) || !Number.isFinite(norm)) fail('observable_norm1 must be a finite number ≥ 0');
  let expectedNorm = 0;
  let fullNorm = 0;
  for (const t of observable!.terms) {
    fullNorm += Math.abs(t.coeff);
    if (t.pauli.qubits.length > 0) expectedNorm += Math.abs(t.coeff);
  }
  // A stored norm above the text's is legitimate: a builder given repeated terms (Z0 − 0.25·Z0)
  // sums them unmerged, while the saved text merges them. A larger norm only loosens the bounds;
  // a smaller one would make them wrong, so only that is refused.
  if ((norm as number) < expectedNorm - 1e-9 * Math.max(1, expectedNorm)) {
    fail(`observable_norm1 is ${norm}, but the observable's non-identity terms sum to ${expectedNorm}`);
  }
  if (typeof doc.initial_state !== 'string') fail('initial_state (zero, plus or a bitstring) is required');
  try {
    parseInitialState(doc.initial_state as string, numQubits as number);
  } catch (e) {
    fail(`initial_state: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc.angle_forms)) fail('angle_forms must be a list');
  const rows: AffineTerm[][] = [];
  for (const row of doc.angle_forms as unknown[]) {
    if (!Array.isArray(row) || row.length === 0) fail('each angle form must be a non-empty list of [parameter, coefficient]');
    const seen = new Set<number>();
    rows.push(
      (row as unknown[]).map((t) => {
        const [p, c] = Array.isArray(t) && t.length === 2 ? t : [];
        if (!Number.isInteger(p) || p < 0 || p >= D || typeof c !== 'number' || !Number.isFinite(c) || c === 0) {
          fail(`bad angle-form entry ${JSON.stringify(t)} (expected [parameter index in [0, ${D}), non-zero coefficient])`);
        }
        if (seen.has(p)) fail(`an angle form lists parameter ${p} twice`);
        seen.add(p);
        return { param: p as number, coeff: c as number };
      }),
    );
  }
  const build = (doc.build ?? {}) as Record<string, unknown>;
  const forms = AngleForms.fromRows(D, rows);
  let certificates: BoundCertificates | undefined;
  if (doc.certificates !== undefined) {
    if (typeof doc.certificates !== 'object' || doc.certificates === null || Array.isArray(doc.certificates)) fail('certificates must be an object');
    const c = doc.certificates as Record<string, unknown>;
    for (const k of Object.keys(c)) if (k !== 'light_cone' && k !== 'aposteriori') fail(`unknown certificate ${JSON.stringify(k)} (expected light_cone, aposteriori)`);
    certificates = {
      ...(c.light_cone !== undefined ? { lightCone: LightConeData.fromJSON(c.light_cone, forms.rows, where) } : {}),
      ...(c.aposteriori !== undefined ? { aposteriori: AposterioriData.fromJSON(c.aposteriori, D, forms.rows, where) } : {}),
    };
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    kind: kind as 'taylor' | 'paths',
    doc,
    fullNorm1: fullNorm,
    meta: {
      numQubits: numQubits as number,
      parameters,
      numParameters: D,
      center,
      observable: doc.observable as string,
      observableNorm1: norm as number,
      initialState: doc.initial_state as string,
      forms,
      ...(certificates ? { certificates } : {}),
      terms: num(build.terms),
      peakTerms: num(build.peak_terms),
      buildSeconds: num(build.build_seconds),
    },
  };
}
