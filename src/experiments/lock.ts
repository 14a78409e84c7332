import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../ir/errors.js';

/**
 * An exclusive lock on an experiment output directory, so two runs into the same `--out` cannot
 * interleave (and duplicate) their records. The lock is a file `.nearclifford.lock` created with
 * O_EXCL, holding the owner's PID, host and start time. A lock whose owner is gone (the run was
 * killed) is stale and taken over; one whose owner is alive makes the second run fail with one
 * line naming the owner. The lock is re-entrant within a process and released at exit.
 */
export const LOCK_FILE = '.nearclifford.lock';

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

const held = new Map<string, number>();
let exitHookInstalled = false;

function readOwner(file: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 ? { pid: o.pid, host: String(o.host ?? ''), started: String(o.started ?? '') } : null;
  } catch {
    return null; // unreadable or half-written: treated as stale
  }
}

/** True when `pid` names a live process on this host (EPERM: alive, owned by someone else). */
function alive(owner: Owner): boolean {
  if (owner.host !== '' && owner.host !== hostname()) return true; // cannot tell: assume it is running
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UserError(`cannot create the lock file '${file}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside atomically and deletes it; if what was moved turns out to be a fresh
 * lock another run took meanwhile, it is put back (link fails if yet another one appeared).
 */
function removeStale(file: string, stalePid: number | null): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else removed it first
  }
  const moved = readOwner(aside);
  if (moved !== null && moved.pid !== stalePid && alive(moved)) {
    try {
      linkSync(aside, file);
    } catch {
      // a third run took the lock meanwhile (vanishingly rare); the second run then holds none
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* already gone */
  }
}

function release(file: string): void {
  const owner = readOwner(file);
  if (owner?.pid === process.pid) {
    try {
      unlinkSync(file);
    } catch {
      /* already gone */
    }
  }
}

/** Takes the lock on `dir` (which must exist) or throws a UserError naming the run that holds it. */
export function lockDirectory(dir: string): { readonly file: string; release(): void } {
  const file = join(dir, LOCK_FILE);
  const count = held.get(file);
  const handle = {
    file,
    release() {
      const n = held.get(file) ?? 0;
      if (n <= 1) {
        held.delete(file);
        release(file);
      } else {
        held.set(file, n - 1);
      }
    },
  };
  if (count !== undefined) {
    held.set(file, count + 1);
    return handle;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file)) {
      held.set(file, 1);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', () => {
          for (const f of held.keys()) release(f);
        });
      }
      return handle;
    }
    const owner = readOwner(file);
    if (owner !== null && owner.pid === process.pid && owner.host === hostname()) {
      // Left by this very process (released without the map knowing): ours again.
      held.set(file, 1);
      return handle;
    }
    if (owner !== null && alive(owner)) {
      throw new UserError(
        `another nearclifford run (PID ${owner.pid}${owner.host ? ` on ${owner.host}` : ''}, started ${owner.started || 'at an unknown time'}) ` +
          `is writing to '${dir}'; wait for it to finish or use another --out (remove ${file} only if that process is gone)`,
      );
    }
    removeStale(file, owner?.pid ?? null);
  }
  throw new UserError(`could not take the lock '${file}': other runs keep taking it`);
}
