import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliffordExpectation, isCliffordPoint } from '../../src/clifford-point/heisenberg.js';
import { constantExpr } from '../../src/ir/affine.js';
import { CircuitAssembler, hasNoise } from '../../src/ir/circuit.js';
import { CompactGates, gateCount, LETTER_CODE } from '../../src/ir/compact.js';
import { UserError } from '../../src/ir/errors.js';
import type { AffineExpr, Circuit, Gate, SourceLocation } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import { makeChannel } from '../../src/noise/channels.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { circuitOf, gateArb, initialStateArb, observableArb, pauliArb, qubitsArb } from '../helpers/random-circuits.js';

const SEED = Number(process.env.NC_SEED ?? 27182);

const sourceArb: fc.Arbitrary<SourceLocation | undefined> = fc.option(
  fc.record({
    file: fc.constantFrom('a.ncl', 'b.qasm', 'inc/c.inc'),
    line: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    // Columns beyond the Uint16 array's range take the side map.
    column: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 65_530, max: 70_000 })),
  }).map((s) => ({ file: s.file, line: s.line, column: s.column })), // a plain object, as front ends make
  { nil: undefined },
);

/** Gates with sources, −0 constants and channels among them: everything gateAt must give back. */
const gateWithSourceArb = (n: number, d: number): fc.Arbitrary<Gate> =>
  fc.tuple(
    fc.oneof(
      { weight: 6, arbitrary: gateArb(n, d) },
      { weight: 1, arbitrary: pauliArb(n, 1, 1).map((pauli): Gate => ({ kind: 'rotation', pauli, angle: constantExpr(-0) })) },
      { weight: 1, arbitrary: fc.tuple(fc.nat({ max: n - 1 }), fc.double({ min: 0, max: 0.5, noNaN: true })).map(([q, p]) => makeChannel('depolarize', [q], [p])) },
    ),
    sourceArb,
  ).map(([g, source]) => (source ? { ...g, source } : g));

const gatesCaseArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.integer({ min: 0, max: 3 }).chain((d) => fc.record({ n: fc.constant(n), d: fc.constant(d), gates: fc.array(gateWithSourceArb(n, d), { maxLength: 300 }) })),
);

/** The same gates through CircuitAssembler (compact IR), each with its own source. */
function assembled(n: number, d: number, gates: readonly Gate[]): Circuit {
  const b = new CircuitAssembler();
  b.setQubits(n);
  if (d > 0) b.declareParameter('theta', d);
  for (const g of gates) b.addGates([g], g.source);
  return b.build();
}

describe('compact IR', () => {
  it('gives back every gate deep-equal through gateAt, from a small initial capacity', () => {
    fc.assert(
      fc.property(gatesCaseArb, ({ gates }) => {
        const c = new CompactGates(1);
        for (const g of gates) c.push(g);
        expect(c.length).toBe(gates.length);
        for (let i = 0; i < gates.length; i++) expect(c.gateAt(i)).toStrictEqual(gates[i]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a circuit from CircuitAssembler equals the object circuit, also after JSON and structured clone', () => {
    fc.assert(
      fc.property(gatesCaseArb, ({ n, d, gates }) => {
        const circuit = assembled(n, d, gates);
        expect(circuit.compact).toBeDefined();
        expect(gateCount(circuit)).toBe(gates.length);
        expect(hasNoise(circuit)).toBe(gates.some((g) => g.kind === 'channel'));
        const objects = circuitOf(n, d, gates);
        expect(circuit.gates).toStrictEqual(objects.gates);
        // Clones and spreads carry the gate objects, not the non-enumerable compact arrays.
        const clone = structuredClone(circuit);
        expect(clone.compact).toBeUndefined();
        expect(clone.gates).toStrictEqual(objects.gates);
        expect(JSON.parse(JSON.stringify(circuit)).gates).toEqual(JSON.parse(JSON.stringify(objects.gates)));
        expect({ ...circuit }.compact).toBeUndefined();
      }),
      { seed: SEED + 1, numRuns: 200 },
    );
  });

  it('a built circuit does not change when its assembler goes on adding gates', () => {
    const b = new CircuitAssembler();
    b.setQubits(3);
    b.addGates([{ kind: 'clifford', name: 'h', qubits: [0] }]);
    const first = b.build();
    b.addGates([{ kind: 'clifford', name: 'cx', qubits: [0, 2] }]);
    const second = b.build();
    expect(gateCount(first)).toBe(1);
    expect(first.gates).toHaveLength(1);
    expect(second.gates).toStrictEqual([{ kind: 'clifford', name: 'h', qubits: [0] }, { kind: 'clifford', name: 'cx', qubits: [0, 2] }]);
  });

  it('addRotation by numbers gives the gates addGates gives for weight-1 and weight-2 rotations', () => {
    const rotationArb = (n: number, d: number) =>
      fc.tuple(gateArb(n, d), fc.boolean(), sourceArb).filter(([g]) => g.kind !== 'rotation' || g.pauli.qubits.length <= 2);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }).chain((n) => fc.record({ n: fc.constant(n), gates: fc.array(rotationArb(n, 2), { maxLength: 200 }) })),
        ({ n, gates }) => {
          const objects = new CircuitAssembler();
          const numbers = new CircuitAssembler();
          const src = { file: 'f.ncl', line: 1, column: 1 };
          for (const b of [objects, numbers]) {
            b.setQubits(n);
            b.declareParameter('theta', 2);
          }
          for (const [g, constantById, source] of gates) {
            const at = source ?? src;
            objects.addGates([g], at);
            if (g.kind !== 'rotation') numbers.addGates([g], at);
            else {
              const { qubits, letters } = g.pauli;
              const angle = constantById && g.angle.terms.length === 0 ? numbers.constantAngle(g.angle.constant) : numbers.angleId(g.angle);
              // Either operand order: addRotation sorts by qubit.
              if (qubits.length === 1) numbers.addRotation(LETTER_CODE[letters[0]!], qubits[0]!, 0, -1, angle, at.file, at.line, at.column);
              else numbers.addRotation(LETTER_CODE[letters[1]!], qubits[1]!, LETTER_CODE[letters[0]!], qubits[0]!, angle, at.file, at.line, at.column);
            }
          }
          // A build in between hands the arrays out: the clone must keep the interned ids.
          const early = numbers.build();
          numbers.addRotation(3, 0, 1, 1, numbers.constantAngle(0.25), 'f.ncl', 9, 9);
          objects.addGates([{ kind: 'rotation', pauli: { qubits: [0, 1], letters: ['Z', 'X'] }, angle: constantExpr(0.25) }], { file: 'f.ncl', line: 9, column: 9 });
          expect(early.gates).toHaveLength(gates.length);
          expect(numbers.build().gates).toStrictEqual(objects.build().gates);
        },
      ),
      { seed: SEED + 5, numRuns: 200 },
    );
  });

  it('addRotation checks qubits as addGates does', () => {
    const b = new CircuitAssembler();
    b.setQubits(3);
    const a = b.constantAngle(0.5);
    expect(() => b.addRotation(1, 3, 0, -1, a, 'f', 2, 5)).toThrow(/qubit 3 is out of range for 3 qubits/);
    expect(() => b.addRotation(1, 1, 3, 1, a, 'f', 2, 5)).toThrow(/same qubit twice/);
    expect(() => b.addRotation(1, 0, 3, 7, a, 'f', 2, 5)).toThrow(UserError);
    expect(b.build().gates).toHaveLength(0);
  });

  it('holds one- and two-qubit gates in at most 24 bytes per gate', () => {
    const c = new CompactGates();
    for (let i = 0; i < 1000; i++) c.push({ kind: 'clifford', name: 'cx', qubits: [i % 7, (i % 7) + 1] }, { file: 'f', line: i + 1, column: 3 });
    expect(c.bytesPerGate()).toBeLessThanOrEqual(24);
    const angle: AffineExpr = { constant: 0.5, terms: [{ param: 0, coeff: 2 }] };
    for (let i = 0; i < 1000; i++) c.push({ kind: 'rotation', pauli: { qubits: [i % 5, 6], letters: ['X', 'Z'] }, angle }, { file: 'f', line: i + 1, column: 3 });
    expect(c.bytesPerGate()).toBeLessThanOrEqual(24);
    // Five distinct generators and one angle form, interned.
    expect(c.generators).toHaveLength(5);
    expect(c.angles).toHaveLength(1);
  });
});

/** Angles k·π/2, constant or 2·φ + kπ/2 with φ a multiple of π/2 (as in heisenberg.test.ts). */
const cliffordGateArb = (n: number, d: number): fc.Arbitrary<Gate> =>
  fc.oneof(
    fc.constantFrom(...CLIFFORD_GATE_NAMES.filter((g) => CLIFFORD_ARITY[g] <= n)).chain((name) =>
      qubitsArb(n, CLIFFORD_ARITY[name], CLIFFORD_ARITY[name]).map((qubits): Gate => ({ kind: 'clifford', name, qubits })),
    ),
    fc.tuple(pauliArb(n, 1, Math.min(n, 4)), fc.integer({ min: -4, max: 6 }), fc.nat({ max: Math.max(0, d - 1) }), fc.boolean()).map(
      ([pauli, k, p, useParam]): Gate => ({
        kind: 'rotation',
        pauli,
        angle: useParam && d > 0 ? { constant: (k * Math.PI) / 2, terms: [{ param: p, coeff: 2 }] } : constantExpr((k * Math.PI) / 2),
      }),
    ),
  );

describe('Clifford evaluation on the compact IR', () => {
  it('gives exactly the values of the object path on random Clifford-point circuits, up to 100 qubits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }).chain((n) =>
          fc.integer({ min: 0, max: 3 }).chain((d) =>
            fc.record({
              n: fc.constant(n),
              d: fc.constant(d),
              gates: fc.array(cliffordGateArb(n, d), { minLength: 1, maxLength: 80 }),
              params: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d }).map((ks) => Float64Array.from(ks, (k) => (k * Math.PI) / 2)),
              observable: observableArb(n, 3),
              state: initialStateArb(n),
            }),
          ),
        ),
        ({ n, d, gates, params, observable, state }) => {
          const compact = assembled(n, d, gates);
          const objects = circuitOf(n, d, gates);
          expect(isCliffordPoint(compact, params)).toBe(true);
          expect(cliffordExpectation(compact, params, observable, state)).toBe(cliffordExpectation(objects, params, observable, state));
        },
      ),
      { seed: SEED + 2, numRuns: 300 },
    );
  });

  it('the evaluation never materialises the gate objects (values are not vacuous)', () => {
    const text = 'qubits 40;\n' + Array.from({ length: 400 }, (_, i) => (i % 3 === 2 ? `cx ${i % 40} ${(i * 7 + 1) % 40};` : `${i % 3 ? 's' : 'h'} ${i % 40};`)).join('\n') + '\n';
    const circuit = parseDsl(text, 'c.ncl');
    let materialised = false;
    const c = circuit.compact!;
    const original = c.materialise.bind(c);
    c.materialise = () => {
      materialised = true;
      return original();
    };
    const obs = { name: 'Z', terms: [{ coeff: 1, pauli: { qubits: [3], letters: ['Z' as const] } }] };
    expect(isCliffordPoint(circuit, [])).toBe(true);
    const v = cliffordExpectation(circuit, [], obs);
    expect(materialised).toBe(false);
    expect(v).toBe(cliffordExpectation(circuitOf(40, 0, circuit.gates as Gate[]), [], obs));
    expect(materialised).toBe(true);
  });

  it('names the non-Clifford angle and a channel with its source, as the object path does', () => {
    const bad = parseDsl('qubits 2;\nh 0;\nrz(0.3) 1;\n', 'bad.ncl');
    const obs = { name: 'Z', terms: [{ coeff: 1, pauli: { qubits: [1], letters: ['Z' as const] } }] };
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(message(() => cliffordExpectation(bad, [], obs))).toBe(message(() => cliffordExpectation(circuitOf(2, 0, [...bad.gates]), [], obs)));
    const noisy = parseDsl('qubits 2;\nh 0;\ndepolarize(0.1) 1;\n', 'noisy.ncl');
    expect(message(() => cliffordExpectation(noisy, [], obs))).toBe(message(() => cliffordExpectation(circuitOf(2, 0, [...noisy.gates]), [], obs)));
  });
});
