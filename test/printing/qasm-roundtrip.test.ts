import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Circuit, Observable } from '../../src/ir/types.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { normalizeTerms } from '../../src/pauli/observable-text.js';
import { circuitToQasm3 } from '../../src/printing/qasm.js';
import { denseExpectation, denseFinalState, diffUpToPhase } from '../helpers/dense.js';
import { gateArb, observableArb, paramsArb } from '../helpers/random-circuits.js';
import { bareGates } from '../parsing/qasm-test-utils.js';
import { parameterDeclsArb } from '../helpers/random-circuits.js';

/**
 * IR → OpenQASM 3 → IR on random circuits: the import gives back the same gates, parameter
 * declarations and observables; and, with the exporter's gate definitions expanded instead of
 * recognized, the same state (up to global phase) and expectation values, computed densely.
 */

const SEED = Number(process.env.FC_SEED ?? 7031);

/** Parameter names that collide with QASM keywords, gate names, constants or our own naming. */
const NAMES = ['theta', 'a', 'q', 'rz', 'theta_1', 'pi', 'φ', 'input', 'th', 'q0', 'pauli_XY'];

const declsArb = parameterDeclsArb(NAMES, 3, 4);

const circuitArb: fc.Arbitrary<Circuit> = fc.integer({ min: 1, max: 4 }).chain((n) =>
  declsArb.chain((parameters) => {
    const numParameters = parameters.reduce((s, d) => s + (d.length ?? 1), 0);
    return fc
      .tuple(
        fc.array(gateArb(n, numParameters), { minLength: 1, maxLength: 10 }),
        fc.array(observableArb(n, 3), { maxLength: 2 }),
      )
      .map(([gates, obs]): Circuit => ({
        numQubits: n,
        parameters,
        numParameters,
        gates,
        observables: obs.map((o, i) => ({ name: i === 0 ? 'H' : 'Energy_2', terms: o.terms })),
      }));
  }),
);

function normalizedObservables(obs: readonly Observable[]) {
  return obs.map((o) => ({ name: o.name, terms: normalizeTerms(o.terms).map((t) => ({ coeff: t.coeff + 0, pauli: t.pauli })) }));
}

/** The exported text with the exporter's definitions renamed, so the importer expands their bodies. */
function withoutRecognition(text: string): string {
  return text.replace(/^(gate )?(rxx|ryy|rzz|sxdg|pauli_[XYZ]+)\b/gm, '$1my_$2');
}

describe('IR → OpenQASM 3 → IR', () => {
  it('gives back the same gates, parameters and observables', () => {
    fc.assert(
      fc.property(circuitArb, (c) => {
        const back = parseQasm(circuitToQasm3(c), 'rt.qasm');
        expect(back.numQubits).toBe(c.numQubits);
        expect(back.parameters).toEqual(c.parameters);
        expect(back.numParameters).toBe(c.numParameters);
        expect(bareGates(back.gates)).toEqual(bareGates(c.gates));
        expect(normalizedObservables(back.observables)).toEqual(normalizedObservables(c.observables));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('the exported definitions implement the rotations (expanded, compared densely)', () => {
    const arb = circuitArb.chain((c) => fc.tuple(fc.constant(c), paramsArb(c.numParameters), fc.array(observableArb(c.numQubits, 3), { minLength: 3, maxLength: 3 })));
    fc.assert(
      fc.property(arb, ([c, params, observables]) => {
        const text = withoutRecognition(circuitToQasm3(c));
        const expanded = parseQasm(text, 'rt.qasm');
        expect(expanded.parameters).toEqual(c.parameters);
        const defined = c.gates.some((g) => (g.kind === 'rotation' ? g.pauli.qubits.length > 1 : g.name === 'sxdg'));
        if (defined) expect(expanded.gates.length).toBeGreaterThan(c.gates.length);
        expect(diffUpToPhase(denseFinalState(c, params), denseFinalState(expanded, params))).toBeLessThan(1e-10);
        for (const o of observables) {
          expect(denseExpectation(expanded, params, o)).toBeCloseTo(denseExpectation(c, params, o), 10);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('without the nearclifford comments, readers that do not group Qiskit vectors see scalar inputs in flat order', () => {
    fc.assert(
      fc.property(circuitArb.chain((c) => fc.tuple(fc.constant(c), paramsArb(c.numParameters))), ([c, params]) => {
        const plain = circuitToQasm3(c).split('\n').filter((l) => !l.startsWith('// nearclifford:')).join('\n');
        const back = parseQasm(plain, 'plain.qasm', { groupParameterVectors: false });
        expect(back.numParameters).toBe(c.numParameters);
        expect(back.parameters.every((p) => p.length === null)).toBe(true);
        expect(back.observables).toEqual([]);
        expect(diffUpToPhase(denseFinalState(c, params), denseFinalState(back, params))).toBeLessThan(1e-10);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('writes Qiskit-readable OpenQASM 3: stdgates names, float inputs, definitions only for what stdgates lacks', () => {
    const c = parseQasm(
      'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] a;\nqubit[3] q;\nh q[0];\nsxdg q[1];\nrzz(a) q[0], q[2];\nrx(3*pi/4) q[1];\n',
    );
    const text = circuitToQasm3(c);
    expect(text).toMatch(/^OPENQASM 3\.0;\ninclude "stdgates\.inc";\n/);
    expect(text).toContain('input float[64] a;');
    expect(text).toContain('gate sxdg q0 {');
    expect(text).toContain('gate rzz(th) q0, q1 {');
    expect(text).toContain('qubit[3] q;');
    expect(text).toContain('rzz(a) q[0], q[2];');
    expect(text).toContain('rx(3*pi/4) q[1];');
    expect(text).not.toContain('gate h');
  });

  it('imports the examples and exports them back to the same circuit', () => {
    const text = 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] _θ_0_;\nqubit[2] q;\nry(_θ_0_) q[0];\ncx q[0], q[1];\nrzz(-_θ_0_/2) q[1], q[0];\n';
    const c = parseQasm(text);
    const again = parseQasm(circuitToQasm3(c));
    expect(again.parameters).toEqual(c.parameters);
    expect(bareGates(again.gates)).toEqual(bareGates(c.gates));
  });
});
