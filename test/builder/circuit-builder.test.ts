import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBuilder, type Angle } from '../../src/builder/circuit-builder.js';
import { UserError } from '../../src/ir/errors.js';
import { GATE_LIBRARY } from '../../src/ir/gate-library.js';
import type { Circuit } from '../../src/ir/types.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';

const SEED = Number(process.env.NC_SEED ?? 31415);
const SCALE = Number(process.env.NC_PROPERTY_RUNS ?? 1);

/** A circuit without source locations (the DSL attaches them, the builder does not). */
const bare = (c: Circuit) => ({
  ...c,
  gates: c.gates.map((g) => (g.kind === 'rotation' ? { kind: g.kind, pauli: g.pauli, angle: g.angle } : { ...g, source: undefined })),
});

/** One program step, rendered both as DSL text and as builder calls. */
interface Step {
  dsl: string;
  apply: (b: CircuitBuilder) => CircuitBuilder;
}

const N = 5;
const qubit = fc.integer({ min: 0, max: N - 1 });
const twoQubits = fc.uniqueArray(qubit, { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[number, number]>;

/** Angles: numbers (written as in JS), or affine expressions of a, theta[i] and pi. */
const angle: fc.Arbitrary<{ dsl: string; value: Angle }> = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }).map((x) => ({ dsl: String(x), value: x })),
  fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('+', '-'), fc.integer({ min: 1, max: 8 }))
    .map(([k, i, op, d]) => {
      const text = `${k}*theta[${i}] ${op} pi/${d}`;
      return { dsl: text, value: text };
    }),
  fc.constantFrom('a', '2*a - pi/4', 'theta[0] + 0.5*theta[3]', '-a', '(a + theta[1])/2').map((t) => ({ dsl: t, value: t })),
);

const ONE_QUBIT = ['h', 's', 'sdg', 'x', 'y', 'z', 'sx', 'sxdg', 't', 'tdg'] as const;
const TWO_QUBIT = ['cx', 'cy', 'cz', 'swap'] as const;
const ROT1 = ['rx', 'ry', 'rz'] as const;
const ROT2 = ['rxx', 'ryy', 'rzz'] as const;

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(fc.constantFrom(...ONE_QUBIT), qubit).map(([g, q]) => ({ dsl: `${g} ${q};`, apply: (b: CircuitBuilder) => b[g](q) })),
  fc.tuple(fc.constantFrom(...TWO_QUBIT), twoQubits).map(([g, [p, q]]) => ({ dsl: `${g} q[${p}] ${q};`, apply: (b: CircuitBuilder) => b[g](p, q) })),
  fc.tuple(fc.constantFrom(...ROT1), angle, qubit).map(([g, a, q]) => ({ dsl: `${g}(${a.dsl}) ${q};`, apply: (b: CircuitBuilder) => b[g](a.value, q) })),
  fc.tuple(fc.constantFrom(...ROT2), angle, twoQubits).map(([g, a, [p, q]]) => ({
    dsl: `${g}(${a.dsl}) ${p} ${q};`,
    apply: (b: CircuitBuilder) => b[g](a.value, p, q),
  })),
  fc.tuple(angle, fc.uniqueArray(qubit, { minLength: 1, maxLength: 3 }), fc.array(fc.constantFrom('X', 'Y', 'Z'), { minLength: 3, maxLength: 3 }))
    .map(([a, qs, ls]) => {
      const p = qs.map((q, i) => `${ls[i]}${q}`).join(' ');
      return { dsl: `rot(${a.dsl}) ${p};`, apply: (b: CircuitBuilder) => b.rot(a.value, p) };
    }),
  fc.tuple(fc.constantFrom('u3', 'crz', 'cp', 'ccx', 'iswap', 'u2'), fc.uniqueArray(qubit, { minLength: 3, maxLength: 3 }), fc.array(angle, { minLength: 3, maxLength: 3 }))
    .map(([g, qs, as]) => {
      const def = GATE_LIBRARY.get(g)!;
      const q = qs.slice(0, def.numQubits), a = as.slice(0, def.numAngles);
      const args = def.numAngles ? `(${a.map((x) => x.dsl).join(', ')})` : '';
      return { dsl: `${g}${args} ${q.join(' ')};`, apply: (b: CircuitBuilder) => b.gate(g, q, a.map((x) => x.value)) };
    }),
);

describe('CircuitBuilder', () => {
  it('gives the same IR as the DSL text of the same program', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), fc.boolean(), (steps, withObservable) => {
        const text = [`qubits ${N};`, 'param a, theta[4];', ...steps.map((s) => s.dsl)];
        let b = new CircuitBuilder(N).param('a').param('theta', 4);
        for (const s of steps) b = s.apply(b);
        if (withObservable) {
          text.push('observable H = 0.5*Z0 Z1 - X3 + 0.25;');
          b = b.observable('H', '0.5*Z0 Z1 - X3 + 0.25');
        }
        expect(bare(b.build())).toEqual(bare(parseDsl(text.join('\n'))));
      }),
      { seed: SEED, numRuns: 200 * SCALE },
    );
  });

  it('builds the example of its documentation', () => {
    const c = new CircuitBuilder(6).param('theta', 12).param('a').ry('theta[0]', 0).cx(0, 1).rot('2*a - pi/4', 'X0 Y2').observable('H', '0.5*Z0 Z1').build();
    expect(c.numQubits).toBe(6);
    expect(c.numParameters).toBe(13);
    expect(c.gates).toEqual([
      { kind: 'rotation', pauli: { qubits: [0], letters: ['Y'] }, angle: { constant: 0, terms: [{ param: 0, coeff: 1 }] } },
      { kind: 'clifford', name: 'cx', qubits: [0, 1] },
      { kind: 'rotation', pauli: { qubits: [0, 2], letters: ['X', 'Y'] }, angle: { constant: -Math.PI / 4, terms: [{ param: 12, coeff: 2 }] } },
    ]);
    expect(c.observables[0]!.terms).toEqual([{ coeff: 0.5, pauli: { qubits: [0, 1], letters: ['Z', 'Z'] } }]);
  });

  it('reports mistakes as user errors naming the call', () => {
    const cases: [() => unknown, string][] = [
      [() => new CircuitBuilder(0), 'CircuitBuilder: the qubit count must be a positive integer, got 0'],
      [() => new CircuitBuilder(2).ry('x', 0), "CircuitBuilder.ry('x', 0): unknown parameter 'x'"],
      [() => new CircuitBuilder(2).cx(0, 2), 'CircuitBuilder.cx(0, 2): qubit 2 is out of range for 2 qubits'],
      [() => new CircuitBuilder(2).cx(1, 1), 'CircuitBuilder.cx(1, 1): a gate acts on the same qubit twice'],
      [() => new CircuitBuilder(2).param('a').rx('a*a', 0), "CircuitBuilder.rx('a*a', 0): angle is not affine in the parameters: a*a"],
      [() => new CircuitBuilder(2).rot(1, 'X0; h 1'), "CircuitBuilder.rot(1, 'X0; h 1'): 'X0; h 1' is not a Pauli string such as 'X0 Y2'"],
      [() => new CircuitBuilder(2).rz(Number.NaN, 0), 'CircuitBuilder.rz(NaN, 0): angle NaN is not finite'],
      [() => new CircuitBuilder(2).gate('foo', [0]), "CircuitBuilder.gate('foo', [0]): unknown gate 'foo'"],
      [() => new CircuitBuilder(2).gate('rz', [0]), "CircuitBuilder.gate('rz', [0]): gate 'rz' takes 1 angle, got 0"],
      [() => new CircuitBuilder(2).gate('cx', [0]), "CircuitBuilder.gate('cx', [0]): gate 'cx' takes 2 qubits, got 1"],
      [() => new CircuitBuilder(2).param('a').param('a'), "CircuitBuilder.param('a'): parameter 'a' is declared twice"],
    ];
    for (const [f, message] of cases) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toBe(message);
    }
  });
});
