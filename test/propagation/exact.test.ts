import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InitialState } from '../../src/ir/states.js';
import type { Circuit, Gate, Observable } from '../../src/ir/types.js';
import { propagate, propagateToSum, runPropagation } from '../../src/propagation/propagate.js';
import { expectation } from '../../src/simulators/statevector/index.js';
import { circuitArb, initialStateArb, observableArb, paramsArb } from '../helpers/random-circuits.js';

/**
 * Without truncation (minAbs 0) Heisenberg propagation is exact: it must reproduce the state
 * vector on random circuits mixing every Clifford gate with rotations of any weight.
 */
const SEED = Number(process.env.NC_SEED ?? 31415);

const caseArb = (maxQubits: number, maxGates: number) =>
  circuitArb({ maxQubits, maxGates }).chain((circuit) =>
    fc.record({
      circuit: fc.constant(circuit),
      params: paramsArb(circuit.numParameters),
      observable: observableArb(circuit.numQubits, 4),
      state: initialStateArb(circuit.numQubits),
    }),
  );

describe.each(['narrow', 'wide'] as const)('propagation without truncation equals the state vector (%s engine)', (engine) => {
  it('random circuits, observables and initial states', () => {
    fc.assert(
      fc.property(caseArb(7, 14), ({ circuit, params, observable, state }) => {
        const { engine: e } = runPropagation(circuit, params, observable, { minAbs: 0 }, engine);
        const exact = expectation(circuit, params, observable, { initialState: state });
        expect(e.overlap(state)).toBeCloseTo(exact, 10);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

/** Relabels qubit q as map[q] in a register of `n` qubits. */
function embedCircuit(c: Circuit, map: number[], n: number): Circuit {
  const relabel = (qs: readonly number[]) => qs.map((q) => map[q]!);
  const gates = c.gates.map((g): Gate => {
    if (g.kind !== 'rotation') return { ...g, qubits: relabel(g.qubits) };
    const pairs = g.pauli.qubits.map((q, i) => [map[q]!, g.pauli.letters[i]!] as const).sort((a, b) => a[0] - b[0]);
    return { ...g, pauli: { qubits: pairs.map((p) => p[0]), letters: pairs.map((p) => p[1]) } };
  });
  return { ...c, numQubits: n, gates };
}

function embedObservable(o: Observable, map: number[]): Observable {
  return {
    name: o.name,
    terms: o.terms.map((t) => {
      const pairs = t.pauli.qubits.map((q, i) => [map[q]!, t.pauli.letters[i]!] as const).sort((a, b) => a[0] - b[0]);
      return { coeff: t.coeff, pauli: { qubits: pairs.map((p) => p[0]), letters: pairs.map((p) => p[1]) } };
    }),
  };
}

function embedState(s: InitialState, map: number[], n: number, filler: (0 | 1)[]): InitialState {
  if (s.kind !== 'basis') return s;
  const bits = filler.slice(0, n);
  s.bits.forEach((b, q) => (bits[map[q]!] = b));
  return { kind: 'basis', bits };
}

describe('wide registers (word boundaries, bit 31, multi-word strings)', () => {
  it('a small circuit spread over 8 to 100 qubits matches the state vector of the small one', () => {
    const arb = caseArb(6, 12).chain((c) =>
      fc.record({
        c: fc.constant(c),
        n: fc.oneof(fc.constant(32), fc.integer({ min: 8, max: 100 })),
        perm: fc.array(fc.nat(), { minLength: 100, maxLength: 100 }),
        filler: fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: 100, maxLength: 100 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ c, n, perm, filler }) => {
        // An injective map of the small register into [0, n), spreading qubits across words.
        // The top qubit (bit 31 of a word when n = 32) is always used.
        const order = [...Array(n).keys()].sort((a, b) => perm[a]! - perm[b]! || a - b).filter((q) => q !== n - 1);
        const map = [n - 1, ...order].slice(0, c.circuit.numQubits);
        const big = embedCircuit(c.circuit, map, n);
        const value = propagate(big, c.params, embedObservable(c.observable, map), {
          minAbs: 0,
          initialState: embedState(c.state, map, n, filler),
        }).value;
        const exact = expectation(c.circuit, c.params, c.observable, { initialState: c.state });
        expect(value).toBeCloseTo(exact, 10);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe('propagateToSum', () => {
  it('returns U†OU whose overlap with each state is the expectation', () => {
    fc.assert(
      fc.property(caseArb(5, 10), ({ circuit, params, observable }) => {
        const { sum } = propagateToSum(circuit, params, observable, { minAbs: 0 });
        const back = sum.toObservable();
        for (const kind of ['zero', 'plus'] as const) {
          const exact = expectation(circuit, params, observable, { initialState: { kind } });
          // ⟨ψ|U†OU|ψ⟩ evaluated on the empty circuit is the overlap of the propagated sum.
          const empty: Circuit = { ...circuit, gates: [] };
          expect(expectation(empty, params, back, { initialState: { kind } })).toBeCloseTo(exact, 10);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
