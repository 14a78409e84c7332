import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPropagateCommand } from '../../src/cli/commands/propagate.js';
import { loadCircuit, readParameters, resolveObservable } from '../../src/cli/common.js';
import type { InitialState } from '../../src/ir/states.js';
import type { Circuit, Gate, Observable } from '../../src/ir/types.js';
import { CHANNEL_NAMES, makeChannel } from '../../src/noise/channels.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import type { Truncation } from '../../src/propagation/options.js';
import { propagate, propagateToSum, runPropagation } from '../../src/propagation/propagate.js';
import { densityExpectation } from '../../src/simulators/density/index.js';
import { noisyCircuitArb } from '../helpers/noisy-circuits.js';
import { circuitOf, initialStateArb, observableArb, paramsArb } from '../helpers/random-circuits.js';
import { naiveOverlap, naivePropagate, stringOf } from './naive.js';

/**
 * Noise channels in the propagation core: Pauli transfer maps with PauliPropagation.jl's
 * semantics. Without truncation the result must equal the exact density matrix (an independent
 * simulator: Kraus operators on ρ); with truncations it must keep exactly the strings and
 * coefficients of the naive Map-based reference (test/propagation/naive.ts).
 */
const SEED = Number(process.env.NC_SEED ?? 16180);

const caseArb = (maxQubits: number, maxGates: number, only?: (typeof CHANNEL_NAMES)[number]) =>
  noisyCircuitArb({ maxQubits, maxGates, only }).chain((circuit) =>
    fc.record({
      circuit: fc.constant(circuit),
      params: paramsArb(circuit.numParameters),
      observable: observableArb(circuit.numQubits, 4),
      state: initialStateArb(circuit.numQubits),
    }),
  );

describe.each(['narrow', 'wide'] as const)('noisy propagation without truncation equals the density matrix (%s store)', (engine) => {
  it('random noisy circuits, observables and initial states, to 1e-12', () => {
    fc.assert(
      fc.property(caseArb(6, 16), ({ circuit, params, observable, state }) => {
        const { engine: e } = runPropagation(circuit, params, observable, { minAbs: 0 }, engine);
        const exact = densityExpectation(circuit, params, observable, { initialState: state });
        expect(Math.abs(e.overlap(state) - exact)).toBeLessThanOrEqual(1e-12);
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it.each(CHANNEL_NAMES)('every circuit has a %s channel', (name) => {
    fc.assert(
      fc.property(caseArb(5, 12, name), ({ circuit, params, observable, state }) => {
        expect(circuit.gates.some((g) => g.kind === 'channel' && g.name === name)).toBe(true);
        const { engine: e } = runPropagation(circuit, params, observable, { minAbs: 0 }, engine);
        const exact = densityExpectation(circuit, params, observable, { initialState: state });
        expect(Math.abs(e.overlap(state) - exact)).toBeLessThanOrEqual(1e-12);
      }),
      { seed: SEED + 1, numRuns: 40 },
    );
  });
});

/** Relabels qubit q as map[q] in a register of `n` qubits (channels too). */
function embed(c: Circuit, o: Observable, map: number[], n: number): { circuit: Circuit; observable: Observable } {
  const sparse = (qs: readonly number[], ls: readonly ('X' | 'Y' | 'Z')[]) => {
    const pairs = qs.map((q, i) => [map[q]!, ls[i]!] as const).sort((a, b) => a[0] - b[0]);
    return { qubits: pairs.map((p) => p[0]), letters: pairs.map((p) => p[1]) };
  };
  const gates = c.gates.map((g): Gate => (g.kind === 'rotation' ? { ...g, pauli: sparse(g.pauli.qubits, g.pauli.letters) } : { ...g, qubits: g.qubits.map((q) => map[q]!) }));
  return {
    circuit: { ...c, numQubits: n, gates },
    observable: { name: o.name, terms: o.terms.map((t) => ({ coeff: t.coeff, pauli: sparse(t.pauli.qubits, t.pauli.letters) })) },
  };
}

describe('noisy propagation on multi-word registers', () => {
  it('a small noisy circuit spread over 70 qubits (3 words per plane) equals its density matrix', () => {
    const arb = caseArb(5, 14).chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray([...Array(70).keys()], { minLength: c.circuit.numQubits, maxLength: c.circuit.numQubits })));
    fc.assert(
      fc.property(arb, ([c, map]) => {
        const big = embed(c.circuit, c.observable, map, 70);
        // |0…0⟩ and |+…+⟩ embed as themselves (the idle qubits stay in the same product state).
        for (const kind of ['zero', 'plus'] as const) {
          const state: InitialState = { kind };
          const value = propagate(big.circuit, c.params, big.observable, { minAbs: 0, initialState: state }).value;
          expect(Math.abs(value - densityExpectation(c.circuit, c.params, c.observable, { initialState: state }))).toBeLessThanOrEqual(1e-12);
        }
      }),
      { seed: SEED + 2, numRuns: 40 },
    );
  });
});

function engineTerms(c: Circuit, params: ArrayLike<number>, obs: Observable, tr: Truncation, engine: 'narrow' | 'wide') {
  const { engine: e, stats } = runPropagation(c, params, obs, tr, engine);
  const terms = new Map<string, number>();
  for (const t of e.toPauliSum().toObservable().terms) terms.set(stringOf(c.numQubits, t.pauli.qubits, t.pauli.letters), t.coeff);
  return { terms, size: e.size, stats, engine: e };
}

const truncationArb = (n: number): fc.Arbitrary<Truncation> =>
  fc.record(
    {
      maxWeight: fc.integer({ min: 0, max: n }),
      minAbs: fc.constantFrom(0, 1e-10, 1e-3, 1e-2, 0.05, 0.2),
      maxSins: fc.integer({ min: 0, max: 4 }),
      maxFreq: fc.integer({ min: 0, max: 6 }),
    },
    { requiredKeys: [] },
  );

describe.each(['narrow', 'wide'] as const)('noisy truncations match the naive reference (%s store)', (engine) => {
  it('same strings, same coefficients, same dropped weight; the dropped weight bounds the error', () => {
    const arb = caseArb(6, 18).chain((c) => fc.record({ c: fc.constant(c), tr: truncationArb(c.circuit.numQubits) }));
    fc.assert(
      fc.property(arb, ({ c: { circuit, params, observable, state }, tr }) => {
        const got = engineTerms(circuit, params, observable, tr, engine);
        const ref = naivePropagate(circuit, params, observable, tr);
        expect(got.size).toBe(ref.terms.size);
        for (const [s, t] of ref.terms) {
          if (t.c === 0) continue;
          const c2 = got.terms.get(s);
          expect(c2, `string ${s}`).toBeDefined();
          expect(Math.abs(c2! - t.c)).toBeLessThanOrEqual(1e-12);
        }
        expect(got.stats.droppedWeight).toBeCloseTo(ref.droppedWeight, 9);
        const value = got.engine.overlap(state);
        expect(value).toBeCloseTo(naiveOverlap(ref.terms, state), 12);
        const exact = densityExpectation(circuit, params, observable, { initialState: state });
        expect(Math.abs(value - exact)).toBeLessThanOrEqual(got.stats.droppedWeight + 1e-12);
      }),
      { seed: SEED + 3, numRuns: 200 },
    );
  });
});

describe('amplitude damping feeds the identity', () => {
  const damp = (g: number, extra: Gate[] = [], n = 2): Circuit => circuitOf(n, 0, [...extra, makeChannel('amplitude_damp', [0], [g])]);
  const sumOf = (c: Circuit, obs: string, tr: Truncation = { minAbs: 0 }) => {
    const r = propagateToSum(c, [], parseObservableText(obs), tr);
    const m = new Map<string, number>();
    for (const t of r.sum.toObservable().terms) m.set(stringOf(c.numQubits, t.pauli.qubits, t.pauli.letters), t.coeff);
    return { m, r };
  };

  it.each(['narrow', 'wide'] as const)('Z0 → (1−g)·Z0 + g·I, X0 → √(1−g)·X0, Z0 X1 → (1−g)·Z0 X1 + g·X1 (%s store)', (engine) => {
    const g = 0.3;
    const run = (obs: string) => {
      const { engine: e } = runPropagation(damp(g), [], parseObservableText(obs), { minAbs: 0 }, engine);
      const m = new Map<string, number>();
      for (const t of e.toPauliSum().toObservable().terms) m.set(stringOf(2, t.pauli.qubits, t.pauli.letters), t.coeff);
      return m;
    };
    expect(run('Z0')).toEqual(new Map([['ZI', 1 - g], ['II', g]]));
    expect(run('X0')).toEqual(new Map([['XI', Math.sqrt(1 - g)]]));
    expect(run('Y0 Z1')).toEqual(new Map([['YZ', Math.sqrt(1 - g)]]));
    expect(run('Z0 X1')).toEqual(new Map([['ZX', 1 - g], ['IX', g]]));
    // Qubit 1 is not damped: its Z stays.
    expect(run('Z1')).toEqual(new Map([['IZ', 1]]));
  });

  it('the identity branch merges into a present string, from the old coefficient', () => {
    const g = 0.3;
    // I (0.25) and Z0 (2) both present: I gets 0.25 + g·2, Z0 keeps (1−g)·2.
    const { m } = sumOf(damp(g), '2*Z0 + 0.25');
    expect(m.get('II')).toBeCloseTo(0.25 + 2 * g, 15);
    expect(m.get('ZI')).toBeCloseTo(2 * (1 - g), 15);
    expect(m.size).toBe(2);
    // A merge that cancels: 0.6 − g·2 = 0 is then truncated by |c| < minAbs.
    const { m: m2, r } = sumOf(damp(g), '2*Z0 - 0.6', { minAbs: 1e-9 });
    expect(m2.has('II')).toBe(false);
    expect(m2.get('ZI')).toBeCloseTo(1.4, 15);
    expect(r.droppedTerms).toBe(1);
  });

  it('an identity branch below minAbs is never inserted and counts as dropped weight', () => {
    const g = 1e-4;
    const { m, r } = sumOf(damp(g), 'Z0', { minAbs: 1e-3 });
    expect(m).toEqual(new Map([['ZI', 1 - g]]));
    expect(r.droppedTerms).toBe(1);
    expect(r.droppedWeight).toBeCloseTo(g, 18);
    expect(r.terms).toBe(1);
  });

  it('the damped expectation: |1⟩ damped towards |0⟩ gives ⟨Z⟩ = 2g − 1, through a Clifford', () => {
    const g = 0.35;
    const c = damp(g, [{ kind: 'clifford', name: 'x', qubits: [0] }], 1);
    const v = propagate(c, [], parseObservableText('Z0'), { minAbs: 0 }).value;
    expect(v).toBeCloseTo(2 * g - 1, 15);
    expect(densityExpectation(c, [], parseObservableText('Z0'))).toBeCloseTo(2 * g - 1, 14);
  });
});

describe('`nearclifford propagate` on a noisy circuit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nc-propagate-noise-'));
  const file = join(dir, 'noisy.ncl');
  writeFileSync(file, `qubits 3;
param t[3];
for i in 0..3 { ry(t[i]) i; depolarize(0.01) i; }
cx 0 1; depolarize2(0.02) 0 1;
rx(t[0]) 2; dephase(0.1) 2; pauli_noise(0.01, 0.02, 0.03) 1; amplitude_damp(0.05) 0;
observable H = Z0 Z1 + 0.5*X2 + 0.3*Z0;
`);
  const paramsFile = join(dir, 'p.json');
  writeFileSync(paramsFile, JSON.stringify({ t: [0.4, -0.7, 1.1] }));

  it.each(['zero', 'plus', '101'])('runs, and without truncation equals the density matrix (state %s)', (state) => {
    const r = runPropagateCommand(file, { params: paramsFile, minAbs: 0, state, observable: 'H' });
    const c = loadCircuit(file);
    const exact = densityExpectation(c, readParameters(c, paramsFile), resolveObservable(c, 'H'), {
      initialState: state === 'zero' ? { kind: 'zero' } : state === 'plus' ? { kind: 'plus' } : { kind: 'basis', bits: [1, 0, 1] },
    });
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(1e-12);
    expect(r.dropped_weight).toBe(0);
  });
});
