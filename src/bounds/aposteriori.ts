import { UserError } from '../ir/errors.js';
import { absRowValues, rowCount, rowL1Norms, subsetStats, twoSidedNormalQuantile, type AngleRows } from './angle-rows.js';

/** Moment orders q tried by the Gaussian moment bound (a fixed grid: the choice is deterministic). */
const Q_GRID = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
import { gaussianL1Quantile, lnGamma, logExpTail, logFactorial, type Region } from './order.js';

/**
 * The a-posteriori remainder bound (docs/bounds.md §3). During a build, every dropped piece is
 * reported to a RemainderAccumulator (it implements surrogate/drop-recorder.ts's DropRecorder);
 * pieces with the same monomial, step, remainder powers and reaches are merged by adding their
 * weights, so the stored data has one entry per distinct key, not per event. The final error is
 *
 *   |C(δ) − S(δ)| ≤ Σ_entries w·|δ^μ|·( |ℓ_g(δ)|^{kc}/kc!·R(h, rc) + |ℓ_g(δ)|^{ks}/ks!·R(h, rs) )
 *
 * with g the symbolic gate of step h (powers 0 for whole pieces), and the reach factor
 *   R(h, r) = 1 for r = 0, 0 for unreachable, else min(1, Φ_h·Σ_{k≥r} T_h^k/k!),
 *   T_h = Σ_{symbolic g before h} |sin ℓ_g(δ)|,  Φ_h = Π_{fixed steps before h} (|cos r|+|sin r|),
 * a bound on |⟨ψ0|V_h† Q V_h|ψ0⟩| for a string Q needing r sin branches (docs/bounds.md §3.3).
 */

/** Reach stored for unreachable strings (R = 0); never recorded, kept for completeness. */
const REACH_NONE = 0xffff;
/** Power marking "no sin part" (whole pieces). */
export const POWER_NONE = 0xffff;

/** Per-step structure the reach factors need, from the builder's program. */
export interface StepStructure {
  readonly numSteps: number;
  /** Row (symbolic gate index) of step s, −1 for a fixed step. */
  readonly rowOf: Int32Array;
  /** |cos r| + |sin r| of fixed step s (1 for symbolic steps). */
  readonly fixedGain: Float64Array;
}

export class RemainderAccumulator {
  private readonly maxReach: number;
  private keys: Int32Array;
  private weights: Float64Array;
  private index: Int32Array;
  private mask: number;
  size = 0;
  /** Events reported (before merging), for reports. */
  events = 0;
  private readonly steps: StepStructure;
  private readonly maxEntries: number;

  /** maxReach: reaches above it are clamped down (R falls with the reach, so this only loosens). */
  constructor(steps: StepStructure, maxReach: number, maxEntries = 1 << 26) {
    this.steps = steps;
    this.maxReach = Math.max(1, Math.min(maxReach, 0xfffe));
    this.maxEntries = maxEntries;
    this.keys = new Int32Array(4 * 1024);
    this.weights = new Float64Array(1024);
    this.index = new Int32Array(2048).fill(-1);
    this.mask = 2047;
  }

  private reachCode(r: number): number {
    return r < 0 ? REACH_NONE : Math.min(r, this.maxReach);
  }

  // Series cuts arrive step by step, most with one of a few (powers, reaches) classes and
  // many monomials (every frozen term of every anticommuting string). Within a step they are
  // summed into dense per-class arrays indexed by monomial id and inserted once per distinct
  // (class, monomial) when the step changes: one array add per event instead of a hash probe.
  private batchStep = -1;
  private classKey2 = new Int32Array(16);
  private classKey3 = new Int32Array(16);
  private classes = 0;
  private dense: Float64Array[] = [];
  private touched: Int32Array[] = [];
  private touchedCount = new Int32Array(16);

  seriesCut(step: number, mono: number, weight: number, cosPower: number, cosReach: number, sinPower: number, sinReach: number): void {
    if (weight === 0) return;
    const c = this.classOf(step, cosPower, cosReach, sinPower, sinReach);
    if (c >= 0) this.addToClass(c, mono, weight);
    else if (c === -1) this.insert(mono, step, cosPower, sinPower, this.reachCode(cosReach), this.reachCode(sinReach), weight);
  }

  seriesCutMany(
    step: number, cosPower: number, cosReach: number, sinPower: number, sinReach: number, monos: Int32Array, weights: Float64Array, count: number,
  ): void {
    const c = this.classOf(step, cosPower, cosReach, sinPower, sinReach);
    if (c === -2) return;
    for (let i = 0; i < count; i++) {
      const w = weights[i]!;
      if (w === 0) continue;
      if (c >= 0) this.addToClass(c, monos[i]!, w);
      else this.insert(monos[i]!, step, cosPower, sinPower, this.reachCode(cosReach), this.reachCode(sinReach), w);
    }
  }

  /** The batch class of a cut at `step` (flushing the previous step); −1: no slot, −2: contributes 0. */
  private classOf(step: number, cosPower: number, cosReach: number, sinPower: number, sinReach: number): number {
    const rc = this.reachCode(cosReach);
    const rs = this.reachCode(sinReach);
    if (rc === REACH_NONE && rs === REACH_NONE) return -2;
    const pc = rc === REACH_NONE ? POWER_NONE : cosPower;
    const ps = rs === REACH_NONE ? POWER_NONE : sinPower;
    if (step !== this.batchStep) {
      this.flush();
      this.batchStep = step;
    }
    const k2 = (pc | (ps << 16)) | 0;
    const k3 = (rc | (rs << 16)) | 0;
    let c = 0;
    while (c < this.classes && (this.classKey2[c] !== k2 || this.classKey3[c] !== k3)) c++;
    if (c === this.classes) {
      if (c === this.classKey2.length) return -1;
      this.classKey2[c] = k2;
      this.classKey3[c] = k3;
      this.classes++;
      this.touchedCount[c] = 0;
      if (this.dense.length <= c) {
        this.dense.push(new Float64Array(1024));
        this.touched.push(new Int32Array(256));
      }
    }
    return c;
  }

  private addToClass(c: number, mono: number, weight: number): void {
    let d = this.dense[c]!;
    if (mono >= d.length) {
      const g = new Float64Array(Math.max(mono + 1, 2 * d.length));
      g.set(d);
      this.dense[c] = d = g;
    }
    this.events++;
    if (d[mono] === 0) {
      let t = this.touched[c]!;
      const n = this.touchedCount[c]!;
      if (n === t.length) {
        const g = new Int32Array(2 * n);
        g.set(t);
        this.touched[c] = t = g;
      }
      t[n] = mono;
      this.touchedCount[c] = n + 1;
    }
    d[mono]! += weight;
  }

  /** Moves the current step's batched series cuts into the entry table. */
  private flush(): void {
    const step = this.batchStep;
    for (let c = 0; c < this.classes; c++) {
      const d = this.dense[c]!;
      const t = this.touched[c]!;
      const k2 = this.classKey2[c]!;
      const k3 = this.classKey3[c]!;
      for (let i = 0; i < this.touchedCount[c]!; i++) {
        const mono = t[i]!;
        const w = d[mono]!;
        d[mono] = 0;
        if (w === 0) continue;
        // (mono, step, class) is new: steps arrive once, in decreasing order, and direct
        // inserts never share a batched class. So append without the hash index.
        this.append(mono, step, k2, k3, w);
      }
      this.touchedCount[c] = 0;
    }
    this.classes = 0;
    this.batchStep = -1;
  }

  pruned(horizon: number, mono: number, weight: number, reach: number): void {
    if (weight === 0 || reach < 0) return;
    this.insert(mono, horizon, 0, POWER_NONE, this.reachCode(reach), REACH_NONE, weight);
  }

  /**
   * Set when the entries would exceed maxEntries: recording stops and `finish` returns null, so
   * the surrogate carries no (incomplete, hence unsound) a-posteriori certificate.
   */
  overflowed = false;

  private insert(mono: number, step: number, pc: number, ps: number, rc: number, rs: number, w: number): void {
    if (this.overflowed) return;
    this.events++;
    const k2 = (pc | (ps << 16)) | 0;
    const k3 = (rc | (rs << 16)) | 0;
    let h = Math.imul(mono, 0x9e3779b1) ^ Math.imul(step + 0x632be5ab, 0x85ebca77) ^ Math.imul(k2, 0xc2b2ae35) ^ Math.imul(k3, 0x27d4eb2f);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const keys = this.keys;
    let slot = h & this.mask;
    for (;;) {
      const e = this.index[slot]!;
      if (e < 0) break;
      const o = 4 * e;
      if (keys[o] === mono && keys[o + 1] === step && keys[o + 2] === k2 && keys[o + 3] === k3) {
        this.weights[e]! += w;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.weights.length) {
      if (!this.grow()) return;
      this.insert(mono, step, pc, ps, rc, rs, w);
      this.events--;
      return;
    }
    const e = this.size++;
    const o = 4 * e;
    this.keys[o] = mono;
    this.keys[o + 1] = step;
    this.keys[o + 2] = k2;
    this.keys[o + 3] = k3;
    this.weights[e] = w;
    this.index[slot] = e;
    this.indexed.push(e);
  }

  /** Entries reachable through the hash index (direct inserts only). */
  private indexed: number[] = [];

  private append(mono: number, step: number, k2: number, k3: number, w: number): void {
    if (this.overflowed) return;
    if (this.size === this.weights.length && !this.grow()) return;
    const e = this.size++;
    const o = 4 * e;
    this.keys[o] = mono;
    this.keys[o + 1] = step;
    this.keys[o + 2] = k2;
    this.keys[o + 3] = k3;
    this.weights[e] = w;
  }

  /** Doubles the entry table; false (and overflowed) past maxEntries. */
  private grow(): boolean {
    const cap = this.weights.length * 2;
    if (cap > this.maxEntries) {
      this.overflowed = true;
      return false;
    }
    const k = new Int32Array(4 * cap);
    k.set(this.keys);
    this.keys = k;
    const w = new Float64Array(cap);
    w.set(this.weights);
    this.weights = w;
    this.index = new Int32Array(2 * cap).fill(-1);
    this.mask = 2 * cap - 1;
    for (const e of this.indexed) {
      const o = 4 * e;
      let h = Math.imul(k[o]!, 0x9e3779b1) ^ Math.imul(k[o + 1]! + 0x632be5ab, 0x85ebca77) ^ Math.imul(k[o + 2]!, 0xc2b2ae35) ^ Math.imul(k[o + 3]!, 0x27d4eb2f);
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 12;
      let slot = h & this.mask;
      while (this.index[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.index[slot] = e;
    }
    return true;
  }

  /**
   * The stored form: distinct monomials as variable lists (monomial id μ has degree[μ] flat
   * parameter indices at vars[μ·stride …]), entries referencing them.
   */
  finish(degree: Uint8Array, vars: Int32Array, stride: number): AposterioriData | null {
    this.flush();
    if (this.overflowed) return null;
    const n = this.size;
    let maxMono = 0;
    for (let e = 0; e < n; e++) if (this.keys[4 * e]! > maxMono) maxMono = this.keys[4 * e]!;
    const monoIndex = new Int32Array(maxMono + 1).fill(-1);
    let nMono = 0;
    let nVars = 0;
    for (let e = 0; e < n; e++) {
      const mono = this.keys[4 * e]!;
      if (monoIndex[mono]! < 0) {
        monoIndex[mono] = nMono++;
        nVars += degree[mono]!;
      }
    }
    const monoOffsets = new Int32Array(nMono + 1);
    const monoVars = new Int32Array(nVars);
    const entryMono = new Int32Array(n);
    // Offsets in first-seen order (monoIndex order), then the variables.
    const order = new Int32Array(nMono);
    for (let mono = 0; mono <= maxMono; mono++) if (monoIndex[mono]! >= 0) order[monoIndex[mono]!] = mono;
    for (let j = 0; j < nMono; j++) {
      const mono = order[j]!;
      const d = degree[mono]!;
      monoOffsets[j + 1] = monoOffsets[j]! + d;
      for (let k = 0; k < d; k++) monoVars[monoOffsets[j]! + k] = vars[mono * stride + k]!;
    }
    for (let e = 0; e < n; e++) entryMono[e] = monoIndex[this.keys[4 * e]!]!;
    const entryStep = new Int32Array(n);
    const cosPower = new Uint16Array(n);
    const sinPower = new Uint16Array(n);
    const cosReach = new Uint16Array(n);
    const sinReach = new Uint16Array(n);
    for (let e = 0; e < n; e++) {
      const o = 4 * e;
      entryStep[e] = this.keys[o + 1]!;
      cosPower[e] = this.keys[o + 2]! & 0xffff;
      sinPower[e] = (this.keys[o + 2]! >>> 16) & 0xffff;
      cosReach[e] = this.keys[o + 3]! & 0xffff;
      sinReach[e] = (this.keys[o + 3]! >>> 16) & 0xffff;
    }
    const S = this.steps.numSteps;
    const rowsBefore = new Int32Array(S + 1);
    const phi = new Float64Array(S + 1);
    phi[0] = 1;
    for (let s = 0; s < S; s++) {
      rowsBefore[s + 1] = rowsBefore[s]! + (this.steps.rowOf[s]! >= 0 ? 1 : 0);
      phi[s + 1] = phi[s]! * (this.steps.rowOf[s]! >= 0 ? 1 : this.steps.fixedGain[s]!);
    }
    const rowOf = new Int32Array(S + 1).fill(-1);
    rowOf.set(this.steps.rowOf.subarray(0, S));
    return new AposterioriData({
      maxReach: this.maxReach, rowOf, rowsBefore, phi, monoOffsets, monoVars,
      entryMono, entryStep, cosPower, sinPower, cosReach, sinReach, weight: this.weights.slice(0, n), events: this.events,
    });
  }
}

interface AposterioriFields {
  readonly maxReach: number;
  readonly rowOf: Int32Array;
  readonly rowsBefore: Int32Array;
  readonly phi: Float64Array;
  readonly monoOffsets: Int32Array;
  readonly monoVars: Int32Array;
  readonly entryMono: Int32Array;
  readonly entryStep: Int32Array;
  readonly cosPower: Uint16Array;
  readonly sinPower: Uint16Array;
  readonly cosReach: Uint16Array;
  readonly sinReach: Uint16Array;
  readonly weight: Float64Array;
  readonly events: number;
}

const INV_FACT = (() => {
  const t = new Float64Array(171);
  t[0] = 1;
  for (let k = 1; k <= 170; k++) t[k] = t[k - 1]! / k;
  return t;
})();

/** x^k/k! for x ≥ 0. */
function powOverFact(x: number, k: number): number {
  if (k === 0) return 1;
  if (x === 0) return 0;
  if (k <= 170) {
    const v = Math.pow(x, k) * INV_FACT[k]!;
    if (Number.isFinite(v)) return v;
  }
  return Math.exp(k * Math.log(x) - logFactorial(k));
}

/**
 * What evaluates the a-posteriori bound: at a point from |δ_k| and |ℓ_g(δ)|, over a hypercube
 * from their maxima (every factor is non-decreasing in them), over a Gaussian region from the
 * hypercube that contains δ except with the stated probability.
 */
export class AposterioriData implements AposterioriFields {
  readonly maxReach!: number;
  readonly rowOf!: Int32Array;
  readonly rowsBefore!: Int32Array;
  readonly phi!: Float64Array;
  readonly monoOffsets!: Int32Array;
  readonly monoVars!: Int32Array;
  readonly entryMono!: Int32Array;
  readonly entryStep!: Int32Array;
  readonly cosPower!: Uint16Array;
  readonly sinPower!: Uint16Array;
  readonly cosReach!: Uint16Array;
  readonly sinReach!: Uint16Array;
  readonly weight!: Float64Array;
  readonly events!: number;

  constructor(f: AposterioriFields) {
    Object.assign(this, f);
  }

  get entries(): number {
    return this.weight.length;
  }

  /**
   * The bound from per-variable magnitudes absDelta[k] ≥ |δ_k|, per-row magnitudes absAngle[g]
   * ≥ |ℓ_g(δ)| and per-row sines absSin[g] ≥ |sin ℓ_g(δ)|.
   */
  private evaluateFrom(absDelta: Float64Array, absAngle: Float64Array, absSin: Float64Array): number {
    const S = this.rowOf.length - 1;
    const G = absAngle.length;
    const sinPrefix = new Float64Array(G + 1);
    for (let g = 0; g < G; g++) sinPrefix[g + 1] = sinPrefix[g]! + absSin[g]!;
    const B = this.maxReach + 1;
    // Reach factors R(h, r), filled on first use.
    const reach = new Float64Array((S + 1) * B).fill(-1);
    const R = (h: number, r: number): number => {
      if (r === 0) return 1;
      if (r === REACH_NONE) return 0;
      const i = h * B + r;
      let v = reach[i]!;
      if (v < 0) {
        const T = sinPrefix[this.rowsBefore[h]!]!;
        v = T === 0 ? 0 : Math.min(1, this.phi[h]! * Math.exp(logExpTail(T, r)));
        reach[i] = v;
      }
      return v;
    };
    const nMono = this.monoOffsets.length - 1;
    const monoAbs = new Float64Array(nMono);
    for (let j = 0; j < nMono; j++) {
      let v = 1;
      for (let i = this.monoOffsets[j]!; i < this.monoOffsets[j + 1]!; i++) v *= absDelta[this.monoVars[i]!]!;
      monoAbs[j] = v;
    }
    let total = 0;
    const n = this.weight.length;
    for (let e = 0; e < n; e++) {
      const m = monoAbs[this.entryMono[e]!]!;
      if (m === 0) continue;
      const h = this.entryStep[e]!;
      const g = this.rowOf[h]!;
      const x = g >= 0 ? absAngle[g]! : 0;
      let f = 0;
      const pc = this.cosPower[e]!;
      if (pc !== POWER_NONE) f += (pc === 0 ? 1 : powOverFact(x, pc)) * R(h, this.cosReach[e]!);
      const ps = this.sinPower[e]!;
      if (ps !== POWER_NONE) f += (ps === 0 ? 1 : powOverFact(x, ps)) * R(h, this.sinReach[e]!);
      total += this.weight[e]! * m * f;
    }
    return total;
  }

  /** The bound at displacement δ. */
  atDisplacement(rows: AngleRows, delta: Float64Array): number {
    const G = rowCount(rows);
    const absDelta = Float64Array.from(delta, Math.abs);
    const absAngle = new Float64Array(G);
    absRowValues(rows, delta, absAngle);
    const absSin = new Float64Array(G);
    for (let g = 0; g < G; g++) absSin[g] = Math.min(1, Math.abs(Math.sin(absAngle[g]!)), absAngle[g]!);
    return this.evaluateFrom(absDelta, absAngle, absSin);
  }

  /** The bound over |δ_k| ≤ r. */
  overHypercube(rows: AngleRows, r: number): number {
    const G = rowCount(rows);
    const absDelta = new Float64Array(rows.numParameters).fill(r);
    const absAngle = rowL1Norms(rows);
    const absSin = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      absAngle[g]! *= r;
      absSin[g] = Math.min(1, absAngle[g]!);
    }
    return this.evaluateFrom(absDelta, absAngle, absSin);
  }

  /**
   * Over δ ~ N(0, σ²I) except with probability ≤ p: the smaller of two bounds, each allowed p/2.
   *  (a) Union bound: all |δ_k| ≤ σ·z, z the two-sided normal quantile at p/(2D); the hypercube
   *      bound at σz holds.
   *  (b) Moments (docs/bounds.md §3.4): with T ≤ t_q (the Gaussian quantile of ‖Aδ‖₁ at p/4,
   *      |sin x| ≤ |x|) the reach factors are constants R_e, and the bound is Y = Σ_e w_e R_e X_e
   *      with X_e = |δ^μ|·|ℓ_g|^k/k!. Minkowski: ‖Y‖_q ≤ Σ_e w_e R_e ‖X_e‖_q, with ‖X_e‖_q exact
   *      from independent coordinates (E|Z|^s = 2^{s/2}Γ((s+1)/2)/√π) when ℓ_g has one parameter,
   *      else by Hölder ‖δ^μ‖_{2q}‖ℓ_g^k‖_{2q}. Markov: P(Y > ‖Y‖_q·(p/4)^{−1/q}) ≤ p/4, for each
   *      q of a fixed grid, so the smallest of these (a deterministic choice) holds except with p/4.
   */
  overGaussian(rows: AngleRows, sigma: number, tailProbability: number): number {
    const D = Math.max(1, rows.numParameters);
    const p = tailProbability / 2;
    const union = this.overHypercube(rows, sigma * twoSidedNormalQuantile(p / D));
    return Math.min(union, this.gaussianMoments(rows, sigma, p));
  }

  private gaussianMoments(rows: AngleRows, sigma: number, p: number): number {
    if (sigma === 0) return 0;
    // The per-entry constants take 8·2·|grid| bytes per entry; beyond 128 MB use the union bound.
    if (this.weight.length * 2 * Q_GRID.length > 1 << 24) return Infinity;
    const G = rowCount(rows);
    const all = Int32Array.from({ length: G }, (_, g) => g);
    const tq = G === 0 ? 0 : gaussianL1Quantile(subsetStats(rows, all), sigma, p / 2);
    const S = this.rowOf.length - 1;
    const B = this.maxReach + 1;
    const reachCache = new Float64Array((S + 1) * B).fill(-1);
    const R = (h: number, r: number): number => {
      if (r === 0) return 1;
      if (r === REACH_NONE) return 0;
      const i = h * B + r;
      let v = reachCache[i]!;
      if (v < 0) {
        const T = Math.min(tq, this.rowsBefore[h]!);
        v = T === 0 ? 0 : Math.min(1, this.phi[h]! * Math.exp(logExpTail(T, r)));
        reachCache[i] = v;
      }
      return v;
    };
    const { lnConst, degree } = this.momentConstants(rows);
    const lnSigma = Math.log(sigma);
    const n = this.weight.length;
    const nq = Q_GRID.length;
    let best = Infinity;
    for (let qi = 0; qi < nq; qi++) {
      const q = Q_GRID[qi]!;
      let total = 0;
      for (let e = 0; e < n; e++) {
        const h = this.entryStep[e]!;
        for (let part = 0; part < 2; part++) {
          const c = lnConst[(e * 2 + part) * nq + qi]!;
          if (c === -Infinity) continue;
          const Rv = R(h, part === 0 ? this.cosReach[e]! : this.sinReach[e]!);
          if (Rv === 0) continue;
          total += this.weight[e]! * Rv * Math.exp(degree[e * 2 + part]! * lnSigma + c);
        }
      }
      const t = total * Math.pow(p / 2, -1 / q);
      if (t < best) best = t;
    }
    return best;
  }

  private momentCache: { lnConst: Float64Array; degree: Float64Array } | null = null;

  /**
   * Per entry part (cos, sin) and moment order q: ln‖X‖_q − n·ln σ (independent of σ), and the
   * degree n in σ; −∞ for absent parts. Computed once per surrogate.
   */
  private momentConstants(rows: AngleRows): { lnConst: Float64Array; degree: Float64Array } {
    if (this.momentCache) return this.momentCache;
    const G = rowCount(rows);
    const single = new Int32Array(G).fill(-1);
    const lnSingle = new Float64Array(G);
    const lnL2 = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      const a = rows.offsets[g]!, b = rows.offsets[g + 1]!;
      let s2 = 0;
      for (let i = a; i < b; i++) s2 += rows.coeffs[i]! ** 2;
      lnL2[g] = 0.5 * Math.log(s2);
      if (b - a === 1) {
        single[g] = rows.params[a]!;
        lnSingle[g] = Math.log(Math.abs(rows.coeffs[a]!));
      }
    }
    // ln ‖|Z|^s‖_r = ln E|Z|^{rs} / r with E|Z|^u = 2^{u/2} Γ((u+1)/2)/√π.
    const lnAbsMoment = (u: number) => (u / 2) * Math.LN2 + lnGamma((u + 1) / 2) - 0.5 * Math.log(Math.PI);
    const nq = Q_GRID.length;
    const n = this.weight.length;
    const lnConst = new Float64Array(n * 2 * nq).fill(-Infinity);
    const degree = new Float64Array(n * 2);
    const vars: number[] = [];
    const mult: number[] = [];
    const lnNorm = (r: number): number => {
      let v = 0;
      for (const c of mult) v += lnAbsMoment(r * c) / r;
      return v;
    };
    for (let e = 0; e < n; e++) {
      const j = this.entryMono[e]!;
      const g = this.rowOf[this.entryStep[e]!]!;
      for (let part = 0; part < 2; part++) {
        const k = part === 0 ? this.cosPower[e]! : this.sinPower[e]!;
        if (k === POWER_NONE) continue;
        // Multiplicities of the monomial's variables (sorted lists: runs), plus the gate's own.
        vars.length = 0;
        mult.length = 0;
        for (let i = this.monoOffsets[j]!; i < this.monoOffsets[j + 1]!; i++) {
          const v = this.monoVars[i]!;
          const at = vars.indexOf(v);
          if (at >= 0) mult[at]!++;
          else {
            vars.push(v);
            mult.push(1);
          }
        }
        const deg = this.monoOffsets[j + 1]! - this.monoOffsets[j]!;
        const o = (e * 2 + part) * nq;
        if (k === 0 || g < 0) {
          degree[e * 2 + part] = deg;
          for (let qi = 0; qi < nq; qi++) lnConst[o + qi] = lnNorm(Q_GRID[qi]!);
        } else if (single[g]! >= 0) {
          const v = single[g]!;
          const at = vars.indexOf(v);
          if (at >= 0) mult[at]! += k;
          else {
            vars.push(v);
            mult.push(k);
          }
          degree[e * 2 + part] = deg + k;
          for (let qi = 0; qi < nq; qi++) lnConst[o + qi] = lnNorm(Q_GRID[qi]!) + k * lnSingle[g]! - logFactorial(k);
        } else {
          degree[e * 2 + part] = deg + k;
          for (let qi = 0; qi < nq; qi++) {
            const q = Q_GRID[qi]!;
            lnConst[o + qi] = lnNorm(2 * q) + k * lnL2[g]! + lnAbsMoment(2 * q * k) / (2 * q) - logFactorial(k);
          }
        }
      }
    }
    this.momentCache = { lnConst, degree };
    return this.momentCache;
  }

  overRegion(rows: AngleRows, region: Region): number {
    return region.kind === 'hypercube'
      ? this.overHypercube(rows, region.radius)
      : this.overGaussian(rows, region.sigma, region.tailProbability);
  }

  toJSON(): Record<string, unknown> {
    return {
      max_reach: this.maxReach,
      events: this.events,
      row_of: Array.from(this.rowOf),
      fixed_gain_prefix: Array.from(this.phi),
      mono_offsets: Array.from(this.monoOffsets),
      mono_vars: Array.from(this.monoVars),
      entry_mono: Array.from(this.entryMono),
      entry_step: Array.from(this.entryStep),
      cos_power: Array.from(this.cosPower),
      sin_power: Array.from(this.sinPower),
      cos_reach: Array.from(this.cosReach),
      sin_reach: Array.from(this.sinReach),
      weight: Array.from(this.weight),
    };
  }

  static fromJSON(json: unknown, numParameters: number, numRows: number, where: string): AposterioriData {
    const fail = (msg: string): never => {
      throw new UserError(`${where}: aposteriori: ${msg}`);
    };
    if (typeof json !== 'object' || json === null) fail('expected an object');
    const d = json as Record<string, unknown>;
    const ints = (k: string, min: number, max: number): number[] => {
      const v = d[k];
      if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x) || x < min || x > max)) fail(`${k} must be a list of integers in [${min}, ${max}]`);
      return v as number[];
    };
    const maxReach = d.max_reach;
    if (!Number.isInteger(maxReach) || (maxReach as number) < 1 || (maxReach as number) > 0xfffe) fail('max_reach must be an integer in [1, 65534]');
    const rowOf = ints('row_of', -1, numRows - 1);
    const phiRaw = d.fixed_gain_prefix;
    if (!Array.isArray(phiRaw) || phiRaw.length !== rowOf.length || phiRaw.some((x) => typeof x !== 'number' || !(x >= 1 - 1e-12))) {
      fail('fixed_gain_prefix must be a list of numbers ≥ 1, one per step');
    }
    const rowsBefore = new Int32Array(rowOf.length);
    for (let s = 0; s + 1 < rowOf.length; s++) rowsBefore[s + 1] = rowsBefore[s]! + (rowOf[s]! >= 0 ? 1 : 0);
    const monoOffsets = ints('mono_offsets', 0, 2 ** 31 - 1);
    const monoVars = ints('mono_vars', 0, numParameters - 1);
    if (monoOffsets[0] !== 0 || monoOffsets[monoOffsets.length - 1] !== monoVars.length) fail('mono_offsets do not match mono_vars');
    for (let i = 1; i < monoOffsets.length; i++) if (monoOffsets[i]! < monoOffsets[i - 1]!) fail('mono_offsets must not decrease');
    const entryMono = ints('entry_mono', 0, monoOffsets.length - 2);
    const n = entryMono.length;
    const same = (k: string, v: number[]) => {
      if (v.length !== n) fail(`${k} must have one value per entry`);
      return v;
    };
    const entryStep = same('entry_step', ints('entry_step', 0, rowOf.length - 1));
    const cos = same('cos_power', ints('cos_power', 0, 0xffff));
    const sin = same('sin_power', ints('sin_power', 0, 0xffff));
    const cr = same('cos_reach', ints('cos_reach', 0, 0xffff));
    const sr = same('sin_reach', ints('sin_reach', 0, 0xffff));
    const w = d.weight;
    if (!Array.isArray(w) || w.length !== n || w.some((x) => typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x))) fail('weight must be a list of finite numbers ≥ 0, one per entry');
    for (let e = 0; e < n; e++) {
      if ((cos[e]! > 0 && cos[e] !== POWER_NONE) || (sin[e] !== POWER_NONE)) {
        if (rowOf[entryStep[e]!]! < 0) fail(`entry ${e} has a series remainder at a step without a symbolic gate`);
      }
    }
    return new AposterioriData({
      maxReach: maxReach as number, rowOf: Int32Array.from(rowOf), rowsBefore, phi: Float64Array.from(phiRaw as number[]),
      monoOffsets: Int32Array.from(monoOffsets), monoVars: Int32Array.from(monoVars), entryMono: Int32Array.from(entryMono),
      entryStep: Int32Array.from(entryStep), cosPower: Uint16Array.from(cos), sinPower: Uint16Array.from(sin),
      cosReach: Uint16Array.from(cr), sinReach: Uint16Array.from(sr), weight: Float64Array.from(w as number[]),
      events: typeof d.events === 'number' ? d.events : 0,
    });
  }
}
