import { isMainThread } from 'node:worker_threads';

/**
 * Reserved-bytes accounting shared by the main thread and the worker threads of the pool.
 *
 * Why not resident memory alone: with a worker pool, each thread checks the process-wide RSS
 * before its own allocation, and a table that was just approved (allocated but not yet touched, so
 * not yet resident) is invisible to the other threads' checks. Two threads could then each be
 * approved for "the rest of the limit". Here every thread owns one slot of a SharedArrayBuffer
 * holding the bytes it holds or has reserved: its own live heap and array buffers (measured per
 * isolate, which counts a table at its full size from the moment it exists, resident or not) plus
 * the allocation it was just approved for. Approvals take a lock, so "sum of all slots + request
 * ≤ limit" is decided for one request at a time across the process.
 *
 * Release: a slot is re-measured at the thread's next check, and when a pool task finishes
 * (`releaseReservation`), so freed tables stop counting once the garbage collector has dropped
 * them; slots of a closed pool are cleared by the main thread (`releaseSlotsOf`).
 */

const SLOTS = 256;
/** Int32 cells: [0] the lock, [1 + i] owner of slot i (0 free, else a pool id; slot 0 the main thread). */
const INT_CELLS = 2 + SLOTS; // even, so the Float64 area that follows is 8-byte aligned
const BYTES = INT_CELLS * 4 + SLOTS * 8;

export interface SharedAccounting {
  readonly buffer: SharedArrayBuffer;
}

interface State {
  readonly ints: Int32Array;
  readonly bytes: Float64Array;
  slot: number; // -1: no slot (more threads than slots): this thread is accounted by RSS only
  /** Process memory outside every isolate's heap and buffers (code, native), counted in slot 0. */
  overhead: number;
}

let state: State | null = null;

function view(buffer: SharedArrayBuffer): Pick<State, 'ints' | 'bytes'> {
  return { ints: new Int32Array(buffer, 0, INT_CELLS), bytes: new Float64Array(buffer, INT_CELLS * 4, SLOTS) };
}

function current(): State {
  if (state) return state;
  // The main thread creates the accounting; a thread that was given none (a worker outside the
  // pool) gets a private one, so it is at least accounted for its own allocations.
  const v = view(new SharedArrayBuffer(BYTES));
  Atomics.store(v.ints, 1, -1);
  const u = process.memoryUsage();
  state = { ...v, slot: 0, overhead: isMainThread ? Math.max(0, u.rss - u.heapTotal - u.arrayBuffers) : 0 };
  return state;
}

/** The accounting to hand to worker threads (the pool passes it as worker data). */
export function sharedAccounting(): SharedAccounting {
  return { buffer: current().ints.buffer as SharedArrayBuffer };
}

/**
 * Joins the accounting of the thread that created the pool: called once at a worker's start.
 * `owner` identifies the pool so that its slots are cleared when it closes.
 */
export function attachAccounting(shared: SharedAccounting | undefined, owner: number): void {
  if (!shared || !(shared.buffer instanceof SharedArrayBuffer) || shared.buffer.byteLength !== BYTES || !(owner > 0)) return;
  const v = view(shared.buffer);
  let slot = -1;
  for (let i = 1; i < SLOTS; i++) {
    if (Atomics.compareExchange(v.ints, 1 + i, 0, owner) === 0) {
      slot = i;
      break;
    }
  }
  state = { ...v, slot, overhead: 0 };
  if (slot >= 0) v.bytes[slot] = 0;
}

/** Clears the slots of the threads of pool `owner` (after the pool has been destroyed). */
export function releaseSlotsOf(owner: number): void {
  const s = current();
  withLock(s, () => {
    for (let i = 1; i < SLOTS; i++) {
      if (Atomics.load(s.ints, 1 + i) === owner) {
        s.bytes[i] = 0;
        Atomics.store(s.ints, 1 + i, 0);
      }
    }
  });
}

let nextOwner = 1;
/** A fresh pool id for `attachAccounting` / `releaseSlotsOf`. */
export function newOwnerId(): number {
  return nextOwner++;
}

function withLock<T>(s: State, f: () => T): T {
  // The critical section is a few microseconds (one memoryUsage call and a sum), so spinning with
  // a short wait is enough; Atomics.wait is allowed on Node's main thread.
  // A thread terminated inside the section (a pool destroyed mid-task) would leave the lock
  // taken: after ~1 s of waiting it is taken over, since no live holder needs that long.
  let waited = 0;
  while (Atomics.compareExchange(s.ints, 0, 0, 1) !== 0) {
    if (++waited > 1000) {
      Atomics.store(s.ints, 0, 1);
      break;
    }
    Atomics.wait(s.ints, 0, 1, 1);
  }
  try {
    return f();
  } finally {
    Atomics.store(s.ints, 0, 0);
    Atomics.notify(s.ints, 0, 1);
  }
}

/** What this thread holds now: its isolate's heap and array buffers (+ the process overhead on slot 0). */
function ownBytes(s: State, u: NodeJS.MemoryUsage): number {
  return u.heapTotal + u.arrayBuffers + (s.slot === 0 ? s.overhead : 0);
}

export interface Reservation {
  /** True when the request was approved (and is now reserved in this thread's slot). */
  readonly ok: boolean;
  /** The process's memory in use before the request, as the decision counted it. */
  readonly usedBytes: number;
}

/**
 * Reserves `bytes` against `limit` for this thread when everything reserved by all threads, and
 * the process's resident memory, leave room for it. Refused requests reserve nothing.
 */
export function tryReserve(bytes: number, limit: number): Reservation {
  const s = current();
  return withLock(s, () => {
    const u = process.memoryUsage();
    const own = ownBytes(s, u);
    let others = 0;
    for (let i = 0; i < SLOTS; i++) if (i !== s.slot && Atomics.load(s.ints, 1 + i) !== 0) others += s.bytes[i]!;
    // Resident memory still counts: it covers what no slot knows about (a thread's native memory,
    // a thread that has not checked yet).
    const used = Math.max(u.rss, others + own);
    const ok = used + bytes <= limit;
    if (s.slot >= 0) s.bytes[s.slot] = ok ? own + bytes : own;
    return { ok, usedBytes: used };
  });
}

/** Re-measures this thread's slot without a request: what it freed stops counting. */
export function releaseReservation(): void {
  const s = current();
  if (s.slot < 0) return;
  withLock(s, () => {
    s.bytes[s.slot] = ownBytes(s, process.memoryUsage());
  });
}

/** Bytes reserved across all threads right now (for tests and progress lines). */
export function reservedBytes(): number {
  const s = current();
  return withLock(s, () => {
    let total = 0;
    for (let i = 0; i < SLOTS; i++) if (Atomics.load(s.ints, 1 + i) !== 0) total += s.bytes[i]!;
    return total;
  });
}

// The main thread measures its fixed overhead (code, native memory) at start-up, before engines
// allocate, so that it is not mistaken for table memory later.
if (isMainThread) current();
