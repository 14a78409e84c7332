import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';
import { attachAccounting, type SharedAccounting } from '../memory/accounting.js';
import type { InitialState } from '../ir/states.js';
import { NumberCoefficients } from './coefficients.js';
import { makeStore, PropagationCore, type CoreGate, type StoreChoice } from './core.js';
import type { ResolvedTruncation } from './options.js';
import { TermBudgetExceeded } from './budget.js';
import { batchBuffers, copyOut, emptyBatch, loadBatch, type TermBatch } from './shard-batch.js';
import { ownerOf } from './shards.js';
import { overlapOf } from './overlap.js';

/*
 * One shard of a threaded propagation (threaded.ts): the ordinary core on the terms this thread
 * owns. The coordinator sends a block of gates with the terms arriving from the other shards; the
 * shard propagates the block, then hands back the terms the next block's owner mask gives to
 * another shard (shards.ts). Replies go through the port and a flag in shared memory that the
 * coordinator waits on synchronously (Atomics.wait), so `propagate` stays a synchronous call.
 *
 * Built as dist/propagation-worker.js (tsup.config.ts).
 */

export interface ShardInit {
  readonly kind: 'propagation-shard';
  readonly port: MessagePort;
  /** Per shard: the sequence number of its last reply; then per shard 1 once it has started. */
  readonly flags: Int32Array;
  readonly index: number;
  readonly shards: number;
  readonly numQubits: number;
  readonly choice: StoreChoice;
  readonly tr: ResolvedTruncation;
  readonly budget: number;
  readonly gates: readonly CoreGate[];
  readonly memory: SharedAccounting;
  readonly memoryOwner: number;
  /** Test hook: fail (as a bug would) when this gate index is reached. */
  readonly failAtGate: number;
}

export type ShardRequest =
  | { readonly op: 'step'; readonly seq: number; readonly inbox: readonly TermBatch[]; readonly from: number; readonly to: number; readonly nextMask: Uint32Array | null }
  | { readonly op: 'finish'; readonly seq: number; readonly state: InitialState | null; readonly wantTerms: boolean };

export type ShardReply =
  | { readonly ok: true; readonly sizes: Int32Array; readonly out: readonly (TermBatch | null)[]; readonly updates: number; readonly droppedTerms: number; readonly droppedWeight: number }
  | { readonly ok: true; readonly overlap: number; readonly terms: TermBatch | null }
  | { readonly ok: false; readonly name: string; readonly message: string; readonly stack?: string; readonly liveTerms: number; readonly gate: number };

function start(init: ShardInit): void {
  attachAccounting(init.memory, init.memoryOwner);
  const W = Math.max(1, Math.ceil(init.numQubits / 32));
  const store = makeStore(init.numQubits, 1024, init.choice);
  const kind = new NumberCoefficients(init.tr.minAbs, store);
  const core = new PropagationCore(store, kind, init.tr, init.budget);
  const { port, flags, index, shards, gates } = init;
  let gate = -1;

  const reply = (seq: number, r: ShardReply, transfer: ArrayBuffer[] = []) => {
    port.postMessage(r, transfer);
    Atomics.store(flags, index, seq);
    Atomics.notify(flags, index);
  };

  const step = (m: Extract<ShardRequest, { op: 'step' }>) => {
    // Terms arriving count against the budget of the block's first gate.
    gate = m.from;
    for (const b of m.inbox) loadBatch(core, b, W);
    const sizes = new Int32Array(m.to - m.from);
    for (let i = m.from; i < m.to; i++) {
      gate = i;
      if (i === init.failAtGate) throw new Error(`injected failure at gate ${i} (NC_TEST_THREAD_FAIL_GATE)`);
      core.apply(gates[i]!);
      if (i === 0) core.truncateAll();
      sizes[i - m.from] = core.size;
    }
    const out: (TermBatch | null)[] = new Array(shards).fill(null);
    const transfer: ArrayBuffer[] = [];
    if (m.nextMask !== null) {
      const mask = m.nextMask;
      const n = store.size;
      const owners = new Uint8Array(n);
      const counts = new Int32Array(shards);
      for (let e = 0; e < n; e++) {
        const o = ownerOf(store.keyArray, store.keyOffset(e), mask, W, shards);
        owners[e] = o;
        counts[o]!++;
      }
      const fill = new Int32Array(shards);
      for (let s = 0; s < shards; s++) if (s !== index && counts[s]! > 0) out[s] = emptyBatch(counts[s]!, W, core);
      for (let e = 0; e < n; e++) {
        const o = owners[e]!;
        if (o === index) continue;
        copyOut(core, e, out[o]!, fill[o]!++, W);
        core.evict(e);
      }
      core.flush();
      for (const b of out) if (b) transfer.push(...batchBuffers(b));
    }
    reply(m.seq, { ok: true, sizes, out, updates: core.updates, droppedTerms: core.droppedTerms, droppedWeight: kind.droppedWeight }, transfer);
  };

  const finish = (m: Extract<ShardRequest, { op: 'finish' }>) => {
    const overlap = m.state ? overlapOf(core, m.state) : 0;
    let terms: TermBatch | null = null;
    if (m.wantTerms) {
      terms = emptyBatch(store.size, W, core);
      for (let e = 0; e < store.size; e++) copyOut(core, e, terms, e, W);
    }
    reply(m.seq, { ok: true, overlap, terms }, terms ? batchBuffers(terms) : []);
  };

  Atomics.store(flags, shards + index, 1);
  port.on('message', (m: ShardRequest) => {
    try {
      if (m.op === 'step') step(m);
      else finish(m);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const liveTerms = e instanceof TermBudgetExceeded ? e.liveTerms : core.size;
      reply(m.seq, { ok: false, name: e instanceof TermBudgetExceeded ? 'TermBudgetExceeded' : err.name, message: err.message, stack: err.stack, liveTerms, gate });
    }
  });
}

if (!isMainThread && (workerData as ShardInit | undefined)?.kind === 'propagation-shard') start(workerData as ShardInit);
