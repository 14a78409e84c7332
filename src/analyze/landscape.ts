import type { Circuit, Observable } from '../ir/types.js';
import { observableNorm1 } from '../pauli/observable-text.js';
import { createRng } from '../random/rng.js';
import { expectationBatch } from '../simulators/statevector/index.js';
import { DEFAULT_DENSITY_MAX_QUBITS, densityExpectationBatch } from '../simulators/density/index.js';
import { hasNoise } from '../ir/circuit.js';
import type { Surrogate } from '../surrogate/interface.js';
import { ResourceLimitError } from '../ir/errors.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import { DeadlineExceeded, type SectionBudget } from './budget.js';

/**
 * The landscape section: 1-D cuts θ* + t·u through the center (two random unit directions and the
 * axis of the LCE target parameter), t ∈ [−π/2, π/2] (a quarter turn, from one Clifford point to the
 * next along an axis), exact where the state vector is feasible, against the Taylor surrogates the
 * simulability section built (a few orders), each with its rigorous pointwise bound as a band; and a
 * 2-D heat map over the plane of the two random directions (exact where feasible, else the highest
 * surrogate order, labelled as such).
 */
export interface CutRow {
  readonly direction: string;
  readonly t: number;
  readonly series: string;
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
}

export interface HeatCell {
  readonly x: number;
  readonly y: number;
  /** The cell's rectangle (grid spacing around x, y). */
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly value: number;
}

export interface LandscapeSection {
  readonly range: number;
  readonly points: number;
  readonly directions: readonly string[];
  readonly exact: boolean;
  readonly orders: readonly number[];
  readonly cuts: readonly CutRow[];
  readonly heat: { readonly source: string; readonly cells: readonly HeatCell[]; readonly size: number } | null;
  readonly note: string;
}

const CUT_POINTS = 41;
const HEAT_SIZE = 25;
const RANGE = Math.PI / 2;

function unitDirection(D: number, rng: ReturnType<typeof createRng>): Float64Array {
  const u = new Float64Array(D);
  let s = 0;
  for (let k = 0; k < D; k++) {
    u[k] = rng.normal();
    s += u[k]! * u[k]!;
  }
  const n = Math.sqrt(s) || 1;
  for (let k = 0; k < D; k++) u[k] = u[k]! / n;
  return u;
}

/** A few surrogate orders spread over what was built: low orders show how the series converges. */
function pickOrders(available: readonly number[]): number[] {
  const positive = available.filter((m) => m > 0);
  if (positive.length <= 4) return positive;
  const max = positive[positive.length - 1]!;
  return [...new Set([positive[0]!, positive[1]!, positive[2]!, max])];
}

export function landscapeSection(
  circuit: Circuit, observable: Observable, center: Float64Array, surrogates: ReadonlyMap<number, Surrogate>,
  lceTarget: { index: number; name: string; circuit: Circuit } | null, exactMaxQubits: number, seed: number, budget: SectionBudget,
): LandscapeSection {
  const D = circuit.numParameters;
  const rng = createRng(seed);
  const dirs: { name: string; u: Float64Array }[] = [];
  if (D > 0) {
    dirs.push({ name: 'random direction 1', u: unitDirection(D, rng) });
    dirs.push({ name: 'random direction 2', u: unitDirection(D, rng) });
  }
  const ts = Array.from({ length: CUT_POINTS }, (_, i) => -RANGE + (2 * RANGE * i) / (CUT_POINTS - 1));
  const clip = observableNorm1(observable);
  const notes: string[] = [];
  const point = (u: Float64Array, t: number, out: Float64Array) => {
    for (let k = 0; k < D; k++) out[k] = center[k]! + t * u[k]!;
    return out;
  };
  // Noisy circuits: the exact reference is the density matrix, within its own (smaller) qubit cap.
  const noisy = hasNoise(circuit);
  const exactLimit = noisy ? Math.min(exactMaxQubits, DEFAULT_DENSITY_MAX_QUBITS) : exactMaxQubits;
  const exactAt = (c: Circuit, flat: Float64Array, count: number) => {
    const points = Array.from({ length: count }, (_, i) => flat.subarray(i * D, (i + 1) * D));
    return hasNoise(c)
      ? densityExpectationBatch(c, points, observable, { maxQubits: exactLimit })
      : expectationBatch(c, points, observable, { maxQubits: exactMaxQubits });
  };
  // Exact values: time a small batch first (after a warm-up that compiles the kernels), then only if
  // the whole section's exact work fits.
  let exact = circuit.numQubits <= exactLimit && D > 0;
  let perExact = 0;
  if (exact) {
    const probe = new Float64Array(8 * D);
    for (let i = 0; i < 8; i++) probe.set(center, i * D);
    exactAt(circuit, probe, 1);
    const t0 = performance.now();
    exactAt(circuit, probe, 8);
    perExact = (performance.now() - t0) / 1000 / 8;
    const needed = perExact * ((dirs.length + (lceTarget ? 1 : 0)) * CUT_POINTS + HEAT_SIZE * HEAT_SIZE);
    if (!budget.fits('exact landscape values', needed * 1.2)) {
      exact = false;
      notes.push(`exact values skipped: predicted ${needed.toPrecision(2)} s`);
    }
  } else if (D > 0) {
    notes.push(`no exact reference: ${circuit.numQubits} qubits exceed the ${noisy ? 'density-matrix' : 'state-vector'} limit used here (${exactLimit})`);
  }
  const orders = pickOrders([...surrogates.keys()].sort((a, b) => a - b));
  if (orders.length === 0) notes.push('no Taylor surrogate was built within the budget');
  const cuts: CutRow[] = [];
  const buf = new Float64Array(D);
  for (const d of [...dirs]) {
    const flat = new Float64Array(ts.length * D);
    ts.forEach((t, i) => flat.set(point(d.u, t, buf), i * D));
    if (exact) {
      const values = exactAt(circuit, flat, ts.length);
      ts.forEach((t, i) => cuts.push({ direction: d.name, t, series: 'exact', value: values[i]!, lo: values[i]!, hi: values[i]! }));
    }
    for (const m of orders) {
      const s = surrogates.get(m)!;
      const values = s.evaluate(flat, ts.length);
      const bounds = s.bounds(flat, ts.length);
      ts.forEach((t, i) => {
        const v = values[i]!, b = bounds[i]!;
        cuts.push({ direction: d.name, t, series: `Taylor order ${m}`, value: v, lo: Math.max(v - b, -1.05 * clip), hi: Math.min(v + b, 1.05 * clip) });
      });
    }
  }
  // The LCE target's axis, on the encoded circuit (where ∂_k C(θ*) = ±1): exact where feasible,
  // otherwise its order-4 Taylor surrogate if that builds within the section's time.
  if (lceTarget && D > 0) {
    const name = `axis ${lceTarget.name}, LCE-encoded`;
    const u = new Float64Array(D);
    u[lceTarget.index] = 1;
    const enc = lceTarget.circuit;
    if (exact) {
      const flat = new Float64Array(ts.length * D);
      ts.forEach((t, i) => flat.set(point(u, t, buf), i * D));
      const values = exactAt(enc, flat, ts.length);
      ts.forEach((t, i) => cuts.push({ direction: name, t, series: 'exact', value: values[i]!, lo: values[i]!, hi: values[i]! }));
    } else {
      try {
        const s = buildTaylorSurrogate(enc, observable, { order: 4, center, onProgress: budget.guard('LCE axis surrogate') });
        const flat = new Float64Array(ts.length * D);
        ts.forEach((t, i) => flat.set(point(u, t, buf), i * D));
        const values = s.evaluate(flat, ts.length);
        const bounds = s.bounds(flat, ts.length);
        ts.forEach((t, i) => {
          const v = values[i]!, b = bounds[i]!;
          cuts.push({ direction: name, t, series: 'Taylor order 4', value: v, lo: Math.max(v - b, -1.05 * clip), hi: Math.min(v + b, 1.05 * clip) });
        });
      } catch (e) {
        if (!(e instanceof DeadlineExceeded || e instanceof ResourceLimitError)) throw e;
        budget.budget.skip(budget.name, 'cut along the LCE target axis', e.message);
      }
    }
    dirs.push({ name, u });
  }
  let heat: LandscapeSection['heat'] = null;
  if (dirs.length >= 2 && (exact || orders.length > 0)) {
    const [a, b] = [dirs[0]!.u, dirs[1]!.u];
    const grid = Array.from({ length: HEAT_SIZE }, (_, i) => -RANGE + (2 * RANGE * i) / (HEAT_SIZE - 1));
    const flat = new Float64Array(HEAT_SIZE * HEAT_SIZE * D);
    let p = 0;
    for (const y of grid) for (const x of grid) {
      for (let k = 0; k < D; k++) flat[p * D + k] = center[k]! + x * a[k]! + y * b[k]!;
      p++;
    }
    let values: Float64Array;
    let source: string;
    if (exact) {
      values = exactAt(circuit, flat, HEAT_SIZE * HEAT_SIZE);
      source = 'exact (state vector)';
    } else {
      const m = orders[orders.length - 1]!;
      values = surrogates.get(m)!.evaluate(flat, HEAT_SIZE * HEAT_SIZE);
      source = `Taylor surrogate of order ${m} (no exact reference at this size)`;
    }
    const cells: HeatCell[] = [];
    const h = (2 * RANGE) / (HEAT_SIZE - 1) / 2;
    p = 0;
    for (const y of grid) for (const x of grid) cells.push({ x, y, x0: x - h, x1: x + h, y0: y - h, y1: y + h, value: values[p++]! });
    heat = { source, cells, size: HEAT_SIZE };
  }
  return {
    range: RANGE, points: CUT_POINTS, directions: dirs.map((d) => d.name), exact, orders, cuts, heat,
    note: notes.join('; '),
  };
}
