import { UserError } from '../ir/errors.js';
import { createRng } from '../random/rng.js';

/**
 * Expansion points. `zero` is the all-zeros point; `random-clifford[:seed]` draws every parameter
 * uniformly from {0, π/2, π, 3π/2} (seeded). Gate angles that are not multiples of π/2 at the
 * point (scaled parameters, constant offsets) are kept exactly as numeric branches.
 */
export type CenterSpec = { kind: 'zero' } | { kind: 'random-clifford'; seed: number } | { kind: 'file'; path: string };

/** Parses `zero`, `random-clifford[:seed]` or a file path; a malformed `random…` spec is a UserError. */
export function parseCenterSpec(text: string): CenterSpec {
  const t = text.trim();
  if (t === 'zero') return { kind: 'zero' };
  const m = /^random-clifford(?::(\d+))?$/.exec(t);
  if (m) return { kind: 'random-clifford', seed: m[1] === undefined ? 0 : Number(m[1]) };
  if (t.startsWith('random')) throw new UserError(`\`center\`: write random-clifford or random-clifford:SEED (SEED a non-negative integer), got '${text}'`);
  return { kind: 'file', path: t };
}

/** A seeded random Clifford point: every parameter uniform in {0, π/2, π, 3π/2}. */
export function randomCliffordCenter(numParameters: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(numParameters);
  for (let k = 0; k < numParameters; k++) out[k] = (rng.int(4) * Math.PI) / 2;
  return out;
}
