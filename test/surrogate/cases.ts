/**
 * Random surrogate test cases (fast-check): small circuits near Clifford points with every
 * Clifford gate, Pauli rotations of weight 1–3 (and up to n), shared and scaled parameters with
 * affine angles, constant offsets (multiples of π/2, sometimes not), fixed non-Clifford gates,
 * random observables, Clifford centers and initial states. Shared by test/surrogate and properties/.
 */
import fc from 'fast-check';
import type { InitialState } from '../../src/ir/states.js';
import type { AffineTerm, Circuit, Gate, Observable, PauliLetter, SparsePauli } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import { sparsePauli } from '../../src/pauli/sparse.js';

export interface SurrogateCase {
  circuit: Circuit;
  observable: Observable;
  center: Float64Array;
  state: InitialState;
}

export interface CaseOptions {
  minQubits?: number;
  maxQubits: number;
  maxGates: number;
  maxParams: number;
  /** Each parameter drives exactly one gate with slope 1 (the parameter-shift setting). */
  slopeOne?: boolean;
  /** Allow constant offsets and fixed gates that are not multiples of π/2. */
  nonClifford?: boolean;
  /** Allow the |+⟩ and basis initial states (default true). */
  allStates?: boolean;
  /** Allow random Clifford centers (default true). */
  cliffordCenters?: boolean;
}

const letterArb = fc.constantFrom<PauliLetter>('X', 'Y', 'Z');

const pauliArb = (n: number, minW: number, maxW: number): fc.Arbitrary<SparsePauli> =>
  fc.shuffledSubarray([...Array(n).keys()], { minLength: Math.min(minW, n), maxLength: Math.min(maxW, n) }).chain((qs) =>
    fc.array(letterArb, { minLength: qs.length, maxLength: qs.length }).map((ls) => sparsePauli(qs.map((q, i) => [q, ls[i]!] as const))),
  );

/** A gate draft: rotations carry a constant and how many parameter slots they want. */
type Draft =
  | { kind: 'clifford'; gate: Gate }
  | { kind: 'rotation'; pauli: SparsePauli; constant: number; slots: [number, number][] };

const constantArb = (nonClifford: boolean) =>
  nonClifford
    ? fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -2, max: 3 }).map((k) => (k * Math.PI) / 2) },
        { weight: 1, arbitrary: fc.constantFrom(0.3, -0.7, Math.PI / 4, 1.1) },
      )
    : fc.integer({ min: -2, max: 3 }).map((k) => (k * Math.PI) / 2);

const draftArb = (n: number, opts: CaseOptions): fc.Arbitrary<Draft> => {
  const clifford = fc.constantFrom(...CLIFFORD_GATE_NAMES.filter((g) => CLIFFORD_ARITY[g] <= n)).chain((name) =>
    fc.shuffledSubarray([...Array(n).keys()], { minLength: CLIFFORD_ARITY[name], maxLength: CLIFFORD_ARITY[name] })
      .map((qubits): Draft => ({ kind: 'clifford', gate: { kind: 'clifford', name, qubits } })),
  );
  const slots = opts.slopeOne
    ? fc.constant<[number, number][]>([[0, 1]])
    : fc.array(fc.tuple(fc.nat({ max: Math.max(0, opts.maxParams - 1) }), fc.constantFrom(1, 1, -1, 2, 0.5, -1.5)), { minLength: 1, maxLength: 2 });
  const rotation = (minW: number, maxW: number) =>
    fc.record({ pauli: pauliArb(n, minW, maxW), constant: constantArb(opts.nonClifford ?? false), slots })
      .map((r): Draft => ({ kind: 'rotation', ...r }));
  const fixed = fc.tuple(pauliArb(n, 1, 2), constantArb(true))
    .map(([pauli, c]): Draft => ({ kind: 'rotation', pauli, constant: c, slots: [] }));
  const options: fc.WeightedArbitrary<Draft>[] = [
    { weight: 3, arbitrary: clifford },
    { weight: 4, arbitrary: rotation(1, 1) },
    { weight: 2, arbitrary: rotation(2, 2) },
    { weight: 1, arbitrary: rotation(1, n) },
  ];
  if (opts.nonClifford) options.push({ weight: 1, arbitrary: fixed });
  return fc.oneof(...options);
};

function assemble(n: number, drafts: Draft[], opts: CaseOptions): { circuit: Circuit; D: number } {
  const gates: Gate[] = [];
  let next = 0;
  let D = opts.slopeOne ? 0 : opts.maxParams;
  for (const d of drafts) {
    if (d.kind === 'clifford') {
      gates.push(d.gate);
      continue;
    }
    let terms: AffineTerm[];
    if (opts.slopeOne) {
      if (d.slots.length > 0 && next < opts.maxParams) terms = [{ param: next++, coeff: 1 }];
      else terms = [];
    } else {
      const m = new Map<number, number>();
      for (const [p, c] of d.slots) m.set(p, (m.get(p) ?? 0) + c);
      terms = [...m].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]).map(([param, coeff]) => ({ param, coeff }));
    }
    gates.push({ kind: 'rotation', pauli: d.pauli, angle: { constant: d.constant, terms } });
  }
  if (opts.slopeOne) D = next;
  return {
    circuit: {
      numQubits: n,
      parameters: D > 0 ? [{ name: 'theta', length: D, offset: 0 }] : [],
      numParameters: D,
      gates,
      observables: [],
    },
    D,
  };
}

const observableArb = (n: number): fc.Arbitrary<Observable> =>
  fc.array(fc.tuple(fc.constantFrom(1, -1, 0.5, -0.25, 2), pauliArb(n, 0, n)), { minLength: 1, maxLength: 3 })
    .map((ts) => ({ name: 'O', terms: ts.map(([coeff, pauli]) => ({ coeff, pauli })) }));

const stateArb = (n: number, all: boolean): fc.Arbitrary<InitialState> =>
  all
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constant<InitialState>({ kind: 'zero' }) },
        { weight: 1, arbitrary: fc.constant<InitialState>({ kind: 'plus' }) },
        { weight: 1, arbitrary: fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: n, maxLength: n }).map((bits): InitialState => ({ kind: 'basis', bits })) },
      )
    : fc.constant<InitialState>({ kind: 'zero' });

export const surrogateCaseArb = (opts: CaseOptions): fc.Arbitrary<SurrogateCase> =>
  fc.integer({ min: opts.minQubits ?? 1, max: opts.maxQubits }).chain((n) =>
    fc.record({
      drafts: fc.array(draftArb(n, opts), { minLength: 1, maxLength: opts.maxGates }),
      observable: observableArb(n),
      state: stateArb(n, opts.allStates ?? true),
      centerSteps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: opts.maxParams, maxLength: opts.maxParams }),
      cliffordCenter: opts.cliffordCenters === false ? fc.constant(false) : fc.boolean(),
    }).map(({ drafts, observable, state, centerSteps, cliffordCenter }) => {
      const { circuit, D } = assemble(n, drafts, opts);
      const center = Float64Array.from({ length: D }, (_, k) => (cliffordCenter ? (centerSteps[k]! * Math.PI) / 2 : 0));
      return { circuit, observable, center, state };
    }),
  );

/** A point center + δ with δ ~ N(0, σ²I), from a seeded normal generator. */
export function gaussianPoint(center: Float64Array, sigma: number, normal: () => number): Float64Array {
  return Float64Array.from(center, (c) => c + sigma * normal());
}
