import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Region } from '../src/bounds/order.js';
import { createRng } from '../src/random/rng.js';
import { expectation, expectationAndGradient } from '../src/simulators/statevector/index.js';
import { surrogateGradientEngine } from '../src/gradients/surrogate-engine.js';
import { buildPathSurrogate } from '../src/surrogate/paths-build.js';
import { surrogateDocument, surrogateFromJSON } from '../src/surrogate/serialize.js';
import { buildTaylorSurrogate, hasFixedNonClifford, prepareBuild } from '../src/surrogate/taylor-build.js';
import { surrogateCaseArb } from '../test/surrogate/cases.js';

/**
 * The three rigorous bound kinds (docs/bounds.md) against the exact state vector on random
 * circuits (shared and affine parameters, fixed non-Clifford gates, random Clifford centers and
 * initial states), orders 0…6, σ ∈ {D^−1, D^−1/2, D^−1/3, 1} and hypercubes:
 *  1. every kind ≥ |T_m − C| at every sampled point;
 *  2. light cone ≤ a priori (always: t_i ≤ ‖Aδ‖₁), the tightest = the minimum of the kinds;
 *  3. hypercube region bounds ≥ every pointwise bound of the same kind at points inside;
 *  4. a saved and reloaded surrogate gives the same bounds;
 *  5. Pauli-path surrogates: all three kinds ≥ the true error, regions ≥ points, saved = built;
 *  6. the gradient engine's (light-cone) gradient error bound ≥ ‖∇C − ∇T_m‖₂.
 * NC_PROPERTY_RUNS scales the number of runs, NC_SEED sets the seed.
 */
const SEED = Number(process.env.NC_SEED ?? 20251201);
const SCALE = Number(process.env.NC_PROPERTY_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const SIGMAS: ((D: number) => number)[] = [(D) => 1 / D, (D) => D ** -0.5, (D) => D ** (-1 / 3), () => 1];
const TOL = 1e-12;

/**
 * Cases with and without fixed non-Clifford gates: surrogates of circuits with such gates carry
 * no a-posteriori certificate (a known gap, docs/bounds.md §5), so half the cases have none and
 * every a-posteriori check runs on them.
 */
const caseArb = (o: { maxQubits: number; maxGates: number; maxParams: number }) =>
  fc.oneof(surrogateCaseArb({ ...o, nonClifford: true }), surrogateCaseArb({ ...o, nonClifford: false }));

/** Whether the a-posteriori certificate may be absent: exactly when the program has a fixed non-Clifford step. */
function fixedNonClifford(cse: { circuit: Parameters<typeof prepareBuild>[0]; observable: Parameters<typeof prepareBuild>[1]; center: Float64Array; state: unknown }): boolean {
  return hasFixedNonClifford(prepareBuild(cse.circuit, cse.observable, { center: cse.center, initialState: cse.state as never }).program);
}

describe('error bound kinds', () => {
  it('every kind bounds the true error; light cone ≤ a priori; tightest is the minimum', () => {
    fc.assert(
      fc.property(caseArb({ maxQubits: 7, maxGates: 18, maxParams: 5 }), fc.integer(), (cse, seed) => {
        const { circuit, observable, center, state } = cse;
        const D = circuit.numParameters;
        if (D === 0) return;
        const rng = createRng(seed);
        const points: Float64Array[] = [];
        for (const sigma of SIGMAS) for (let i = 0; i < 2; i++) points.push(Float64Array.from(center, (c) => c + sigma(D) * rng.normal()));
        const exact = points.map((x) => expectation(circuit, x, observable, { initialState: state }));
        const noCertificate = fixedNonClifford(cse);
        for (let m = 0; m <= 6; m++) {
          const s = buildTaylorSurrogate(circuit, observable, { order: m, center, initialState: state });
          points.forEach((x, i) => {
            const err = Math.abs(s.value(x) - exact[i]!);
            const k = s.boundsByKind(x);
            const where = `order ${m}, point ${i}`;
            expect(err, `${where}: a priori`).toBeLessThanOrEqual(k.apriori + TOL);
            expect(k.lightCone, where).not.toBeNull();
            expect(k.aposteriori === null, where).toBe(noCertificate);
            expect(err, `${where}: light cone`).toBeLessThanOrEqual(k.lightCone! + TOL);
            if (k.aposteriori !== null) expect(err, `${where}: a posteriori`).toBeLessThanOrEqual(k.aposteriori + TOL);
            expect(k.lightCone!, where).toBeLessThanOrEqual(k.apriori * (1 + 1e-12));
            expect(k.tightest).toBe(Math.min(k.apriori, k.lightCone!, k.aposteriori ?? Infinity));
            expect(s.bound(x)).toBe(k.tightest);
          });
        }
      }),
      { seed: SEED, numRuns: runs(60) },
    );
  });

  it('region bounds dominate pointwise bounds inside; saved surrogates give the same bounds', () => {
    fc.assert(
      fc.property(
        caseArb({ maxQubits: 6, maxGates: 14, maxParams: 4 }), fc.integer({ min: 0, max: 5 }), fc.integer(),
        (cse, m, seed) => {
          const { circuit, observable, center, state } = cse;
          const D = circuit.numParameters;
          if (D === 0) return;
          const s = buildTaylorSurrogate(circuit, observable, { order: m, center, initialState: state });
          const loaded = surrogateFromJSON(JSON.parse(JSON.stringify(surrogateDocument(s))));
          const rng = createRng(seed);
          for (const r of [0.01, 0.1, 0.5]) {
            const region: Region = { kind: 'hypercube', radius: r };
            const rb = s.regionBoundsByKind(region);
            for (let i = 0; i < 4; i++) {
              const x = Float64Array.from(center, (c) => c + r * (2 * rng.next() - 1));
              const pb = s.boundsByKind(x);
              expect(pb.apriori).toBeLessThanOrEqual(rb.apriori * (1 + 1e-12));
              expect(pb.lightCone!).toBeLessThanOrEqual(rb.lightCone! * (1 + 1e-12));
              expect(pb.aposteriori === null).toBe(rb.aposteriori === null);
              if (pb.aposteriori !== null) expect(pb.aposteriori).toBeLessThanOrEqual(rb.aposteriori! * (1 + 1e-12) + 1e-300);
              const lb = loaded.boundsByKind(x);
              if (pb.aposteriori === null) expect(lb.aposteriori).toBeNull();
              else expect(lb.aposteriori).toBeCloseTo(pb.aposteriori, 14);
              expect(lb.lightCone).toBeCloseTo(pb.lightCone!, 14);
              expect(loaded.value(x)).toBeCloseTo(s.value(x), 9);
            }
            expect(loaded.regionBound(region)).toBeCloseTo(s.regionBound(region), 12);
          }
          // Gaussian regions: the pointwise bound exceeds the region bound at tail p = 0.1 on at
          // most a fraction p of the points (+ 3 binomial sd over 100 draws).
          for (const sigma of [0.02, 0.2]) {
            if (s.meta.certificates?.aposteriori == null) break;
            const rb = s.regionBoundsByKind({ kind: 'gaussian', sigma, tailProbability: 0.3 }); // p/3 = 0.1 per kind
            let over = 0;
            for (let i = 0; i < 100; i++) {
              const x = Float64Array.from(center, (c) => c + sigma * rng.normal());
              if (s.boundsByKind(x).aposteriori! > rb.aposteriori! * (1 + 1e-12)) over++;
            }
            expect(over).toBeLessThanOrEqual(19);
          }
        },
      ),
      { seed: SEED + 1, numRuns: runs(40) },
    );
  });

  it('Pauli-path surrogates: every kind bounds the true error; regions dominate points', () => {
    fc.assert(
      fc.property(caseArb({ maxQubits: 6, maxGates: 14, maxParams: 4 }), fc.integer(), (cse, seed) => {
        const { circuit, observable, center, state } = cse;
        const D = circuit.numParameters;
        if (D === 0) return;
        const rng = createRng(seed);
        const points = SIGMAS.map((sg) => Float64Array.from(center, (c) => c + sg(D) * rng.normal()));
        for (let S = 0; S <= 3; S++) {
          const s = buildPathSurrogate(circuit, observable, { maxSins: S, center, initialState: state });
          for (const x of points) {
            const err = Math.abs(s.value(x) - expectation(circuit, x, observable, { initialState: state }));
            const k = s.boundsByKind(x);
            expect(err).toBeLessThanOrEqual(k.apriori + TOL);
            expect(err).toBeLessThanOrEqual(k.lightCone! + TOL);
            if (k.aposteriori !== null) expect(err, `S = ${S}: a posteriori`).toBeLessThanOrEqual(k.aposteriori + TOL);
            expect(k.lightCone!).toBeLessThanOrEqual(k.apriori * (1 + 1e-12));
          }
          const loaded = surrogateFromJSON(JSON.parse(JSON.stringify(surrogateDocument(s))));
          for (const r of [0.05, 0.3]) {
            const rb = s.regionBoundsByKind({ kind: 'hypercube', radius: r });
            const x = Float64Array.from(center, (c) => c + r * (2 * rng.next() - 1));
            const pb = s.boundsByKind(x);
            if (pb.aposteriori !== null) expect(pb.aposteriori).toBeLessThanOrEqual(rb.aposteriori! * (1 + 1e-12) + 1e-300);
            expect(pb.lightCone!).toBeLessThanOrEqual(rb.lightCone! * (1 + 1e-12) + 1e-300);
            if (pb.aposteriori === null) expect(loaded.boundsByKind(x).aposteriori).toBeNull();
            else expect(loaded.boundsByKind(x).aposteriori).toBeCloseTo(pb.aposteriori, 12);
          }
        }
      }),
      { seed: SEED + 2, numRuns: runs(40) },
    );
  });

  it('the gradient error bound (light cone) ≥ ‖∇C − ∇T_m‖₂', () => {
    fc.assert(
      fc.property(surrogateCaseArb({ maxQubits: 6, maxGates: 14, maxParams: 4, nonClifford: true }), fc.integer(), (cse, seed) => {
        const { circuit, observable, center, state } = cse;
        const D = circuit.numParameters;
        if (D === 0) return;
        const rng = createRng(seed);
        for (const m of [1, 2, 4]) {
          const eng = surrogateGradientEngine(circuit, observable, { order: m, center, initialState: state });
          for (const sigma of SIGMAS) {
            const x = Float64Array.from(center, (c) => c + sigma(D) * rng.normal());
            const got = eng.evaluator(x);
            const exact = expectationAndGradient(circuit, x, observable, { initialState: state }).gradient;
            let e2 = 0;
            for (let k = 0; k < D; k++) e2 += (got.gradient[k]! - exact[k]!) ** 2;
            expect(Math.sqrt(e2), `order ${m}`).toBeLessThanOrEqual(got.gradientErrorBound! + 1e-11);
          }
        }
      }),
      { seed: SEED + 3, numRuns: runs(30) },
    );
  });
});
