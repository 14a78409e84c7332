import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addExpr, constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { CircuitBuilder } from '../../src/ir/circuit.js';
import { UserError } from '../../src/ir/errors.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { buildPathSurrogate } from '../../src/surrogate/paths-build.js';
import { saveSurrogate, surrogateFromJSON } from '../../src/surrogate/serialize.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';

function sample() {
  const b = new CircuitBuilder();
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
      expect(doc).toMatchObject({ format: 'nearclifford-surrogate', version: 2, kind, center: { a: Math.PI / 2, theta: [0, Math.PI] } });
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
    const doc = buildTaylorSurrogate(circuit, obs, { order: 2 }).toJSON() as Record<string, unknown>;
    expect(() => surrogateFromJSON({ ...doc, version: 3 }, 'x.json')).toThrow(/x\.json: unsupported surrogate version 3/);
    expect(() => surrogateFromJSON({ ...doc, format: 'other' }, 'x.json')).toThrow(UserError);
    expect(() => surrogateFromJSON([1, 2], 'x.json')).toThrow(/not a surrogate file/);
    expect(() => surrogateFromJSON({ ...doc, monomials: [[0]], coefficients: [] }, 'x.json')).toThrow(/equal length/);
    expect(() => surrogateFromJSON({ ...doc, monomials: [[7]], coefficients: [1] }, 'x.json')).toThrow(/out of range/);
    expect(() => surrogateFromJSON({ ...doc, center: { a: 0 } }, 'x.json')).toThrow(/missing parameter 'theta'/);
    const paths = buildPathSurrogate(circuit, obs, { maxSins: 1 }).toJSON() as Record<string, unknown>;
    const nodes = paths.nodes as { a: number[] };
    expect(() => surrogateFromJSON({ ...paths, nodes: { ...nodes, a: nodes.a.map(() => 99) } }, 'p.json')).toThrow(/p\.json: path node/);
  });
});
