/**
 * The issue-13 Clifford case end to end (item 5): a 1,000-qubit × 1,000-layer random Clifford
 * circuit (~1.17 M gates) in a flat .ncl file, `nearclifford simulate FILE -o OBS --json` as a
 * whole process (Node start-up, reading, parsing, evaluation) against the C reference
 * (bench/reference/clifford.c) as a whole process on the same file. Target: ≤ 6× the C program.
 *
 * The circuit: per layer, each qubit gets one of h, s, sdg, sx, sxdg, x, y, z or nothing (4 of 12
 * choices), then a random perfect matching of the qubits with cx or cz on every pair; seeded
 * (src/random/rng.ts), so the file is the same on every run. The observable is U·Z0·U† (the C
 * program's `--forward` mode), a Pauli string of weight ~750 whose value in |0…0⟩ is exactly ±1: a
 * sign check of both implementations, where a random observable would give 0 almost surely.
 *
 * Each process is timed by /usr/bin/time (elapsed, user, system CPU, peak RSS); figures are
 * medians of `--repeat` interleaved runs (default 5). Beside them, an in-process breakdown of the
 * JS side (parse, evaluation, bytes per gate of the compact IR). Needs `dist/` (`npx tsup`).
 * `--layers N` for a smaller case (then results are not written); `--write FILE` writes the circuit
 * and FILE.observable and stops (for profiling). Writes bench/results/clifford.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliffordExpectation } from '../src/clifford-point/heisenberg.js';
import { parseDsl } from '../src/parsing/dsl/index.js';
import { parseObservableText } from '../src/pauli/observable-text.js';
import { createRng } from '../src/random/rng.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const cli = join(root, 'dist', 'cli.js');
const arg = (name: string): string | undefined => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  if (a) return a.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const REPEAT = Math.max(1, Number(arg('repeat') ?? 5));
const QUBITS = 1000;
const LAYERS = Number(arg('layers') ?? 1000);
const TARGET_RATIO = 6;

/** The random layered Clifford circuit as flat DSL text, one gate per line. */
export function randomCliffordDsl(qubits: number, layers: number, seed: number): string {
  const rng = createRng(seed);
  const oneQubit = ['h', 's', 'sdg', 'sx', 'sxdg', 'x', 'y', 'z', '', '', '', ''];
  const lines = [`qubits ${qubits};`];
  const perm = Array.from({ length: qubits }, (_, i) => i);
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < qubits; q++) {
      const g = oneQubit[rng.int(oneQubit.length)]!;
      if (g) lines.push(`${g} ${q};`);
    }
    for (let i = qubits - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    for (let i = 0; i + 1 < qubits; i += 2) lines.push(`${rng.int(2) ? 'cz' : 'cx'} ${perm[i]} ${perm[i + 1]};`);
  }
  return lines.join('\n') + '\n';
}

/** The reference binary, built with the system cc when missing or older than its source. */
function buildCliffordReference(): string {
  const src = join(here, 'reference', 'clifford.c');
  const outDir = join(here, 'reference', 'build');
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, 'clifford');
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) execFileSync('cc', ['-O2', '-o', bin, src]);
  return bin;
}

interface ProcessRun {
  elapsed: number;
  user: number;
  system: number;
  cpu: number;
  maxRssBytes: number;
  stdout: string;
}

/** One whole process under /usr/bin/time. */
function timed(command: string, args: string[]): ProcessRun {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} … exited with ${r.status}: ${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const [elapsed, user, system, rssKb] = last as [number, number, number, number];
  return { elapsed, user, system, cpu: user + system, maxRssBytes: rssKb * 1024, stdout: r.stdout };
}

if (!existsSync(cli)) {
  process.stdout.write('building dist/ (npx tsup) …\n');
  if (spawnSync('npx', ['tsup'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'nc-bench-clifford-'));
try {
  const file = join(dir, `random-clifford-${QUBITS}x${LAYERS}.ncl`);
  const text = randomCliffordDsl(QUBITS, LAYERS, 20261203);
  writeFileSync(file, text);
  const bin = buildCliffordReference();
  const observable = execFileSync(bin, [file, 'Z0', '--forward'], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim();
  const weight = observable.split(' ').length;
  const keep = arg('write');
  if (keep !== undefined) {
    // For profiling: the circuit file and its observable, then stop.
    writeFileSync(keep, text);
    writeFileSync(`${keep}.observable`, observable);
    process.exit(0);
  }

  const runs: Record<'js' | 'c', ProcessRun[]> = { js: [], c: [] };
  const loadBefore = loadavg();
  for (let r = 0; r < REPEAT; r++) {
    runs.js.push(timed(process.execPath, [cli, 'simulate', file, '-o', observable, '--json']));
    runs.c.push(timed(bin, [file, observable]));
  }
  const loadAfter = loadavg();
  const jsOut = JSON.parse(runs.js[0]!.stdout) as { value: number; engine: string };
  const cOut = JSON.parse(runs.c[0]!.stdout) as { value: number; gates: number; readSeconds: number; parseSeconds: number; evalSeconds: number };
  if (jsOut.engine !== 'clifford') throw new Error(`simulate used the ${jsOut.engine} engine`);
  if (jsOut.value !== cOut.value) throw new Error(`values differ: JS ${jsOut.value}, C ${cOut.value}`);
  if (Math.abs(cOut.value) !== 1) throw new Error(`the stabilizer observable should give ±1, got ${cOut.value}`);

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = (rs: ProcessRun[]) => ({
    median_elapsed_seconds: median(rs.map((r) => r.elapsed)),
    median_cpu_seconds: median(rs.map((r) => r.cpu)),
    median_user_seconds: median(rs.map((r) => r.user)),
    median_system_seconds: median(rs.map((r) => r.system)),
    median_max_rss_bytes: median(rs.map((r) => r.maxRssBytes)),
    runs: rs.map(({ stdout: _, ...rest }) => rest),
  });
  const js = summary(runs.js);
  const c = summary(runs.c);

  // In-process breakdown of the JS side (same file, same observable), after one warm-up.
  const fileText = readFileSync(file, 'utf8');
  const obs = parseObservableText(observable, { name: 'U Z0 U†', numQubits: QUBITS });
  cliffordExpectation(parseDsl(fileText, file), new Float64Array(0), obs);
  const t0 = performance.now();
  const circuit = parseDsl(fileText, file);
  const t1 = performance.now();
  const value = cliffordExpectation(circuit, new Float64Array(0), obs);
  const t2 = performance.now();
  const gates = circuit.compact ? circuit.compact.length : circuit.gates.length;
  if (value !== cOut.value || gates !== cOut.gates) throw new Error(`in-process run differs: ${value} over ${gates} gates`);

  const ratioElapsed = js.median_elapsed_seconds / c.median_elapsed_seconds;
  const ratioCpu = js.median_cpu_seconds / c.median_cpu_seconds;
  const out = {
    benchmark: 'clifford',
    node: process.version,
    cpu: cpus()[0]?.model,
    date: new Date().toISOString(),
    repeat: REPEAT,
    load_average: { before: loadBefore, after: loadAfter },
    circuit: { qubits: QUBITS, layers: LAYERS, gates, file_bytes: Buffer.byteLength(text), observable_weight: weight, value },
    js_command: 'node dist/cli.js simulate FILE -o "U Z0 U†" --json',
    c_command: 'bench/reference/build/clifford FILE "U Z0 U†" (cc -O2)',
    js,
    c,
    c_phases_seconds: { read: cOut.readSeconds, parse: cOut.parseSeconds, eval: cOut.evalSeconds },
    js_in_process: {
      parse_seconds: (t1 - t0) / 1000,
      eval_seconds: (t2 - t1) / 1000,
      parse_gates_per_second: Math.round(gates / ((t1 - t0) / 1000)),
      ir_bytes_per_gate: circuit.compact ? circuit.compact.bytesPerGate() : null,
    },
    ratio_elapsed: ratioElapsed,
    ratio_cpu: ratioCpu,
    target_ratio: TARGET_RATIO,
    meets_target: ratioElapsed <= TARGET_RATIO,
  };
  const f = (s: number) => s.toFixed(3);
  process.stdout.write(
    `${gates} gates on ${QUBITS} qubits, observable weight ${weight}, value ${value} (JS = C)\n` +
      `JS simulate  ${f(js.median_elapsed_seconds)} s elapsed, ${f(js.median_cpu_seconds)} s CPU, ${(js.median_max_rss_bytes / 2 ** 20).toFixed(0)} MiB RSS\n` +
      `C reference  ${f(c.median_elapsed_seconds)} s elapsed, ${f(c.median_cpu_seconds)} s CPU, ${(c.median_max_rss_bytes / 2 ** 20).toFixed(0)} MiB RSS ` +
      `(read ${f(cOut.readSeconds)}, parse ${f(cOut.parseSeconds)}, eval ${f(cOut.evalSeconds)})\n` +
      `JS in process: parse ${f(out.js_in_process.parse_seconds)} s (${(out.js_in_process.parse_gates_per_second / 1e6).toFixed(2)} M gates/s), ` +
      `eval ${f(out.js_in_process.eval_seconds)} s, compact IR ${out.js_in_process.ir_bytes_per_gate?.toFixed(1) ?? '—'} B/gate\n` +
      `ratio ${ratioElapsed.toFixed(1)}× elapsed, ${ratioCpu.toFixed(1)}× CPU (target ≤ ${TARGET_RATIO}×: ${out.meets_target ? 'met' : 'NOT met'}); ` +
      `load ${loadBefore.map((x) => x.toFixed(2)).join(' ')} → ${loadAfter.map((x) => x.toFixed(2)).join(' ')}\n`,
  );
  if (arg('layers') === undefined) {
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'clifford.json'), JSON.stringify(out, null, 2) + '\n');
    process.stdout.write(`wrote ${join(here, 'results', 'clifford.json')}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
