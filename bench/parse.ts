/**
 * Parse throughput of both front ends (issue 2 item 9, issue 13 item 2): text → IR circuit, with
 * the flat-statement fast path on and off (`fastPath` option; the grammar/parser path is what
 * every statement took before it).
 *
 * Cases: a flat DSL file (one gate per line, mixed Clifford gates, rotations with affine angles,
 * `rot` and `u3`), the same circuit as flat OpenQASM 3 (parameters `theta[i]`), a flat OpenQASM
 * file of the hardware kind (numeric angles, rz/sx/cx), the issue's random Clifford circuit on
 * 1,000 qubits (h/s/cx) in both languages, and ~100k-gate DSL files written with loops; the bare IR construction of the flat circuit (CircuitAssembler and GATE_LIBRARY, no text)
 * that any front end pays; and the peak memory of parsing the largest flat files, measured in a
 * child process (peak RSS during the parse minus RSS before it, against the file size).
 *
 * Run: `npx tsx bench/parse.ts` (or `npm run bench parse`). `--quick`: 10k statements only.
 * `--sizes 10000,200000`: flat-file sizes. `--case qasm`: only cases whose name contains it.
 * Writes bench/results/parse.json (not with --case or --sizes). Targets (issue 13): ≥ 10 M gates/s
 * for flat files, loops as before or faster, memory ≤ 2× the file size.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combine, constantExpr, parameterExpr } from '../src/ir/affine.js';
import { CircuitAssembler } from '../src/ir/circuit.js';
import { GATE_LIBRARY } from '../src/ir/gate-library.js';
import type { Circuit } from '../src/ir/types.js';
import { dslFastPathStats } from '../src/parsing/dsl/fast-path.js';
import { parseDsl } from '../src/parsing/dsl/index.js';
import { parseSyntaxUncached } from '../src/parsing/dsl/syntax.js';
import { qasmFastPathStats } from '../src/parsing/qasm/fast-path.js';
import { parseQasm } from '../src/parsing/qasm/index.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const only = option('--case');
const sizesOption = option('--sizes');
const RUNS = 5;
const N = 20;
const here = dirname(fileURLToPath(import.meta.url));

/** One gate per line, cycling through typical statement forms; theta[k] is used once. */
function flatDsl(gates: number): string {
  const lines = [`qubits ${N};`, `param a, theta[${gates}];`];
  for (let i = 0; i < gates; i++) {
    const q = i % N;
    switch (i % 6) {
      case 0: lines.push(`rx(theta[${i}]) ${q};`); break;
      case 1: lines.push(`cx ${q} ${(q + 1) % N};`); break;
      case 2: lines.push(`rzz(2*theta[${i}] - pi/4) ${q} ${(q + 3) % N};`); break;
      case 3: lines.push(`h ${q};`); break;
      case 4: lines.push(`rot(theta[${i}] + 0.5*a) X${q} Y${(q + 1) % N} Z${(q + 2) % N};`); break;
      default: lines.push(`u3(theta[${i}], a, -1.5707963267948966) ${q};`); break;
    }
  }
  return lines.join('\n') + '\n';
}

/** The same circuit in OpenQASM 3 (the `rot` line becomes an rz, as QASM has no Pauli-string rotation). */
function flatQasm(gates: number): string {
  const lines = ['OPENQASM 3.0;', 'include "stdgates.inc";', `qubit[${N}] q;`, 'input float[64] a;', `input array[float[64], ${gates}] theta;`];
  for (let i = 0; i < gates; i++) {
    const q = i % N;
    switch (i % 6) {
      case 0: lines.push(`rx(theta[${i}]) q[${q}];`); break;
      case 1: lines.push(`cx q[${q}], q[${(q + 1) % N}];`); break;
      case 2: lines.push(`rzz(2*theta[${i}] - pi/4) q[${q}], q[${(q + 3) % N}];`); break;
      case 3: lines.push(`h q[${q}];`); break;
      case 4: lines.push(`rz(theta[${i}] + 0.5*a) q[${q}];`); break;
      default: lines.push(`u3(theta[${i}], a, -1.5707963267948966) q[${q}];`); break;
    }
  }
  return lines.join('\n') + '\n';
}

/** Transpiled-for-hardware OpenQASM 2: numeric angles, the rz/sx/cx basis. */
function hardwareQasm(gates: number): string {
  const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${N}];`];
  let x = 0.123456789;
  for (let i = 0; i < gates; i++) {
    const q = i % N;
    x = (x * 1103515245 + 12345) % 6.283185307179586;
    switch (i % 3) {
      case 0: lines.push(`rz(${x}) q[${q}];`); break;
      case 1: lines.push(`sx q[${q}];`); break;
      default: lines.push(`cx q[${q}],q[${(q + 1) % N}];`); break;
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The issue's Clifford case: layers of random h / s / cx on 1,000 qubits (as in the comparison with
 * Stim), one gate per line; `qasm` writes it as OpenQASM 2.
 */
function cliffordFlat(gates: number, qasm: boolean): string {
  const Q = 1000;
  const lines = qasm ? ['OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${Q}];`] : [`qubits ${Q};`];
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < gates; i++) {
    const a = next() % Q;
    const r = next() % 3;
    if (r === 2) {
      const b = (a + 1 + (next() % (Q - 1))) % Q;
      lines.push(qasm ? `cx q[${a}],q[${b}];` : `cx ${a} ${b};`);
    } else {
      const g = r === 0 ? 'h' : 's';
      lines.push(qasm ? `${g} q[${a}];` : `${g} ${a};`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Layers of ry/rz rotations and a CX ring written as loops: `gates` gates after expansion. */
function loopDsl(gates: number): string {
  const perLayer = 3 * N;
  const layers = Math.round(gates / perLayer);
  return `qubits ${N};
param theta[${2 * N * layers}];
for l in 0..${layers} {
  for i in 0..${N} { ry(theta[2*${N}*l + i]) i; }
  for i in 0..${N} { rz(theta[2*${N}*l + ${N} + i] - pi/2) q[i]; }
  for i in 0..${N} { cx i (i+1)%${N}; }
}
`;
}

/**
 * The circuit of flatDsl built directly with CircuitAssembler and GATE_LIBRARY, sources included:
 * the IR construction every front end pays, so parse overhead = parseDsl − this.
 */
function flatCircuitDirect(gates: number): Circuit {
  const b = new CircuitAssembler();
  b.setQubits(N);
  b.declareParameter('a', null);
  b.declareParameter('theta', gates);
  const lib = (name: string) => GATE_LIBRARY.get(name)!;
  const a = parameterExpr(0);
  for (let i = 0; i < gates; i++) {
    const q = i % N;
    const th = parameterExpr(1 + i);
    const at = { file: 'direct', line: i + 3, column: 1 };
    switch (i % 6) {
      case 0: b.addGates(lib('rx').lower([q], [th]), at); break;
      case 1: b.addGates(lib('cx').lower([q, (q + 1) % N], []), at); break;
      case 2: b.addGates(lib('rzz').lower([q, (q + 3) % N], [combine(th, 2, constantExpr(Math.PI / 4), -1)]), at); break;
      case 3: b.addGates(lib('h').lower([q], []), at); break;
      case 4: {
        const pauli = [[q, 'X'], [(q + 1) % N, 'Y'], [(q + 2) % N, 'Z']] as const;
        const sorted = [...pauli].sort((x, y) => x[0] - y[0]);
        b.addGates([{ kind: 'rotation', pauli: { qubits: sorted.map((p) => p[0]), letters: sorted.map((p) => p[1]) }, angle: combine(th, 1, a, 0.5) }], at);
        break;
      }
      default: b.addGates(lib('u3').lower([q], [th, a, constantExpr(-Math.PI / 2)]), at); break;
    }
  }
  return b.build();
}

type Kind = 'dsl' | 'qasm';

function parse(kind: Kind, text: string, fastPath: boolean): Circuit {
  return kind === 'dsl' ? parseDsl(text, 'bench.ncl', { fastPath }) : parseQasm(text, 'bench.qasm', { fastPath });
}

interface Timing {
  min: number;
  median: number;
  runs: number[];
}

function time(f: () => void): { wall: Timing; cpu: Timing } {
  f(); // warm-up (JIT, parse templates)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const stats = (xs: number[]): Timing => {
    const s = [...xs].sort((x, y) => x - y);
    return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, runs: xs };
  };
  return { wall: stats(wall), cpu: stats(cpu) };
}

/** Child mode: parse one file once and report peak and retained memory (see memoryCase). */
if (args[0] === '--memory-child') {
  const [, kind, path, fast] = args as [string, Kind, string, string];
  const text = readFileSync(path, 'utf8');
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const circuit = parse(kind, text, fast === '1');
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc?.();
  const after = process.memoryUsage();
  process.stdout.write(JSON.stringify({ gates: circuit.gates.length, peakExtraRss: peakRss - before.rss, retainedHeap: after.heapUsed - before.heapUsed }));
  process.exit(0);
}

/** Peak memory of one parse in a fresh process: RSS growth up to its peak, and the heap the circuit keeps. */
function memoryCase(kind: Kind, text: string, fastPath: boolean): Record<string, number> | null {
  const dir = mkdtempSync(join(tmpdir(), 'nc-parse-'));
  try {
    const path = join(dir, kind === 'dsl' ? 'flat.ncl' : 'flat.qasm');
    writeFileSync(path, text);
    const r = spawnSync(process.execPath, [join(here, '../node_modules/tsx/dist/cli.mjs'), fileURLToPath(import.meta.url), '--memory-child', kind, path, fastPath ? '1' : '0'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --max-old-space-size=8192`.trim() },
    });
    if (r.status !== 0) {
      console.log(`memory child failed: ${r.stderr}`);
      return null;
    }
    const m = JSON.parse(r.stdout) as { gates: number; peakExtraRss: number; retainedHeap: number };
    const bytes = Buffer.byteLength(text);
    return { ...m, fileBytes: bytes, peakOverFile: m.peakExtraRss / bytes, retainedOverFile: m.retainedHeap / bytes, retainedBytesPerGate: m.retainedHeap / m.gates };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wanted = (name: string) => only === undefined || name.includes(only);
const results: Record<string, unknown>[] = [];
const flatSizes = sizesOption ? sizesOption.split(',').map(Number) : quick ? [10_000] : [10_000, 100_000, 1_000_000];

function report(name: string, kind: Kind, text: string, sourceGates: number, fastPath: boolean): void {
  const stats = kind === 'dsl' ? dslFastPathStats : qasmFastPathStats;
  const s0 = stats.statements;
  const circuitGates = parse(kind, text, fastPath).gates.length;
  const fastShare = (stats.statements - s0) / sourceGates;
  const t = time(() => parse(kind, text, fastPath));
  const bytes = Buffer.byteLength(text);
  const r = {
    case: name,
    path: fastPath ? 'fast path' : 'grammar/parser only',
    /** Gate statements in the source (after loop expansion); IR gates below (u3 lowers to 3). */
    sourceGates,
    gates: circuitGates,
    bytes,
    fastPathShare: Number(fastShare.toFixed(4)),
    seconds: t.wall,
    cpuSeconds: t.cpu,
    gatesPerSecond: Math.round(circuitGates / t.wall.min),
    statementsPerSecond: Math.round(sourceGates / t.wall.min),
    megabytesPerSecond: Number((bytes / 1e6 / t.wall.min).toFixed(1)),
  };
  results.push(r);
  console.log(
    `${`${name} [${fastPath ? 'fast' : 'slow'}]`.padEnd(30)} ${String(r.gates).padStart(8)} gates ${String(bytes).padStart(9)} B  ` +
      `${t.wall.min.toFixed(3)} s (median ${t.wall.median.toFixed(3)}, cpu ${t.cpu.min.toFixed(3)})  ` +
      `${(r.gatesPerSecond / 1e6).toFixed(2)} M gates/s  ${(r.statementsPerSecond / 1e6).toFixed(2)} M stmts/s  ${r.megabytesPerSecond} MB/s  fast ${(fastShare * 100).toFixed(0)}%`,
  );
}

for (const gates of flatSizes) {
  const cases: [string, Kind, () => string][] = [
    ['dsl flat', 'dsl', () => flatDsl(gates)],
    ['qasm3 flat', 'qasm', () => flatQasm(gates)],
    ['qasm2 hardware flat', 'qasm', () => hardwareQasm(gates)],
    ['dsl clifford flat', 'dsl', () => cliffordFlat(gates, false)],
    ['qasm2 clifford flat', 'qasm', () => cliffordFlat(gates, true)],
  ];
  for (const [name, kind, make] of cases) {
    if (!wanted(name)) continue;
    const text = make();
    report(name, kind, text, gates, true);
    // The grammar path takes seconds per million statements: compared up to 100k.
    if (gates <= 100_000) report(name, kind, text, gates, false);
  }
  if (wanted('IR construction')) {
    const direct = time(() => flatCircuitDirect(gates));
    const directGates = flatCircuitDirect(gates).gates.length;
    results.push({ case: 'IR construction only (no text)', gates: directGates, seconds: direct.wall, cpuSeconds: direct.cpu, gatesPerSecond: Math.round(directGates / direct.wall.min) });
    console.log(`${'IR construction only'.padEnd(30)} ${String(directGates).padStart(8)} gates ${''.padStart(11)}  ` +
      `${direct.wall.min.toFixed(3)} s (median ${direct.wall.median.toFixed(3)}, cpu ${direct.cpu.min.toFixed(3)})  ${(directGates / direct.wall.min / 1e6).toFixed(2)} M gates/s`);
  }
}

for (const gates of quick ? [10_000] : [10_000, 100_000]) {
  if (!wanted('dsl loops')) continue;
  const text = loopDsl(gates);
  const n = parseDsl(text).gates.length;
  report('dsl loops', 'dsl', text, n, true);
  report('dsl loops', 'dsl', text, n, false);
}

if (wanted('nearley')) {
  // nearley on every statement, no parse reuse, syntax only: the cost the shape cache avoids.
  const text = flatDsl(10_000);
  const t = time(() => parseSyntaxUncached(text, 'flat.ncl'));
  const r = { case: 'nearley syntax only, no reuse', gates: 10_000, bytes: Buffer.byteLength(text), seconds: t.wall, cpuSeconds: t.cpu, gatesPerSecond: Math.round(10_000 / t.wall.min) };
  results.push(r);
  console.log(`${r.case.padEnd(30)} ${r.gates} gates  ${t.wall.min.toFixed(3)} s  ${r.gatesPerSecond} statements/s`);
}

if (wanted('memory')) {
  const gates = flatSizes[flatSizes.length - 1]!;
  for (const [name, kind, text] of [
    ['dsl flat', 'dsl', flatDsl(gates)],
    ['qasm3 flat', 'qasm', flatQasm(gates)],
    ['qasm2 hardware flat', 'qasm', hardwareQasm(gates)],
    ['dsl clifford flat', 'dsl', cliffordFlat(gates, false)],
  ] as const) {
    for (const fastPath of gates <= 100_000 ? [true, false] : [true]) {
      const m = memoryCase(kind, text, fastPath);
      if (m === null) continue;
      results.push({ case: `memory ${name}`, path: fastPath ? 'fast path' : 'grammar/parser only', sourceGates: gates, ...m });
      console.log(
        `${`memory ${name} [${fastPath ? 'fast' : 'slow'}]`.padEnd(30)} ${String(m.gates).padStart(8)} gates ${String(m.fileBytes).padStart(9)} B  ` +
          `peak +${(m.peakExtraRss / 1e6).toFixed(0)} MB = ${m.peakOverFile!.toFixed(1)}× file, retained ${(m.retainedHeap / 1e6).toFixed(0)} MB = ` +
          `${m.retainedOverFile!.toFixed(1)}× file (${m.retainedBytesPerGate!.toFixed(0)} B/gate)`,
      );
    }
  }
}

if (only === undefined && sizesOption === undefined) {
  const out = join(here, 'results', 'parse.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ benchmark: 'parse', node: process.version, date: new Date().toISOString(), quick, loadAverage: loadavg(), results }, null, 2) + '\n',
  );
  console.log(`wrote ${out}`);
}
