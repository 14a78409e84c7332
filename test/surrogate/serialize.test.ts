import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addExpr, constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { CircuitAssembler } from '../../src/ir/circuit.js';
import { UserError } from '../../src/ir/errors.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { buildPathSurrogate } from '../../src/surrogate/paths-build.js';
import { SURROGATE_VERSION, withContentHash } from '../../src/surrogate/meta-json.js';
import { saveSurrogate, surrogateDocument, surrogateFromJSON } from '../../src/surrogate/serialize.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';

function sample() {
  const b = new CircuitAssembler();
  b.setQubits(3);
  b.declareParameter('a', null);
  b.declareParameter('theta', 2);
  b.addGates([
    rotationGate('Y', [0], parameterExpr(0)), cliffordGate('cx', [0, 1]),
    rotationGate('XZ', [1, 2], addExpr(parameterExpr(1, 2), constantExpr(Math.PI / 2))),
    rotationGate('Z', [2], constantExpr(0.3)), cliffordGate('h', [2]),
    rotationGate('X', [2], addExpr(parameterExpr(2), parameterExpr(0, -1))),
  ]);
  return { circuit: b.build(), obs: parseObservableText('Z0 Z1 - 0.5*X2 + 0.2*Z2', { numQubits: 3 }) };
}

const points = new Float64Array([0.1, -0.2, 0.05, 1.5, 0.3, -0.4, 0, 0, 0]);
const dir = mkdtempSync(join(tmpdir(), 'nc-surrogate-'));

describe('surrogate JSON', () => {
  for (const kind of ['taylor', 'paths'] as const) {
    it(`${kind}: save → load gives identical values, bounds and gradients`, () => {
      const { circuit, obs } = sample();
      const center = [Math.PI / 2, 0, Math.PI];
      const s = kind === 'taylor'
        ? buildTaylorSurrogate(circuit, obs, { order: 4, center })
        : buildPathSurrogate(circuit, obs, { maxSins: 2, center });
      const file = join(dir, `${kind}.json`);
      saveSurrogate(s, file);
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      expect(doc).toMatchObject({ format: 'nearclifford-surrogate', version: SURROGATE_VERSION, kind, center: { a: Math.PI / 2, theta: [0, Math.PI] } });
      const t = surrogateFromJSON(doc, file);
      expect(t.kind).toBe(kind);
      expect(t.truncation).toBe(s.truncation);
      expect(Array.from(t.evaluate(points))).toEqual(Array.from(s.evaluate(points)));
      expect(Array.from(t.bounds(points))).toEqual(Array.from(s.bounds(points)));
      expect(Array.from(t.gradient(points.subarray(0, 3)))).toEqual(Array.from(s.gradient(points.subarray(0, 3))));
      expect(t.size()).toEqual(s.size());
      expect(t.meta.parameters).toEqual(circuit.parameters);
    });
  }

  it('rejects other files and versions with a message naming the file', () => {
    const { circuit, obs } = sample();
    const doc = surrogateDocument(buildTaylorSurrogate(circuit, obs, { order: 2 }));
    expect(() => surrogateFromJSON({ ...doc, version: 1 }, 'x.json')).toThrow(/x\.json: unsupported surrogate version 1/);
    expect(() => surrogateFromJSON({ ...doc, version: 4 }, 'x.json')).toThrow(/x\.json: unsupported surrogate version 4/);
    expect(() => surrogateFromJSON({ ...doc, format: 'other' }, 'x.json')).toThrow(UserError);
    expect(() => surrogateFromJSON([1, 2], 'x.json')).toThrow(/not a surrogate file/);
  });

  // A saved file, edited: the hash refuses every edit; re-hashed, strict validation still refuses
  // each malformed payload the issue lists, before anything of a declared size is allocated.
  describe('corrupted files', () => {
    const { circuit, obs } = sample();
    const center = [Math.PI / 2, 0, Math.PI];
    const taylor = surrogateDocument(buildTaylorSurrogate(circuit, obs, { order: 3, center }));
    const paths = surrogateDocument(buildPathSurrogate(circuit, obs, { maxSins: 2, center }));
    const monos = taylor.monomials as number[][];
    const coefs = taylor.coefficients as number[];
    const firstLinear = monos.findIndex((m) => m.length === 1);
    const load = (doc: Record<string, unknown>) => () => surrogateFromJSON(doc, 'bad.json');
    const rehashed = (edit: Record<string, unknown>, base = taylor) => {
      const { content_hash: _h, ...rest } = base;
      return load(withContentHash({ ...rest, ...edit }));
    };

    it('the saved files load, and the hash covers the canonical payload, not key order', () => {
      expect(() => surrogateFromJSON(taylor, 't.json')).not.toThrow();
      expect(() => surrogateFromJSON(paths, 'p.json')).not.toThrow();
      const reordered = Object.fromEntries(Object.entries(taylor).reverse());
      expect(() => surrogateFromJSON(JSON.parse(JSON.stringify(reordered)), 't.json')).not.toThrow();
      expect(String(taylor.content_hash)).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it('any edit without re-hashing is refused: doubled coefficients, a changed norm, a missing hash', () => {
      expect(load({ ...taylor, coefficients: coefs.map((c) => 2 * c) })).toThrow(/bad\.json: content hash does not match/);
      expect(load({ ...taylor, observable_norm1: 0 })).toThrow(/content hash does not match/);
      expect(load({ ...paths, max_sins: 5 })).toThrow(/content hash does not match/);
      const { content_hash: _h, ...noHash } = taylor;
      expect(load(noHash)).toThrow(/no content_hash/);
    });

    it('re-hashed malformed payloads are refused by validation', () => {
      const frac = monos.map((m, i) => (i === firstLinear ? [m[0]! + 0.5] : m));
      expect(rehashed({ monomials: frac })).toThrow(/is not an integer in \[0, 3\)/);
      expect(rehashed({ monomials: [...monos, monos[firstLinear]!], coefficients: [...coefs, coefs[firstLinear]!] })).toThrow(/listed twice/);
      expect(rehashed({ monomials: [...monos, []], coefficients: [...coefs, 0.25] })).toThrow(/listed twice/);
      expect(rehashed({ monomials: [...monos, [2, 0]], coefficients: [...coefs, 1e-3] })).toThrow(/not sorted/);
      expect(rehashed({ monomials: [...monos, [0, 2]], coefficients: [...coefs, 1e-3] })).not.toThrow();
      expect(rehashed({ monomials: [[7]], coefficients: [1] })).toThrow(/not an integer in \[0, 3\)/);
      expect(rehashed({ monomials: [[0]], coefficients: [] })).toThrow(/equal length/);
      expect(rehashed({ observable_norm1: 0 })).toThrow(/observable_norm1 is 0, but the observable's non-identity terms sum to 1\.7/);
      expect(rehashed({ coefficients: coefs.map((c) => 1e6 * c) })).toThrow(/exceeds .* the most the observable's norm and the angle forms allow/);
      const forms = taylor.angle_forms as unknown[][];
      // The light-cone certificate names rows of the angle forms: it refuses dropped rows first.
      expect(rehashed({ angle_forms: [forms[0]!, forms[2]!] })).toThrow(/light_cone: rows must be gate indices of the angle forms/);
      expect(rehashed({ angle_forms: [forms[0]!, forms[2]!], certificates: {} })).toThrow(/uses parameter 1, which drives no gate in angle_forms/);
      expect(rehashed({ angle_forms: [[[0, 1.5, 3]], ...forms.slice(1)] })).toThrow(/bad angle-form entry/);
      const { initial_state: _s, ...noState } = taylor;
      expect(() => surrogateFromJSON(withContentHash(noState), 'bad.json')).toThrow(/initial_state .* is required/);
      const { observable: _o, ...noObs } = taylor;
      expect(() => surrogateFromJSON(withContentHash(noObs), 'bad.json')).toThrow(/observable .* is required/);
      expect(rehashed({ initial_state: '0101' })).toThrow(/initial_state/);
      expect(rehashed({ center: { a: 0 } })).toThrow(/missing parameter 'theta'/);
      const nodes = paths.nodes as { op: number[]; a: number[] };
      expect(rehashed({ nodes: { ...nodes, a: nodes.a.map(() => 99) } }, paths)).toThrow(/bad\.json: path node/);
      expect(rehashed({ nodes: { ...nodes, a: nodes.a.map((x) => x + 0.5) } }, paths)).toThrow(/must be an integer index/);
    });

    it('declared sizes are checked before allocating: a 10^9-long parameter fails at once', () => {
      const huge = rehashed({ parameters: [{ name: 'a', length: null }, { name: 'theta', length: 1e9 }] });
      const before = process.memoryUsage.rss();
      expect(huge).toThrow(/more than 4194304 values/);
      const bigButAllowed = rehashed({ parameters: [{ name: 'a', length: null }, { name: 'theta', length: 4_000_000 }] });
      expect(bigButAllowed).toThrow(/parameter 'theta' must be an array of 4000000 numbers/);
      // Nothing of the declared size was allocated (8 GB, or 32 MB for the allowed one).
      expect(process.memoryUsage.rss() - before).toBeLessThan(24e6);
    });
  });
});
