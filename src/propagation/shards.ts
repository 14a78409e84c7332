import type { CoreGate, CoreString } from './core.js';

/*
 * How the term table is split across threads (threaded.ts, shard-worker.ts) so that every
 * thread runs the ordinary core on its own shard and the result does not depend on the split.
 *
 * Within a block of consecutive gates touching the qubit set S, a string's letters outside S
 * never change, and every string a term can merge with (its rotation partner G·Q, a channel's
 * identity branch, a Clifford image) differs from it only on S. So if a term's owner is a hash
 * of its letters outside S, all strings that can meet during the block live in the same shard:
 * each shard propagates the block alone, with exactly the arithmetic of one table (a rotation
 * reads only the old values of Q and G·Q, so order does not matter). Between blocks the terms
 * whose owner changes move (at most every term, about (N−1)/N of them).
 *
 * Blocks are grown greedily up to a share of the register: a larger S means fewer exchanges but
 * more strings with no letter outside S, which all hash alike and so land in one shard.
 */

/** A block of gates [from, to) and the owner mask: 1-bits on the qubits no gate of the block touches. */
export interface ShardBlock {
  readonly from: number;
  readonly to: number;
  /** W words, applied to both planes of a string. */
  readonly mask: Uint32Array;
}

function addString(s: CoreString, touched: Uint32Array): void {
  for (let i = 0; i < s.words.length; i++) touched[s.words[i]!]! |= s.gx[i]! | s.gz[i]!;
}

/** Qubits gate g can change, as W words. */
export function gateSupport(g: CoreGate, W: number, out: Uint32Array = new Uint32Array(W)): Uint32Array {
  out.fill(0);
  if (g.kind === 'rotation') addString(g, out);
  else if (g.kind === 'clifford') {
    out[g.q0 >>> 5]! |= 1 << (g.q0 & 31);
    if (g.q1 >= 0) out[g.q1 >>> 5]! |= 1 << (g.q1 & 31);
  } else {
    for (const p of g.probes) addString(p, out);
    if (g.identityString) addString(g.identityString, out);
  }
  return out;
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * Blocks covering gates [from, gates.length), each touching at most `maxQubits` qubits (a gate
 * wider than that is a block of its own).
 */
export function shardBlocks(gates: readonly CoreGate[], from: number, numQubits: number, maxQubits: number): ShardBlock[] {
  const W = Math.max(1, Math.ceil(numQubits / 32));
  const blocks: ShardBlock[] = [];
  const sup = new Uint32Array(W);
  let touched = new Uint32Array(W);
  let start = from;
  const close = (end: number) => {
    const mask = new Uint32Array(W);
    for (let w = 0; w < W; w++) {
      const valid = w === W - 1 && numQubits % 32 !== 0 ? (2 ** (numQubits % 32) - 1) >>> 0 : 0xffffffff;
      mask[w] = ~touched[w]! & valid;
    }
    blocks.push({ from: start, to: end, mask });
    touched = new Uint32Array(W);
    start = end;
  };
  for (let i = from; i < gates.length; i++) {
    gateSupport(gates[i]!, W, sup);
    let grown = 0;
    for (let w = 0; w < W; w++) grown += popcount((touched[w]! | sup[w]!) >>> 0);
    if (i > start && grown > maxQubits) close(i);
    for (let w = 0; w < W; w++) touched[w]! |= sup[w]!;
  }
  if (start < gates.length) close(gates.length);
  return blocks;
}

/**
 * Owner shard (0 … shards−1) of the string of 2W words at (a, ao) (X words then Z words) under
 * a block mask: a hash of its letters outside the block.
 */
export function ownerOf(a: Uint32Array, ao: number, mask: Uint32Array, W: number, shards: number): number {
  // A mix unrelated to the stores' index hashes (pauli/hash-index.ts): were the owner correlated
  // with the index's home slots, each shard would fill only part of its index and probe runs
  // would grow long.
  let h = 0x1b873593;
  for (let w = 0; w < W; w++) {
    const m = mask[w]!;
    h ^= a[ao + w]! & m;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h ^= a[ao + W + w]! & m;
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.floor(((h >>> 0) * shards) / 4294967296);
}
