import { allocateArray } from '../memory/limit.js';
import type { PropagationCore } from './core.js';
import type { NumberCoefficients } from './coefficients.js';

/*
 * Terms in transit between shards (threaded.ts ↔ shard-worker.ts): strings as 2W words each,
 * coefficients, path counters when tracked. Plain typed arrays, so postMessage transfers them
 * without copying.
 */
export interface TermBatch {
  readonly count: number;
  readonly keys: Uint32Array;
  readonly values: Float64Array;
  readonly sins: Uint32Array | null;
  readonly freq: Uint32Array | null;
}

export function emptyBatch(count: number, W: number, core: PropagationCore): TermBatch {
  return {
    count,
    keys: allocateArray(Uint32Array, count * 2 * W, 'terms moving between threads'),
    values: allocateArray(Float64Array, count, 'terms moving between threads'),
    sins: core.sins ? allocateArray(Uint32Array, count, 'terms moving between threads') : null,
    freq: core.freq ? allocateArray(Uint32Array, count, 'terms moving between threads') : null,
  };
}

/** Copies entry e of the core into slot i of the batch. */
export function copyOut(core: PropagationCore<NumberCoefficients>, e: number, b: TermBatch, i: number, W: number): void {
  core.store.read(e, b.keys, i * 2 * W);
  b.values[i] = core.kind.get(e);
  if (b.sins) b.sins[i] = core.sins![e]!;
  if (b.freq) b.freq[i] = core.freq![e]!;
}

/**
 * Adds the batch's terms. Shards hold disjoint strings (shards.ts), so a string already present
 * is a broken ownership rule: an internal error, never a silent merge.
 */
export function loadBatch(core: PropagationCore<NumberCoefficients>, b: TermBatch, W: number): void {
  for (let i = 0; i < b.count; i++) {
    const e = core.intern(b.keys, i * 2 * W);
    if (!core.inserted) throw new Error('a string arrived at a shard that already holds it (shard ownership broken)');
    core.kind.set(e, b.values[i]!);
    if (b.sins) core.sins![e] = b.sins[i]!;
    if (b.freq) core.freq![e] = b.freq[i]!;
  }
}

export function batchBuffers(b: TermBatch): ArrayBuffer[] {
  const out = [b.keys.buffer, b.values.buffer] as ArrayBuffer[];
  if (b.sins) out.push(b.sins.buffer as ArrayBuffer);
  if (b.freq) out.push(b.freq.buffer as ArrayBuffer);
  return out;
}
