import { DEFAULT_TAIL_PROBABILITY } from '../bounds/order.js';
import { parseScaleExpression } from '../bounds/scale.js';
import { UserError } from '../ir/errors.js';
import type { Truncation } from '../propagation/options.js';

/**
 * Claims `nearclifford check` tests, written as `kind key=value …`:
 *
 *   taylor order=8 eps=1e-6 sigma=1/D          the order-m Taylor surrogate is within ε on the region
 *   paths max-sins=6 eps=1e-4 radius=0.05      the Pauli-path surrogate with at most S sin branches is
 *   propagate max-weight=4 min-abs=1e-8 eps=1e-3 sigma=D^-0.5
 *                                               numeric propagation with these truncations is
 *
 * The kind word may be left out when `order=` (taylor) or a propagation truncation (propagate) says
 * it. Regions: `sigma=S` (Gaussian δ ~ N(0, S²I), tested on ‖Aδ‖₁ ≤ t_p — the set `surrogate
 * --sigma` bounds, all but probability `tail=p`, default 1e−6 — with |δ_k| ≤ S·Φ⁻¹(1 − p/2D), see
 * sampling.ts), `radius=r`
 * (|δ_k| ≤ r), `l1=t` (‖δ‖₁ ≤ t); S, r and t may be written in D (`1/D`, `D^-0.5`). Propagation
 * claims without a region hold everywhere (`radius=pi`). `center=zero|random-clifford[:seed]`
 * sets the expansion point (the CLI's --center also takes a params file).
 */
export type ClaimRegion =
  | { readonly kind: 'sigma'; readonly text: string; readonly tail: number }
  | { readonly kind: 'radius'; readonly text: string }
  | { readonly kind: 'l1'; readonly text: string };

/** What every claim states: its tolerance, region and expansion point. */
export interface ClaimCommon {
  /** The claim as written. */
  readonly text: string;
  readonly eps: number;
  readonly region: ClaimRegion;
  /** `zero`, `random-clifford[:seed]`, or null (the caller's default). */
  readonly center: string | null;
  /** Which rigorous error bound the claim's surrogate reports (docs/bounds.md); default the tightest. */
  readonly bound: ClaimBound;
}

/** The bound kind a claim is checked with (`bound=`); `tightest` is the default. */
export type ClaimBound = 'apriori' | 'light-cone' | 'aposteriori' | 'tightest';
const CLAIM_BOUNDS: readonly ClaimBound[] = ['apriori', 'light-cone', 'aposteriori', 'tightest'];

/** A simulability claim: a Taylor order, a Pauli-path truncation or a propagation truncation, with its tolerance and region. */
export type Claim =
  | (ClaimCommon & { readonly kind: 'taylor'; readonly order: number })
  | (ClaimCommon & { readonly kind: 'paths'; readonly maxSins: number })
  | (ClaimCommon & { readonly kind: 'propagate'; readonly truncation: Truncation });

const KINDS = ['taylor', 'paths', 'propagate'] as const;
type Kind = (typeof KINDS)[number];

const KEYS: Record<string, { kinds: readonly Kind[]; help: string }> = {
  order: { kinds: ['taylor'], help: 'Taylor order m' },
  eps: { kinds: KINDS, help: 'error tolerance ε' },
  sigma: { kinds: KINDS, help: 'Gaussian region' },
  radius: { kinds: KINDS, help: 'hypercube region' },
  l1: { kinds: KINDS, help: 'ℓ1-ball region' },
  tail: { kinds: KINDS, help: 'Gaussian tail probability' },
  center: { kinds: KINDS, help: 'expansion point' },
  bound: { kinds: ['taylor', 'paths'], help: 'error bound kind (apriori, light-cone, aposteriori, tightest)' },
  'max-sins': { kinds: ['paths', 'propagate'], help: 'sin-branch truncation' },
  'max-weight': { kinds: ['propagate'], help: 'Pauli weight truncation' },
  'min-abs': { kinds: ['propagate'], help: 'coefficient truncation' },
  'max-freq': { kinds: ['propagate'], help: 'branch-count truncation' },
};

const ALIASES: Record<string, string> = { m: 'order', ε: 'eps', epsilon: 'eps', σ: 'sigma', r: 'radius', maxweight: 'max-weight', minabs: 'min-abs', maxsins: 'max-sins', maxfreq: 'max-freq' };

/** Parses a claim; mistakes are UserErrors naming the column. */
export function parseClaim(text: string): Claim {
  const fail = (col: number, msg: string): never => {
    throw new UserError(`\`claim\`: column ${col}: ${msg} in '${text}' (e.g. "order=8 eps=1e-6 sigma=1/D", "propagate max-weight=4 min-abs=1e-8 eps=1e-3 sigma=0.1")`);
  };
  const tokens: { word: string; col: number }[] = [];
  for (const m of text.matchAll(/[^\s,]+/g)) tokens.push({ word: m[0], col: (m.index ?? 0) + 1 });
  if (tokens.length === 0) fail(1, 'empty claim');
  let kind: Kind | null = null;
  const values = new Map<string, { value: string; col: number }>();
  for (const [i, { word, col }] of tokens.entries()) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      const k = word.toLowerCase();
      if (i === 0 && (KINDS as readonly string[]).includes(k)) {
        kind = k as Kind;
        continue;
      }
      fail(col, `expected key=value${i === 0 ? ' or a kind (taylor, paths, propagate)' : ''}, got '${word}'`);
    }
    const raw = word.slice(0, eq).toLowerCase().replace(/_/g, '-');
    const key = ALIASES[raw] ?? raw;
    if (!KEYS[key]) fail(col, `unknown key '${raw}' (known: ${Object.keys(KEYS).join(', ')})`);
    if (values.has(key)) fail(col, `'${key}' given twice`);
    const value = word.slice(eq + 1);
    if (value === '') fail(col, `'${key}' has no value`);
    values.set(key, { value, col: col + eq + 1 });
  }
  const k: Kind = kind ?? (values.has('order') ? 'taylor'
    : ['max-weight', 'min-abs', 'max-freq'].some((x) => values.has(x)) ? 'propagate'
    : fail(1, 'say what is claimed: give order=m (Taylor), or start with taylor, paths or propagate'));
  for (const [key, { col }] of values) {
    if (!KEYS[key]!.kinds.includes(k)) fail(col, `'${key}' (${KEYS[key]!.help}) does not apply to a ${k} claim`);
  }

  const number = (key: string, check: (v: number) => boolean, what: string): number | undefined => {
    const e = values.get(key);
    if (!e) return undefined;
    const v = Number(e.value);
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^inf(inity)?$/i.test(e.value) || !check(v)) fail(e.col, `${key} must be ${what}, got '${e.value}'`);
    return v;
  };
  const integer = (key: string) => number(key, (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0');
  const eps = number('eps', (v) => v > 0 && Number.isFinite(v), 'a positive number');
  if (eps === undefined) fail(text.length + 1, 'missing eps=ε');

  const regionKeys = (['sigma', 'radius', 'l1'] as const).filter((r) => values.has(r));
  if (regionKeys.length > 1) fail(values.get(regionKeys[1]!)!.col, `give one region, not ${regionKeys.join(' and ')}`);
  if (values.has('tail') && regionKeys[0] !== 'sigma') fail(values.get('tail')!.col, 'tail= applies to sigma= regions');
  let region: ClaimRegion;
  if (regionKeys.length === 0) {
    if (k !== 'propagate') fail(text.length + 1, 'missing region: sigma=S, radius=r or l1=t');
    region = { kind: 'radius', text: 'pi' };
  } else {
    const rk = regionKeys[0]!;
    const { value, col } = values.get(rk)!;
    try {
      parseScaleExpression(value, rk);
    } catch (e) {
      fail(col, (e as Error).message);
    }
    region = rk === 'sigma'
      ? { kind: 'sigma', text: value, tail: number('tail', (v) => v > 0 && v < 1, 'a probability in (0, 1)') ?? DEFAULT_TAIL_PROBABILITY }
      : { kind: rk, text: value };
  }
  const centerEntry = values.get('center');
  const center = centerEntry ? centerEntry.value : null;
  if (centerEntry && !/^(zero|random-clifford(:\d+)?)$/.test(centerEntry.value)) {
    fail(centerEntry.col, `center must be zero or random-clifford[:seed] (a params file goes to \`center\`), got '${centerEntry.value}'`);
  }
  const boundEntry = values.get('bound');
  if (boundEntry && !CLAIM_BOUNDS.includes(boundEntry.value as ClaimBound)) {
    fail(boundEntry.col, `bound must be one of ${CLAIM_BOUNDS.join(', ')}, got '${boundEntry.value}'`);
  }
  const bound = (boundEntry?.value ?? 'tightest') as ClaimBound;
  const common = { text, eps: eps!, region, center, bound };
  if (k === 'taylor') {
    const order = integer('order');
    if (order === undefined) fail(text.length + 1, 'missing order=m');
    if (order! > 255) fail(values.get('order')!.col, 'the order must be at most 255');
    return { ...common, kind: 'taylor', order: order! };
  }
  if (k === 'paths') {
    const maxSins = integer('max-sins');
    if (maxSins === undefined) fail(text.length + 1, 'missing max-sins=S');
    return { ...common, kind: 'paths', maxSins: maxSins! };
  }
  const truncation: Truncation = {};
  const mw = integer('max-weight');
  const ma = number('min-abs', (v) => v >= 0 && Number.isFinite(v), 'a number ≥ 0');
  const ms = integer('max-sins');
  const mf = integer('max-freq');
  if (mw !== undefined) truncation.maxWeight = mw;
  if (ma !== undefined) truncation.minAbs = ma;
  if (ms !== undefined) truncation.maxSins = ms;
  if (mf !== undefined) truncation.maxFreq = mf;
  return { ...common, kind: 'propagate', truncation };
}

/** The claim in canonical form (for reports and replay commands). */
export function formatClaim(c: Claim): string {
  const parts: string[] = [c.kind];
  if (c.kind === 'taylor') parts.push(`order=${c.order}`);
  if (c.kind === 'paths') parts.push(`max-sins=${c.maxSins}`);
  if (c.kind === 'propagate') {
    const t = c.truncation;
    if (t.maxWeight !== undefined) parts.push(`max-weight=${t.maxWeight}`);
    if (t.minAbs !== undefined) parts.push(`min-abs=${t.minAbs}`);
    if (t.maxSins !== undefined) parts.push(`max-sins=${t.maxSins}`);
    if (t.maxFreq !== undefined) parts.push(`max-freq=${t.maxFreq}`);
  }
  parts.push(`eps=${c.eps}`);
  parts.push(`${c.region.kind}=${c.region.text}`);
  if (c.region.kind === 'sigma' && c.region.tail !== DEFAULT_TAIL_PROBABILITY) parts.push(`tail=${c.region.tail}`);
  if (c.center !== null) parts.push(`center=${c.center}`);
  if (c.bound !== 'tightest') parts.push(`bound=${c.bound}`);
  return parts.join(' ');
}
