/**
 * Start-up and small jobs end to end (issue 13, item 4): whole CLI processes, start to exit, as a
 * user's shell sees them. Cases:
 *  - `node -e 0`: Node's own start-up on this machine, the floor of every figure below;
 *  - `nearclifford --version` (target ≤ 0.08 s);
 *  - `nearclifford --help` (loads the whole command table);
 *  - a 32-qubit × 10-layer TFI propagation (θ = 0.3, Z15, weight ≤ 10, |c| ≥ 1e−6; ~13k terms)
 *    from its .ncl file, JSON out (target ≤ 0.15 s), beside the C reference propagator on the same
 *    case (bench/reference/propagate.c, also a whole process: it reads its input and propagates).
 * The propagation's own clock inside each process ("seconds" in its JSON: the cold-JIT engine run)
 * is recorded beside the wall time, so that start-up and engine can be told apart.
 * Each figure is the median of `--repeat` runs (default 11), runs of all cases interleaved so that
 * load from other processes hits them alike; the load average is recorded. Needs `npm run build`.
 * Writes bench/results/startup.json.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAnsatz } from '../src/ansatz/index.js';
import type { Observable } from '../src/ir/types.js';
import { buildCReference, cReferenceInput } from './reference/c-propagate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const repeatArg = process.argv.find((a) => a.startsWith('--repeat='));
const REPEAT = repeatArg ? Math.max(1, Number(repeatArg.slice('--repeat='.length))) : 11;

if (!existsSync(cli)) {
  process.stdout.write('building dist/ (npm run build) …\n');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'nc-bench-startup-'));
const circuitFile = join(dir, 'tfi-32x10.ncl');
const gen = spawnSync(process.execPath, [cli, 'ansatz', 'tfi', '--qubits', '32', '--layers', '10'], { encoding: 'utf8' });
if (gen.status !== 0) throw new Error(`ansatz failed: ${gen.stderr}`);
writeFileSync(circuitFile, gen.stdout);
const circuit = buildAnsatz('tfi', { qubits: 32, layers: 10 });
const params = new Float64Array(circuit.numParameters).fill(0.3);
const paramsFile = join(dir, 'params.json');
writeFileSync(paramsFile, JSON.stringify(Array.from(params)));
const z15: Observable = { name: 'Z15', terms: [{ coeff: 1, pauli: { qubits: [15], letters: ['Z'] } }] };
const truncation = { maxWeight: 10, minAbs: 1e-6 };
const cInput = cReferenceInput(circuit, params, z15, truncation);
const cBin = buildCReference(cInput.nw);

interface Case {
  readonly name: string;
  readonly command: string;
  readonly run: () => { status: number | null; stdout: string };
  readonly target?: number;
}
const quiet: SpawnSyncOptions = { encoding: 'utf8', maxBuffer: 1 << 24 };
const node = (args: string[]) => () => spawnSync(process.execPath, args, quiet) as { status: number | null; stdout: string };
const propagateArgs = ['propagate', circuitFile, '-o', 'Z15', '-p', paramsFile, '--max-weight', '10', '--min-abs', '1e-6', '--json'];
const cases: Case[] = [
  { name: 'node', command: 'node -e 0', run: node(['-e', '0']) },
  { name: 'version', command: 'nearclifford --version', run: node([cli, '--version']), target: 0.08 },
  { name: 'help', command: 'nearclifford --help', run: node([cli, '--help']) },
  { name: 'propagate_tfi_32x10', command: `nearclifford ${propagateArgs.join(' ')}`, run: node([cli, ...propagateArgs]), target: 0.15 },
  { name: 'c_reference_tfi_32x10', command: 'bench/reference/propagate.c on the same case', run: () => spawnSync(cBin, [], { ...quiet, input: cInput.text }) as { status: number | null; stdout: string } },
];

const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const outputs = new Map<string, string>();
// The engine's own clock inside each propagate process ("seconds" of its JSON): the cold-JIT
// propagation, which start-up work cannot shorten; the rest of the wall time is start-up.
const engineSeconds: number[] = [];
const loadBefore = loadavg();
for (let r = 0; r < REPEAT; r++) {
  for (const c of cases) {
    const t0 = performance.now();
    const res = c.run();
    const s = (performance.now() - t0) / 1000;
    if (res.status !== 0) throw new Error(`${c.command} exited with ${res.status}`);
    times.get(c.name)!.push(s);
    outputs.set(c.name, res.stdout);
    if (c.name === 'propagate_tfi_32x10') engineSeconds.push((JSON.parse(res.stdout) as { seconds: number }).seconds);
  }
}
const loadAfter = loadavg();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const js = JSON.parse(outputs.get('propagate_tfi_32x10')!) as { value: number; terms: number };
const c = JSON.parse(outputs.get('c_reference_tfi_32x10')!.trim()) as { value?: number; terms?: number; seconds?: number };
if (c.terms !== undefined && c.terms !== js.terms) throw new Error(`term counts differ: JS ${js.terms}, C ${c.terms}`);

const results = cases.map((k) => {
  const med = median(times.get(k.name)!);
  return {
    case: k.name,
    command: k.command,
    median_seconds: med,
    min_seconds: Math.min(...times.get(k.name)!),
    ...(k.target !== undefined ? { target_seconds: k.target, meets_target: med <= k.target } : {}),
  };
});
const out = {
  benchmark: 'startup',
  node: process.version,
  cpu: cpus()[0]?.model,
  date: new Date().toISOString(),
  repeat: REPEAT,
  load_average: { before: loadBefore, after: loadAfter },
  propagation: {
    terms: js.terms,
    value: js.value,
    engine_median_seconds: median(engineSeconds),
    c_terms: c.terms,
    c_value: c.value,
    c_loop_seconds: c.seconds,
  },
  results,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'startup.json'), JSON.stringify(out, null, 2) + '\n');
for (const r of results) {
  const t = 'target_seconds' in r ? `  (target ≤ ${r.target_seconds} s: ${r.meets_target ? 'met' : 'NOT met'})` : '';
  process.stdout.write(`${r.case.padEnd(24)} ${r.median_seconds.toFixed(3)} s median, ${r.min_seconds.toFixed(3)} s min${t}\n`);
}
process.stdout.write(`propagation: ${js.terms} terms (C ${c.terms ?? '?'}), engine ${median(engineSeconds).toFixed(3)} s median inside the process, load ${loadBefore.map((x) => x.toFixed(2)).join(' ')} → ${loadAfter.map((x) => x.toFixed(2)).join(' ')}\n`);
