import { UserError } from '../ir/errors.js';
import { bindParameters, countParameters, unbindParameters } from '../ir/parameters.js';
import type { AffineTerm, ParameterDecl } from '../ir/types.js';
import { AngleForms } from './forms.js';
import type { BoundCertificates, SurrogateMeta } from './meta.js';
import { AposterioriData } from '../bounds/aposteriori.js';
import { LightConeData } from '../bounds/light-cone-bound.js';

/** The versioned JSON envelope shared by both surrogate kinds. */
export const SURROGATE_FORMAT = 'nearclifford-surrogate';
export const SURROGATE_VERSION = 2;
/** Version 1 files (no bound certificates) still load; their bounds are a priori only. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

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
export function metaFromJSON(json: unknown, where: string): { kind: 'taylor' | 'paths'; meta: SurrogateMeta; doc: Record<string, unknown> } {
  const fail = (msg: string): never => {
    throw new UserError(`${where}: ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('not a surrogate file (expected a JSON object)');
  const doc = json as Record<string, unknown>;
  if (doc.format !== SURROGATE_FORMAT) fail(`not a surrogate file (format is ${JSON.stringify(doc.format)}, expected "${SURROGATE_FORMAT}")`);
  if (!READABLE_VERSIONS.includes(doc.version)) fail(`unsupported surrogate version ${JSON.stringify(doc.version)} (this build reads versions ${READABLE_VERSIONS.join(', ')})`);
  const kind = doc.kind;
  if (kind !== 'taylor' && kind !== 'paths') fail(`unknown surrogate kind ${JSON.stringify(kind)}`);
  const numQubits = doc.num_qubits;
  if (!Number.isInteger(numQubits) || (numQubits as number) < 1) fail('num_qubits must be a positive integer');
  if (!Array.isArray(doc.parameters)) fail('parameters must be a list');
  const parameters: ParameterDecl[] = [];
  let offset = 0;
  for (const d of doc.parameters as unknown[]) {
    const e = d as { name?: unknown; length?: unknown };
    if (typeof e?.name !== 'string') fail('each parameter needs a name');
    const length = e.length === null || e.length === undefined ? null : e.length;
    if (length !== null && (!Number.isInteger(length) || (length as number) < 1)) fail(`parameter '${e.name}' has a bad length`);
    parameters.push({ name: e.name as string, length: length as number | null, offset });
    offset += (length as number | null) ?? 1;
  }
  const D = countParameters(parameters);
  const center = bindParameters(parameters, doc.center, `${where}: center`);
  const norm = doc.observable_norm1;
  if (typeof norm !== 'number' || !(norm >= 0)) fail('observable_norm1 must be a number ≥ 0');
  if (!Array.isArray(doc.angle_forms)) fail('angle_forms must be a list');
  const rows: AffineTerm[][] = [];
  for (const row of doc.angle_forms as unknown[]) {
    if (!Array.isArray(row) || row.length === 0) fail('each angle form must be a non-empty list of [parameter, coefficient]');
    rows.push(
      (row as unknown[]).map((t) => {
        const [p, c] = Array.isArray(t) ? t : [];
        if (!Number.isInteger(p) || p < 0 || p >= D || typeof c !== 'number' || !Number.isFinite(c)) {
          fail(`bad angle-form entry ${JSON.stringify(t)}`);
        }
        return { param: p as number, coeff: c as number };
      }),
    );
  }
  const build = (doc.build ?? {}) as Record<string, unknown>;
  const forms = AngleForms.fromRows(D, rows);
  let certificates: BoundCertificates | undefined;
  if (doc.certificates !== undefined) {
    if (typeof doc.certificates !== 'object' || doc.certificates === null) fail('certificates must be an object');
    const c = doc.certificates as Record<string, unknown>;
    certificates = {
      ...(c.light_cone !== undefined ? { lightCone: LightConeData.fromJSON(c.light_cone, forms.rows, where) } : {}),
      ...(c.aposteriori !== undefined ? { aposteriori: AposterioriData.fromJSON(c.aposteriori, D, forms.rows, where) } : {}),
    };
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    kind: kind as 'taylor' | 'paths',
    doc,
    meta: {
      numQubits: numQubits as number,
      parameters,
      numParameters: D,
      center,
      observable: typeof doc.observable === 'string' ? doc.observable : '',
      observableNorm1: norm as number,
      initialState: typeof doc.initial_state === 'string' ? doc.initial_state : 'zero',
      forms,
      ...(certificates ? { certificates } : {}),
      terms: num(build.terms),
      peakTerms: num(build.peak_terms),
      buildSeconds: num(build.build_seconds),
    },
  };
}
