import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AffineExpr, Circuit, Gate, Observable, PauliLetter } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { circuitToDsl, uniqueNames } from '../../src/printing/dsl.js';
import { sparsePauli } from '../../src/pauli/sparse.js';
import { parameterDeclsArb } from '../helpers/random-circuits.js';

/**
 * IR → DSL → IR on random circuits: the same gates in the same order, the same parameter table,
 * angles and observable coefficients equal to the last bit. Doubles are drawn from fast-check's
 * full range (tiny, huge, subnormal), which is what exactness has to survive.
 */

const SEED = Number(process.env.FC_SEED ?? 20250711);

/** Plain names, names that collide with keywords or gates, and names that are not identifiers. */
const NAMES = ['theta', 'a', 'b2', 'q', 'h', 'rz', 'X0', 'pi', 'for', 'param', 'θ', 'my param', '3d', 'theta_1', '_'];

const declsArb = parameterDeclsArb(NAMES, 4, 5);

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const nonZero = finite.filter((x) => x !== 0);
const niceNumber = fc.constantFrom(1, -1, 2, 0.5, -0.25, Math.PI / 4, -Math.PI / 2, 1e-7, 3e21);
const coeffArb = fc.oneof(nonZero, niceNumber);

/** Affine expression in normal form: distinct increasing parameters, non-zero coefficients. */
const angleArb = (numParams: number): fc.Arbitrary<AffineExpr> =>
  fc
    .tuple(
      fc.oneof(finite, niceNumber, fc.constant(0)),
      numParams === 0
        ? fc.constant<[number, number][]>([])
        : fc.uniqueArray(fc.tuple(fc.nat({ max: numParams - 1 }), coeffArb), { maxLength: 3, selector: ([p]) => p }),
    )
    .map(([constant, terms]) => ({
      constant,
      terms: [...terms].sort((x, y) => x[0] - y[0]).map(([param, coeff]) => ({ param, coeff })),
    }));

const letterArb = fc.constantFrom<PauliLetter>('X', 'Y', 'Z');
const pauliArb = (n: number, minWeight: number) =>
  fc
    .shuffledSubarray([...Array(n).keys()], { minLength: minWeight, maxLength: Math.min(n, 6) })
    .chain((qs) => fc.array(letterArb, { minLength: qs.length, maxLength: qs.length }).map((ls) => sparsePauli(qs.map((q, i) => [q, ls[i]!] as const))));

const gateArb = (n: number, d: number): fc.Arbitrary<Gate> =>
  fc.oneof(
    fc.constantFrom(...CLIFFORD_GATE_NAMES.filter((g) => CLIFFORD_ARITY[g] <= n)).chain((name) =>
      fc
        .shuffledSubarray([...Array(n).keys()], { minLength: CLIFFORD_ARITY[name], maxLength: CLIFFORD_ARITY[name] })
        .map((qubits): Gate => ({ kind: 'clifford', name, qubits })),
    ),
    fc.tuple(pauliArb(n, 1), angleArb(d)).map(([pauli, angle]): Gate => ({ kind: 'rotation', pauli, angle })),
  );

/** Observables in the parser's normal form: distinct strings, non-zero coefficients. */
const observableArb = (n: number): fc.Arbitrary<Omit<Observable, 'name'>> =>
  fc
    .uniqueArray(fc.tuple(pauliArb(n, 0), coeffArb), { maxLength: 5, selector: ([p]) => `${p.qubits}|${p.letters}` })
    .map((ts) => ({ terms: ts.map(([pauli, coeff]) => ({ coeff, pauli })) }));

const circuitArb: fc.Arbitrary<Circuit> = fc.integer({ min: 1, max: 40 }).chain((n) =>
  declsArb.chain((parameters) => {
    const numParameters = parameters.reduce((s, p) => s + (p.length ?? 1), 0);
    return fc
      .tuple(
        fc.array(gateArb(n, numParameters), { maxLength: 25 }),
        fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES, 'H', 'Energy'), observableArb(n)), {
          maxLength: 3,
          selector: ([name]) => name,
        }),
      )
      .map(([gates, obs]) => ({
        numQubits: n,
        parameters,
        numParameters,
        gates,
        observables: obs.map(([name, o]) => ({ name, terms: o.terms })),
      }));
  }),
);

/** −0 and +0 are the same angle; the parser produces +0. */
const zeroSign = (x: number) => (x === 0 ? 0 : x);

/** The circuit as the printer promises to give it back: names made valid, no sources, no −0. */
function expected(c: Circuit) {
  const paramNames = uniqueNames(c.parameters.map((p) => p.name));
  const obsNames = uniqueNames(c.observables.map((o) => o.name));
  return {
    numQubits: c.numQubits,
    numParameters: c.numParameters,
    parameters: c.parameters.map((p, i) => ({ ...p, name: paramNames[i] })),
    gates: c.gates.map(comparable),
    observables: c.observables.map((o, i) => ({ name: obsNames[i], terms: o.terms })),
  };
}

function comparable(g: Gate) {
  if (g.kind !== 'rotation') return { ...g, source: undefined };
  return {
    kind: g.kind,
    pauli: g.pauli,
    angle: { constant: zeroSign(g.angle.constant), terms: g.angle.terms },
  };
}

function actual(c: Circuit) {
  return {
    numQubits: c.numQubits,
    numParameters: c.numParameters,
    parameters: c.parameters,
    gates: c.gates.map(comparable),
    observables: c.observables,
  };
}

describe('circuitToDsl', () => {
  it('round-trips random IR circuits exactly through parseDsl', () => {
    fc.assert(
      fc.property(circuitArb, (c) => {
        const text = circuitToDsl(c);
        const back = parseDsl(text, 'roundtrip.ncl');
        expect(actual(back)).toEqual(expected(c));
        // Printing is a fixed point after one round.
        expect(circuitToDsl(back)).toBe(text);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('prints gates by name, rotations as rx/rxx/rot, and declarations first', () => {
    const c: Circuit = {
      numQubits: 6,
      parameters: [
        { name: 'a', length: null, offset: 0 },
        { name: 'theta', length: 3, offset: 1 },
      ],
      numParameters: 4,
      gates: [
        { kind: 'clifford', name: 'cx', qubits: [3, 1] },
        { kind: 'rotation', pauli: { qubits: [2], letters: ['Y'] }, angle: { constant: 0, terms: [{ param: 2, coeff: 1 }] } },
        {
          kind: 'rotation',
          pauli: { qubits: [0, 4], letters: ['X', 'X'] },
          angle: { constant: -Math.PI / 4, terms: [{ param: 0, coeff: 2 }] },
        },
        { kind: 'rotation', pauli: { qubits: [0, 1], letters: ['Z', 'X'] }, angle: { constant: 0.5, terms: [] } },
        {
          kind: 'rotation',
          pauli: { qubits: [0, 2, 5], letters: ['X', 'Y', 'Z'] },
          angle: { constant: 0, terms: [{ param: 0, coeff: -1 }, { param: 3, coeff: 1e-7 }] },
        },
      ],
      observables: [{ name: 'H', terms: [{ coeff: 0.5, pauli: { qubits: [0, 1], letters: ['Z', 'Z'] } }, { coeff: -1, pauli: { qubits: [3], letters: ['X'] } }, { coeff: 0.25, pauli: { qubits: [], letters: [] } }] }],
    };
    expect(circuitToDsl(c)).toBe(
      [
        'qubits 6;',
        'param a;',
        'param theta[3];',
        'cx 3 1;',
        'ry(theta[1]) 2;',
        'rxx(2*a - 0.7853981633974483) 0 4;',
        'rot(0.5) Z0 X1;',
        'rot(-a + 1e-7*theta[2]) X0 Y2 Z5;',
        'observable H = 0.5*Z0 Z1 - X3 + 0.25;',
        '',
      ].join('\n'),
    );
  });

  it('renames parameters and observables that are not DSL identifiers', () => {
    // Valid names keep their spelling, Unicode letters included; the rest are renamed around them.
    expect(uniqueNames(['θ', 'a b', 'pi', 'for', '1x', 'ok', 'ok', '_', '__', 'β-1', '_β_1'])).toEqual([
      'θ', 'a_b', 'pi_', 'for_', '_1x', 'ok', 'ok_2', '_', '__', 'β_1', '_β_1',
    ]);
    const c: Circuit = {
      numQubits: 1,
      parameters: [
        { name: 'θ', length: 2, offset: 0 },
        { name: 'in', length: null, offset: 2 },
      ],
      numParameters: 3,
      gates: [{ kind: 'rotation', pauli: { qubits: [0], letters: ['Z'] }, angle: { constant: 0, terms: [{ param: 1, coeff: 1 }, { param: 2, coeff: 3 }] } }],
      observables: [{ name: 'energy (eV)', terms: [{ coeff: 1, pauli: { qubits: [0], letters: ['Z'] } }] }],
    };
    const text = circuitToDsl(c);
    expect(text).toContain('param θ[2];');
    expect(text).toContain('param in_;');
    expect(text).toContain('rz(θ[1] + 3*in_) 0;');
    expect(text).toContain('observable energy__eV_ = Z0;');
    expect(parseDsl(text).parameters.map((p) => p.name)).toEqual(['θ', 'in_']);
  });
});
