import { ResourceLimitError, UserError } from '../ir/errors.js';
import { formatInitialState, ZERO_STATE, type InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { formatObservable } from '../pauli/observable-text.js';
import { multiply } from '../pauli/packed.js';
import { expandTrig, type TrigExpansion } from './expansion.js';
import type { SurrogateMeta } from './meta.js';
import { MonomialTable } from './monomials.js';
import { overlapFunction } from './overlap.js';
import { generatorWords, lowerForSurrogate, parity32, STEP_SYMBOLIC, type SurrogateProgram } from './program.js';
import { TaylorSurrogate } from './taylor.js';
import { TermStore } from './term-store.js';
import { Viability } from './viability.js';
import { RemainderAccumulator } from '../bounds/aposteriori.js';
import { termLightCones } from '../bounds/light-cone.js';
import { LightConeData } from '../bounds/light-cone-bound.js';
import { cosRemainderPower, sinRemainderPower, type DropRecorder } from './drop-recorder.js';
import type { BoundCertificates } from './meta.js';

export const DEFAULT_MAX_TERMS = 1 << 25;

export interface SurrogateBuildOptions {
  /** Expansion point φ* (flat parameters); default all zeros. */
  center?: ArrayLike<number>;
  initialState?: InitialState;
  /** Budget of live term entries; exceeding it throws ResourceLimitError. */
  maxTerms?: number;
  /** Called after each step (gates with a non-Clifford part), last gate first. */
  onProgress?: (done: number, total: number, liveTerms: number) => void;
  /**
   * Record what the truncation drops, for the a-posteriori bound (default true; Taylor only).
   * Costs a pass over the frozen terms at each symbolic step (bench/bounds.ts measures it).
   */
  aposteriori?: boolean;
}

export interface TaylorBuildOptions extends SurrogateBuildOptions {
  /** Truncation order m: T_m keeps every monomial of total degree ≤ m. */
  order: number;
}

/** Common checks and the metadata both builders record. */
export function prepareBuild(
  circuit: Circuit, observable: Observable, options: SurrogateBuildOptions,
): { program: SurrogateProgram; center: Float64Array; state: InitialState; maxTerms: number } {
  const center = options.center ? Float64Array.from(options.center) : new Float64Array(circuit.numParameters);
  const program = lowerForSurrogate(circuit, observable, center);
  const maxTerms = options.maxTerms ?? DEFAULT_MAX_TERMS;
  if (!Number.isInteger(maxTerms) || maxTerms < 16) throw new UserError(`the term budget must be an integer ≥ 16, got ${maxTerms}`);
  return { program, center, state: options.initialState ?? ZERO_STATE, maxTerms };
}

export function makeMeta(
  circuit: Circuit, observable: Observable, program: SurrogateProgram, center: Float64Array, state: InitialState,
  terms: number, peakTerms: number, buildSeconds: number, certificates?: BoundCertificates,
): SurrogateMeta {
  return {
    certificates: {
      lightCone: new LightConeData(termLightCones(circuit, observable, center)),
      ...certificates,
    },
    numQubits: circuit.numQubits,
    parameters: circuit.parameters,
    numParameters: circuit.numParameters,
    center,
    observable: formatObservable(observable),
    observableNorm1: program.observableNorm1,
    initialState: formatInitialState(state),
    forms: program.forms,
    terms,
    peakTerms,
    buildSeconds,
  };
}

/**
 * Builds T_m(δ) in one backward pass of the observable with truncated-polynomial coefficients.
 * For each step (last in time first) and each string Q anticommuting with its generator G:
 *  - fixed angle r: c·Q → c·cos r·Q + c·sin r·(iGQ), numbers only;
 *  - symbolic ℓ(δ): c(δ)·Q → c·cos ℓ·Q + c·sin ℓ·(iGQ), with cos ℓ − 1 and sin ℓ expanded and
 *    products of degree > m never formed.
 * The coefficients snapshot before any update, so merges within a step see old values only. The
 * final overlap with the initial state sums everything into one polynomial.
 */
export function buildTaylorSurrogate(circuit: Circuit, observable: Observable, options: TaylorBuildOptions): TaylorSurrogate {
  const m = options.order;
  if (!Number.isInteger(m) || m < 0 || m > 255) throw new UserError(`the order must be an integer in [0, 255], got ${m}`);
  const t0 = performance.now();
  const { program, center, state, maxTerms } = prepareBuild(circuit, observable, options);
  const { W, stride, numSteps, gens, genSigns, kind, fixedCos, fixedSin, form, forms } = program;
  const viability = new Viability(program, state);
  const monos = new MonomialTable(m);
  const store = new TermStore(W, maxTerms, Math.max(1024, observable.terms.length * 4));
  // [drop-recorder] The a-posteriori bound's accumulator; null builds exactly as before.
  const rec: (DropRecorder & RemainderAccumulator) | null =
    // Its entries count against the same budget as the live terms; past it, the surrogate simply
    // carries no a-posteriori certificate (the other bounds still hold).
    options.aposteriori === false ? null : new RemainderAccumulator(stepStructure(program), m + 2, maxTerms);
  const cutScratch = new CutScratch();

  for (let j = 0; j < program.obsCoeffs.length; j++) {
    const use = viability.maxUse(program.obsKeys, j * stride, numSteps, m);
    if (use < 0 || program.obsCoeffs[j] === 0) {
      // [drop-recorder] An observable term too far from the overlap for the budget.
      rec?.pruned(numSteps, 0, Math.abs(program.obsCoeffs[j]!), viability.requiredSins(program.obsKeys, j * stride, numSteps));
      continue;
    }
    const p = store.internPauli(program.obsKeys, j * stride, use);
    store.add(p, 0, program.obsCoeffs[j]!, m === 0);
  }
  const gw = generatorWords(program);
  const frozen = (mu: number) => monos.degree[mu]! >= m;

  // Per-step scratch: anticommuting strings and the snapshot of their terms.
  let anti = new Int32Array(1024);
  let snapMono = new Int32Array(4096);
  let snapCoef = new Float64Array(4096);
  let snapStart = new Int32Array(1025);
  let snapMinDeg = new Int32Array(1024);
  const gq = new Uint32Array(stride);
  let peakTerms = store.size;

  for (let s = numSteps - 1; s >= 0; s--) {
    const go = s * stride;
    const symbolic = kind[s] === STEP_SYMBOLIC;
    // 1. Strings that anticommute with G. Symbolic steps visit only strings with terms that can
    //    still branch; terms that became unreachable are pruned when the thresholds move.
    let nAnti = 0;
    {
      const keys = store.paulis.keys;
      // [drop-recorder] Recording visits strings with only frozen terms too: their cos/sin
      // branches are the drops of degree m + 1 (active-list filtering is an optimisation only).
      const activeOnly = symbolic && rec === null;
      const P = activeOnly ? store.activeCount : store.paulis.size;
      const list = store.activeList;
      const recheck = !viability.stable(s + 1);
      const w0 = gw.start[s]!;
      const w1 = gw.start[s + 1]!;
      for (let i = 0; i < P; i++) {
        const p = activeOnly ? list[i]! : i;
        if (activeOnly ? store.head[p]! < 0 : store.head[p]! < 0 && store.headFrozen[p]! < 0) continue;
        const ko = p * stride;
        // Frozen-only strings at symbolic steps are visited for recording only: they are left
        // unpruned, exactly as without recording (their drops are charged with fresh reaches).
        if (recheck && !(symbolic && store.head[p]! < 0)) {
          const use = viability.maxUse(keys, ko, s + 1, m);
          if (use < store.maxUse[p]!) {
            // [drop-recorder] pruned terms, horizon s + 1
            pruneAbove(store, monos, p, use, rec, s + 1, rec ? viability.requiredSins(keys, ko, s + 1) : -1);
            store.maxUse[p] = use;
          }
        }
        if (store.maxUse[p]! < 0) continue;
        let par = 0;
        for (let j = w0; j < w1; j++) {
          const k = gw.word[j]!;
          par ^= ((keys[ko + k]! & gw.z[j]!) ^ (keys[ko + W + k]! & gw.x[j]!)) >>> 0;
        }
        if (parity32(par) === 0) continue;
        if (nAnti === anti.length) anti = growInt(anti, anti.length * 2);
        anti[nAnti++] = p;
      }
    }
    if (nAnti === 0) {
      options.onProgress?.(numSteps - s, numSteps, store.size);
      continue;
    }
    // 2. Snapshot the non-zero terms that can branch (fixed steps: all, scaling them by cos r).
    if (snapStart.length < nAnti + 1) {
      snapStart = growInt(snapStart, nAnti * 2 + 1);
      snapMinDeg = growInt(snapMinDeg, nAnti * 2 + 1);
    }
    let nSnap = 0;
    for (let a = 0; a < nAnti; a++) {
      // [drop-recorder] Series cuts of every term of this string (frozen ones included), from
      // the values before this step: the cos part stays on Q, the sin part lands on iGQ.
      if (rec !== null && symbolic) recordSeriesCuts(rec, store, monos, viability, program, s, anti[a]!, gq, m, cutScratch);
      snapStart[a] = nSnap;
      let minDeg = m + 1;
      for (let list = 0; list < (symbolic ? 1 : 2); list++) {
        for (let t = list === 0 ? store.head[anti[a]!]! : store.headFrozen[anti[a]!]!; t >= 0; t = store.next[t]!) {
          const c = store.coef[t]!;
          if (c === 0) continue;
          if (nSnap === snapMono.length) {
            snapMono = growInt(snapMono, nSnap * 2);
            snapCoef = growFloat(snapCoef, nSnap * 2);
          }
          const mu = store.monoOf[t]!;
          snapMono[nSnap] = mu;
          snapCoef[nSnap++] = c;
          if (monos.degree[mu]! < minDeg) minDeg = monos.degree[mu]!;
          if (!symbolic) store.coef[t] = c * fixedCos[s]!;
        }
      }
      snapMinDeg[a] = minDeg;
    }
    snapStart[nAnti] = nSnap;
    // 3. Branches.
    const exp: TrigExpansion | null = symbolic ? expandTrig(monos, forms.params, forms.coeffs, forms.offsets[form[s]!]!, forms.offsets[form[s]! + 1]!) : null;
    for (let a = 0; a < nAnti; a++) {
      const p = anti[a]!;
      const from = snapStart[a]!;
      const to = snapStart[a + 1]!;
      if (from === to) continue;
      // iGQ = i^{e+1}·gq with G·Q = i^e·gq.
      const e = multiply(gens, go, store.paulis.keys, p * stride, gq, 0, W);
      const sinSign = ((e + 1) & 3) === 0 ? genSigns[s]! : -genSigns[s]!;
      const useSin = viability.maxUse(gq, 0, s, m);
      // Intern iGQ only when some term can actually branch into it.
      if (!symbolic) {
        const f = sinSign * fixedSin[s]!;
        if (rec !== null) {
          // [drop-recorder] Fixed-angle sin branches not formed (degree above iGQ's budget).
          const reach = viability.requiredSins(gq, 0, s);
          for (let i = from; i < to; i++) {
            const mu = snapMono[i]!;
            if (monos.degree[mu]! > useSin) rec.pruned(s, mu, Math.abs(f * snapCoef[i]!), reach);
          }
        }
        if (snapMinDeg[a]! > useSin) continue;
        const q = store.internPauli(gq, 0, useSin);
        for (let i = from; i < to; i++) {
          const mu = snapMono[i]!;
          if (monos.degree[mu]! <= useSin) store.add(q, mu, f * snapCoef[i]!, frozen(mu));
        }
        continue;
      }
      const useCos = viability.maxUse(store.paulis.keys, p * stride, s, m);
      const { cosMono, cosCoef, cosDeg, sinMono, sinCoef, sinDeg } = exp!;
      if (useCos > 0 && cosMono.length > 0) {
        for (let i = from; i < to; i++) {
          const mu = snapMono[i]!;
          const d = monos.degree[mu]!;
          const c = snapCoef[i]!;
          for (let k = 0; k < cosMono.length; k++) {
            const dd = d + cosDeg[k]!;
            if (dd > useCos) break;
            store.add(p, monos.multiply(mu, cosMono[k]!), c * cosCoef[k]!, dd >= m);
          }
        }
      }
      if (sinMono.length > 0 && snapMinDeg[a]! + sinDeg[0]! <= useSin) {
        const q = store.internPauli(gq, 0, useSin);
        for (let i = from; i < to; i++) {
          const mu = snapMono[i]!;
          const d = monos.degree[mu]!;
          const c = sinSign * snapCoef[i]!;
          for (let k = 0; k < sinMono.length; k++) {
            const dd = d + sinDeg[k]!;
            if (dd > useSin) break;
            store.add(q, monos.multiply(mu, sinMono[k]!), c * sinCoef[k]!, dd >= m);
          }
        }
      }
    }
    if (store.size > peakTerms) peakTerms = store.size;
    // Compact when pruning zeroed most terms, or most strings hold no term (each live string
    // holds at least one).
    if ((store.zeroed > 4096 && store.zeroed * 2 > store.size) || store.paulis.size > 2 * store.size + 4096) {
      store.compact(frozen);
    }
    options.onProgress?.(numSteps - s, numSteps, store.size);
  }

  // 4. Overlap with the initial state: one polynomial.
  const overlap = overlapFunction(state, circuit.numQubits, W);
  const total = new Float64Array(monos.size);
  const keys = store.paulis.keys;
  const ov = new Float64Array(store.paulis.size);
  for (let p = 0; p < store.paulis.size; p++) ov[p] = overlap(keys, p * stride);
  let terms = 0;
  for (let t = 0; t < store.size; t++) {
    const c = store.coef[t]!;
    if (c === 0) continue;
    terms++;
    const o = ov[store.pauliOf[t]!]!;
    if (o !== 0) total[store.monoOf[t]!]! += o * c;
  }
  // [drop-recorder] The accumulated remainder data travels with the surrogate (and its JSON).
  const aposteriori = rec?.finish(monos.degree, monos.vars, monos.stride);
  const meta = makeMeta(circuit, observable, program, center, state, terms, peakTerms, (performance.now() - t0) / 1000, aposteriori ? { aposteriori } : undefined);
  return TaylorSurrogate.fromTable(meta, m, monos, total);
}

/**
 * Zeroes the terms of string p whose degree exceeds `use` (all of them when use < 0), reporting
 * each to the recorder as pruned at `horizon` with the string's `reach`.
 */
function pruneAbove(
  store: TermStore, monos: MonomialTable, p: number, use: number, rec: DropRecorder | null, horizon: number, reach: number,
): void {
  for (let list = 0; list < 2; list++) {
    for (let t = list === 0 ? store.head[p]! : store.headFrozen[p]!; t >= 0; t = store.next[t]!) {
      if (store.coef[t] !== 0 && monos.degree[store.monoOf[t]!]! > use) {
        rec?.pruned(horizon, store.monoOf[t]!, Math.abs(store.coef[t]!), reach);
        store.coef[t] = 0;
        store.zeroed++;
      }
    }
  }
}

function growInt(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n > 1 << 30) throw new ResourceLimitError('surrogate scratch arrays exceeded 2^30 entries');
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

/** The per-step structure the reach factors need (docs/bounds.md §3.3). */
export function stepStructure(program: SurrogateProgram): { numSteps: number; rowOf: Int32Array; fixedGain: Float64Array } {
  const rowOf = new Int32Array(program.numSteps);
  const fixedGain = new Float64Array(program.numSteps).fill(1);
  for (let s = 0; s < program.numSteps; s++) {
    rowOf[s] = program.kind[s] === STEP_SYMBOLIC ? program.form[s]! : -1;
    if (rowOf[s]! < 0) fixedGain[s] = Math.abs(program.fixedCos[s]!) + Math.abs(program.fixedSin[s]!);
  }
  return { numSteps: program.numSteps, rowOf, fixedGain };
}

/**
 * [drop-recorder] At symbolic step s, string p anticommutes with the generator G: each term
 * c·δ^μ (degree d) keeps cos ℓ up to degree useCos − d on p and sin ℓ up to useSin − d on iGQ
 * (the branch loop below applies exactly these limits), so what is dropped is c·δ^μ times the
 * two series remainders. gq is scratch.
 */
function recordSeriesCuts(
  rec: DropRecorder, store: TermStore, monos: MonomialTable, viability: Viability, program: SurrogateProgram,
  s: number, p: number, gq: Uint32Array, m: number, scratch: CutScratch,
): void {
  const { W, stride, gens } = program;
  const keys = store.paulis.keys;
  multiply(gens, s * stride, keys, p * stride, gq, 0, W);
  const reachCos = viability.requiredSins(keys, p * stride, s);
  const reachSin = viability.requiredSins(gq, 0, s);
  if (reachCos < 0 && reachSin < 0) return;
  const useCos = reachCos < 0 ? -1 : Math.max(-1, m - reachCos);
  const useSin = reachSin < 0 ? -1 : Math.max(-1, m - reachSin);
  // The branch loop keeps cos − 1 only when useCos > 0 and m ≥ 2 (expandTrig has no cos terms
  // below degree 2), which cosRemainderPower's clamp at 0 covers.
  for (let t = store.head[p]!; t >= 0; t = store.next[t]!) {
    const c = store.coef[t]!;
    if (c === 0) continue;
    const mu = store.monoOf[t]!;
    const d = monos.degree[mu]!;
    rec.seriesCut(s, mu, Math.abs(c), cosRemainderPower(useCos - d), reachCos, sinRemainderPower(useSin - d), reachSin);
  }
  // Frozen terms all have degree m: one batch per string.
  let n = 0;
  for (let t = store.headFrozen[p]!; t >= 0; t = store.next[t]!) {
    if (n === scratch.mono.length) scratch.grow();
    scratch.mono[n] = store.monoOf[t]!;
    scratch.weight[n++] = Math.abs(store.coef[t]!);
  }
  if (n > 0) rec.seriesCutMany(s, cosRemainderPower(useCos - m), reachCos, sinRemainderPower(useSin - m), reachSin, scratch.mono, scratch.weight, n);
}

/** Growable scratch for one string's frozen terms (monomial ids and |coefficients|). */
class CutScratch {
  mono = new Int32Array(256);
  weight = new Float64Array(256);
  grow(): void {
    const m = new Int32Array(this.mono.length * 2);
    m.set(this.mono);
    this.mono = m;
    const w = new Float64Array(this.weight.length * 2);
    w.set(this.weight);
    this.weight = w;
  }
}
