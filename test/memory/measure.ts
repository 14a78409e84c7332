import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../cli/run-cli.js';

/** One run of the built CLI with its peak resident memory, measured from outside the process. */
export interface MeasuredRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the child in bytes (VmHWM / GNU time's %M). */
  readonly peakRss: number;
  readonly seconds: number;
}

const GNU_TIME = '/usr/bin/time';
const dir = mkdtempSync(join(tmpdir(), 'nc-measure-'));
let counter = 0;

function vmHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs `node dist/cli.js ...args`. With GNU time the peak RSS is exact (%M); otherwise
 * /proc/PID/status VmHWM (itself a high-water mark) is polled every 20 ms.
 */
export function runMeasured(args: readonly string[], options: { timeoutMs?: number; input?: string } = {}): Promise<MeasuredRun> {
  const useTime = existsSync(GNU_TIME);
  const rssFile = join(dir, `rss-${process.pid}-${counter++}.txt`);
  const cmd = useTime ? GNU_TIME : process.execPath;
  const argv = useTime ? ['-f', '%M', '-o', rssFile, process.execPath, CLI, ...args] : [CLI, ...args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: { ...process.env, FORCE_COLOR: '0' }, cwd: join(import.meta.dirname, '../..') });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    // Under GNU time the node process is a grandchild; poll only when measuring it directly.
    const poll = useTime ? null : setInterval(() => (peak = Math.max(peak, vmHwm(child.pid!))), 20);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (useTime) {
        const kb = Number(/(\d+)\s*$/.exec(readFileSync(rssFile, 'utf8'))?.[1] ?? 0);
        peak = kb * 1024;
      }
      resolve({ status, signal, stdout, stderr, peakRss: peak, seconds: (performance.now() - t0) / 1000 });
    });
  });
}
