import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ResourceLimitError, UserError } from '../ir/errors.js';
import type { InitialState } from '../ir/states.js';
import { newOwnerId, releaseSlotsOf, sharedAccounting } from '../memory/accounting.js';
import { TermBudgetExceeded } from './budget.js';
import type { NumberCoefficients } from './coefficients.js';
import type { CoreGate, PropagationCore, StoreChoice } from './core.js';
import type { ResolvedTruncation } from './options.js';
import { batchBuffers, copyOut, emptyBatch, type TermBatch } from './shard-batch.js';
import type { ShardInit, ShardReply, ShardRequest } from './shard-worker.js';
import { ownerOf, shardBlocks } from './shards.js';

/*
 * Threaded propagation: the coordinator. The run starts on the calling thread like any other;
 * once the table is large enough to pay for it (`threadsFrom` live terms), its terms are split
 * across worker threads (shards.ts explains why each shard can run the ordinary core alone and
 * why the result — term set and every coefficient — is the same for any number of threads), and
 * the coordinator runs the remaining gates block by block: send each shard its block and the
 * terms arriving from the others, wait for all (a barrier per block), forward what they hand
 * back. Waiting is synchronous (Atomics.wait on a shared flag, then receiveMessageOnPort), so
 * `propagate` keeps its synchronous API. A shard that fails — budget, memory limit, a bug — is
 * one error here, and every worker is terminated before it is thrown.
 */

/** Live terms at which a run moves to threads by default: below it one table is faster. */
export const DEFAULT_THREADS_FROM = 1 << 15;
/** How long a worker may take to load before the run gives up on it. */
const START_TIMEOUT_MS = 30_000;
/** Most threads a run uses (owners are kept in bytes). */
const MAX_THREADS = 64;

let workerPath: string | null | undefined;
function shardWorkerFile(): string | null {
  if (workerPath !== undefined) return workerPath;
  const candidates = [new URL('./propagation-worker.js', import.meta.url), new URL('../../dist/propagation-worker.js', import.meta.url)];
  workerPath = null;
  for (const c of candidates) {
    const path = fileURLToPath(c);
    if (existsSync(path)) workerPath = path;
    if (workerPath) break;
  }
  return workerPath;
}

/**
 * Threads a run may use: the option when given (validated), else 1. Not the machine's
 * parallelism: on every benchmark case so far the block exchange costs more than the second core
 * gains (bench/results/propagation.json, README "Threads"), so threads are opt-in until a design
 * that pays replaces this one.
 */
export function resolveThreads(requested: number | undefined): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_THREADS) {
      throw new UserError(`threads must be an integer from 1 to ${MAX_THREADS}, got ${requested}`);
    }
    if (requested > 1 && shardWorkerFile() === null) {
      throw new UserError('threaded propagation needs the built worker dist/propagation-worker.js: run `npm run build` (or use 1 thread)');
    }
    return requested;
  }
  return 1;
}

/** The machine's available parallelism (what `--threads auto` asks for). */
export function machineThreads(): number {
  return Math.min(MAX_THREADS, availableParallelism());
}

/** Qubits a block may touch by default (shards.ts): half the register, so that most strings have letters outside it. */
export function defaultBlockQubits(numQubits: number): number {
  return Math.max(2, Math.floor(numQubits / 2));
}

/** A worker-side failure, rethrown on the calling thread. */
export class ShardFailure extends Error {
  constructor(message: string, readonly gate: number) {
    super(message);
    this.name = 'ShardFailure';
  }
}

/** The budget was exceeded inside the threaded part, at gate `gate` (Heisenberg order). */
export class ShardBudgetExceeded extends TermBudgetExceeded {
  constructor(budget: number, liveTerms: number, readonly gate: number) {
    super(budget, liveTerms);
  }
}

/** Strips a gate to what the core reads, so that it clones cheaply into the workers. */
function coreGate(g: CoreGate): CoreGate {
  if (g.kind === 'rotation') return { kind: 'rotation', words: g.words, gx: g.gx, gz: g.gz, cos: g.cos, sin: g.sin, counts: g.counts, step: g.step };
  if (g.kind === 'clifford') return { kind: 'clifford', map: g.map, q0: g.q0, q1: g.q1 };
  return {
    kind: 'channel', probes: g.probes, factors: g.factors, toIdentity: g.toIdentity,
    identityString: g.identityString, identitySign: g.identitySign, step: g.step,
  };
}

export interface ShardedSetup {
  readonly threads: number;
  readonly numQubits: number;
  readonly choice: StoreChoice;
  readonly tr: ResolvedTruncation;
  readonly budget: number;
  readonly gates: readonly CoreGate[];
  /** Most qubits one block of gates may touch. */
  readonly blockQubits: number;
}

type StepReply = Extract<ShardReply, { sizes: Int32Array }>;
type FinishReply = Extract<ShardReply, { overlap: number }>;

/** Worker threads holding one shard each, from spawn to close. */
export class ShardedRun {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly flags: Int32Array;
  private readonly owner = newOwnerId();
  private readonly W: number;
  private seq = 0;
  private closed = false;
  /** Totals of the shards' counters after the last block. */
  updates = 0;
  droppedTerms = 0;
  droppedWeight = 0;
  size = 0;

  /** Starts the workers (they load while the calling thread keeps propagating). */
  constructor(readonly setup: ShardedSetup) {
    const file = shardWorkerFile();
    if (file === null) throw new UserError('threaded propagation needs the built worker dist/propagation-worker.js: run `npm run build`');
    this.W = Math.max(1, Math.ceil(setup.numQubits / 32));
    // flags[w]: sequence number of shard w's last reply; flags[threads + w]: 1 once it started.
    this.flags = new Int32Array(new SharedArrayBuffer(8 * setup.threads));
    const gates = setup.gates.map(coreGate);
    const failAtGate = Number(process.env.NC_TEST_THREAD_FAIL_GATE ?? -1);
    for (let w = 0; w < setup.threads; w++) {
      const { port1, port2 } = new MessageChannel();
      const init: ShardInit = {
        kind: 'propagation-shard', port: port2, flags: this.flags, index: w, shards: setup.threads,
        numQubits: setup.numQubits, choice: setup.choice, tr: setup.tr, budget: setup.budget, gates,
        memory: sharedAccounting(), memoryOwner: this.owner,
        // The test hook fails the last shard only: the others are mid-block when it does.
        failAtGate: w === setup.threads - 1 && Number.isInteger(failAtGate) ? failAtGate : -1,
      };
      const worker = new Worker(file, { workerData: init, transferList: [port2] });
      // Errors reach the coordinator as replies; an 'error' event must not crash the process.
      worker.on('error', () => {});
      liveWorkers++;
      worker.once('exit', () => liveWorkers--);
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  private post(w: number, m: ShardRequest, transfer: ArrayBuffer[]): void {
    this.ports[w]!.postMessage(m, transfer);
  }

  private wait(w: number, seq: number): ShardReply {
    const flags = this.flags;
    const t0 = performance.now();
    for (;;) {
      const v = Atomics.load(flags, w);
      if (v === seq) break;
      Atomics.wait(flags, w, v, 1000);
      // A worker that cannot even load (a broken build) never replies, and its 'error' event
      // cannot arrive while this thread waits: give up once it has not started in time.
      if (Atomics.load(flags, this.workers.length + w) === 0 && performance.now() - t0 > START_TIMEOUT_MS) {
        this.close();
        throw new UserError(`propagation thread ${w + 1} did not start within ${START_TIMEOUT_MS / 1000} s: is the build intact? run \`npm run build\` (or use 1 thread)`);
      }
    }
    const m = receiveMessageOnPort(this.ports[w]!);
    if (!m) throw new ShardFailure(`propagation thread ${w + 1} signalled without a reply`, -1);
    return m.message as ShardReply;
  }

  /** Waits for every shard's reply to request `seq`; the first failure closes the run and is thrown. */
  private gather<R extends ShardReply>(seq: number): R[] {
    const replies: ShardReply[] = [];
    for (let w = 0; w < this.workers.length; w++) replies.push(this.wait(w, seq));
    for (let w = 0; w < replies.length; w++) {
      const r = replies[w]!;
      if (r.ok) continue;
      this.close();
      if (r.name === 'TermBudgetExceeded') throw new ShardBudgetExceeded(this.setup.budget, r.liveTerms, r.gate);
      if (r.name === 'MemoryLimitError' || r.name === 'ResourceLimitError') throw new ResourceLimitError(r.message);
      const failure = new ShardFailure(`propagation thread ${w + 1} of ${replies.length} failed at gate ${r.gate + 1}: ${r.message}`, r.gate);
      // A bug inside a worker: keep its own stack, which is where the fault is.
      if (r.stack) failure.stack = `${failure.name}: ${failure.message}\n--- in the worker ---\n${r.stack}`;
      throw failure;
    }
    return replies as R[];
  }

  /**
   * Takes over the core's terms and propagates gates [from, end): `after(i, liveTerms)` after
   * each gate, in order, once its block is done on every shard. The core is emptied.
   */
  run(core: PropagationCore<NumberCoefficients>, from: number, after: (i: number, liveTerms: number) => void): void {
    const { threads, gates, numQubits, budget } = this.setup;
    const W = this.W;
    const blocks = shardBlocks(gates, from, numQubits, this.setup.blockQubits);
    if (blocks.length === 0) return;
    // The calling thread's terms, split by the first block's owners.
    const store = core.store;
    const n = store.size;
    const owners = new Uint8Array(n);
    const counts = new Int32Array(threads);
    const mask0 = blocks[0]!.mask;
    for (let e = 0; e < n; e++) counts[(owners[e] = ownerOf(store.keyArray, store.keyOffset(e), mask0, W, threads))]!++;
    const fill = new Int32Array(threads);
    const first: TermBatch[] = [];
    for (let s = 0; s < threads; s++) first.push(emptyBatch(counts[s]!, W, core));
    for (let e = 0; e < n; e++) copyOut(core, e, first[owners[e]!]!, fill[owners[e]!]!++, W);
    let inbox: TermBatch[][] = first.map((b) => [b]);
    for (let e = 0; e < n; e++) core.evict(e);
    core.flush();

    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b]!;
      const seq = ++this.seq;
      const nextMask = b + 1 < blocks.length ? blocks[b + 1]!.mask : null;
      for (let w = 0; w < threads; w++) {
        const batches = inbox[w]!;
        this.post(w, { op: 'step', seq, inbox: batches, from: block.from, to: block.to, nextMask }, batches.flatMap(batchBuffers));
      }
      const replies = this.gather<StepReply>(seq);
      inbox = Array.from({ length: threads }, (_, dst) => replies.map((r) => r.out[dst]).filter((x): x is TermBatch => x != null));
      let updates = 0, droppedTerms = 0, droppedWeight = 0;
      for (const r of replies) {
        updates += r.updates;
        droppedTerms += r.droppedTerms;
        droppedWeight += r.droppedWeight;
      }
      this.updates = updates;
      this.droppedTerms = droppedTerms;
      this.droppedWeight = droppedWeight;
      for (let i = block.from; i < block.to; i++) {
        let live = 0;
        for (const r of replies) live += r.sizes[i - block.from]!;
        this.size = live;
        // Each shard keeps within the budget alone; the total is checked once the gate is known.
        if (live > budget) {
          this.close();
          throw new ShardBudgetExceeded(budget, live, i);
        }
        after(i, live);
      }
    }
  }

  private finish(state: InitialState | null, wantTerms: boolean): FinishReply[] {
    const seq = ++this.seq;
    for (let w = 0; w < this.workers.length; w++) this.post(w, { op: 'finish', seq, state, wantTerms }, []);
    return this.gather<FinishReply>(seq);
  }

  /** Σ c·⟨ψ0|P|ψ0⟩ over all shards. */
  overlap(state: InitialState): number {
    let v = 0;
    for (const r of this.finish(state, false)) v += r.overlap;
    return v;
  }

  /** Every shard's terms. */
  terms(): TermBatch[] {
    return this.finish(null, true).map((r) => r.terms!);
  }

  /** Terminates the workers (idempotent) and frees their memory slots. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.ports) p.close();
    for (const w of this.workers) void w.terminate();
    releaseSlotsOf(this.owner);
  }
}

let liveWorkers = 0;
/** Shard workers started and not yet exited (tests check that none are left behind). */
export function liveShardWorkers(): number {
  return liveWorkers;
}
