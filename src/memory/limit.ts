import { totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ResourceLimitError } from '../ir/errors.js';
import { reservedBytes, tryReserve } from './accounting.js';

/**
 * One memory limit for the whole process. Every engine asks `ensureFits` before a large allocation
 * (a state vector, a term or monomial table, a growth step) so that exceeding the limit is one clean
 * error naming what needed how much, never a RangeError from V8 or the kernel's OOM killer.
 *
 * The limit is process-wide rather than threaded through every call: allocations happen deep inside
 * engines, and the CLI sets it once per command (`--max-memory`, env NEARCLIFFORD_MAX_MEMORY).
 * Library users call `setMemoryLimit` or pass `maxMemory` to the engines that accept it.
 */

/** Thrown before an allocation that would take the process past its memory limit. */
export class MemoryLimitError extends ResourceLimitError {
  constructor(
    message: string,
    /** Bytes the refused allocation asked for. */
    readonly requestedBytes: number,
    /** The limit in force, in bytes. */
    readonly limitBytes: number,
  ) {
    super(message);
    this.name = 'MemoryLimitError';
  }
}

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, kib: 1024,
  m: 1e6, mb: 1e6, mib: 1024 ** 2,
  g: 1e9, gb: 1e9, gib: 1024 ** 3,
  t: 1e12, tb: 1e12, tib: 1024 ** 4,
};

/**
 * Parses a size such as `4G`, `512MiB`, `1.5gb` or `1000000` (bytes). Decimal units (k, M, G, T)
 * are powers of 1000, binary ones (KiB, MiB, GiB, TiB) powers of 1024.
 * @throws RangeError on anything else (the CLI turns it into a usage error).
 */
export function parseMemorySize(text: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new RangeError(`invalid memory size '${text}': expected a number with an optional unit (e.g. 4G, 512M, 2GiB)`);
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!(bytes > 0)) throw new RangeError(`invalid memory size '${text}': must be positive`);
  return bytes;
}

/** Human-readable size with three significant figures: 1.23 GB, 456 MB, 12.0 kB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return i === 0 ? `${Math.round(v)} B` : `${v.toPrecision(3)} ${units[i]}`;
}

/** The default limit: NEARCLIFFORD_MAX_MEMORY if set, else half of physical memory. */
export function defaultMemoryLimit(): number {
  const env = process.env.NEARCLIFFORD_MAX_MEMORY;
  if (env !== undefined && env.trim() !== '') return parseMemorySize(env);
  return Math.floor(totalmem() / 2);
}

let limitBytes: number | undefined;

/** The limit in force, in bytes. */
export function memoryLimit(): number {
  if (limitBytes === undefined) limitBytes = defaultMemoryLimit();
  return limitBytes;
}

/** Sets the process-wide limit in bytes (`undefined` restores the default). */
export function setMemoryLimit(bytes: number | undefined): void {
  if (bytes !== undefined && !(bytes > 0)) throw new RangeError('memory limit must be a positive number of bytes');
  limitBytes = bytes;
  // Worker threads (the sweep pool) start with a copy of this environment and read the limit from
  // it, so the whole process, whichever thread allocates, stays within one limit.
  if (bytes === undefined) delete process.env.NEARCLIFFORD_MAX_MEMORY;
  else process.env.NEARCLIFFORD_MAX_MEMORY = String(Math.floor(bytes));
}

/**
 * A default term budget derived from the memory limit: the largest power of two (tables grow by
 * doubling, so a power of two is a capacity the table really reaches) of terms whose tables, with
 * the transient old copy made while growing (×1.5), fit in `limit`. Clamped to [2^16, 2^30].
 * `bytesPerTerm` is the steady footprint of one term in the engine's store.
 */
export function termBudget(bytesPerTerm: number, limit: number = memoryLimit()): number {
  if (!(bytesPerTerm > 0)) throw new RangeError('bytesPerTerm must be positive');
  const terms = limit / (1.5 * bytesPerTerm);
  const exp = Math.min(30, Math.max(16, Math.floor(Math.log2(Math.max(1, terms)))));
  return 2 ** exp;
}

/** Resident memory of this process right now, in bytes. */
export function residentBytes(): number {
  return process.memoryUsage.rss();
}

/**
 * Throws a MemoryLimitError unless `bytes` more would keep the process within its limit.
 * `what` names the allocation ("state vector of 30 qubits"), `advice` what the user can change
 * ("use fewer qubits or the propagation engine"). Cheap enough to call at every table resize.
 */
export function ensureFits(bytes: number, what: string, advice?: string): void {
  const limit = memoryLimit();
  let r = Number.isFinite(bytes) ? tryReserve(bytes, limit) : { ok: false, usedBytes: residentBytes() };
  // What is in use lags behind what is still needed: tables dropped by an earlier attempt (a
  // reference build that did not fit, a grown-and-replaced table) count until the next garbage
  // collection. Before refusing, collect once and ask again, so the limit refuses only what really
  // does not fit.
  if (!r.ok && Number.isFinite(bytes) && collectGarbage()) r = tryReserve(bytes, limit);
  if (!r.ok) {
    const need = Number.isFinite(bytes) ? formatBytes(bytes) : 'an unbounded amount of memory';
    throw new MemoryLimitError(
      `memory limit of ${formatBytes(limit)} would be exceeded: ${what} needs ${need}` +
        ` (${formatBytes(r.usedBytes)} already in use)` + (advice ? `; ${advice}` : '') + '; or raise the memory limit',
      bytes,
      limit,
    );
  }
}

/**
 * Memory the process is using as the limit counts it (resident memory, or everything reserved by
 * all threads when that is more): what an engine can plan with before asking `ensureFits`.
 */
export function memoryInUse(): number {
  return Math.max(residentBytes(), reservedBytes());
}

let gc: (() => void) | null | undefined;

/** Runs a full garbage collection when the runtime allows it; false when it does not. */
function collectGarbage(): boolean {
  if (gc === undefined) {
    // `--expose-gc` at run time: the flag makes new contexts see `gc`, which the main context keeps.
    try {
      setFlagsFromString('--expose-gc');
      const f = runInNewContext('gc') as unknown;
      gc = typeof f === 'function' ? (f as () => void) : null;
    } catch {
      gc = null;
    }
  }
  if (!gc) return false;
  gc();
  return true;
}

type TypedArrayCtor<T> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

/**
 * Allocates a typed array after checking it fits; a RangeError from V8 (address space, the 2^32
 * element cap) becomes the same clean MemoryLimitError.
 */
export function allocateArray<T>(ctor: TypedArrayCtor<T>, length: number, what: string, advice?: string): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  ensureFits(bytes, what, advice);
  try {
    return new ctor(length);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new MemoryLimitError(
        `could not allocate ${formatBytes(bytes)} for ${what}` + (advice ? `; ${advice}` : ''),
        bytes,
        memoryLimit(),
      );
    }
    throw e;
  }
}
