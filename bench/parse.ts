/**
 * DSL parse throughput (issue 2, item 9): text → IR circuit with parseDsl, for generated files of
 * 10,000 and 100,000 gates (one gate per line, mixed Clifford gates and rotations with affine
 * angles) and for circuits of the same size written with loops. Also the raw nearley path without parse
 * reuse on 10,000 gates, and the bare IR construction of the flat circuit (CircuitAssembler and
 * GATE_LIBRARY, no text) that any front end pays. Run: `npx tsx bench/parse.ts` (`--quick` skips
 * 100k). Writes bench/results/parse.json. Target: 100,000 gates in well under a second.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combine, constantExpr, parameterExpr } from '../src/ir/affine.js';
import { CircuitAssembler } from '../src/ir/circuit.js';
import { GATE_LIBRARY } from '../src/ir/gate-library.js';
import type { Circuit } from '../src/ir/types.js';
import { parseDsl } from '../src/parsing/dsl/index.js';
import { parseSyntaxUncached } from '../src/parsing/dsl/syntax.js';

const quick = process.argv.includes('--quick');
const RUNS = 5;
const N = 20;

/** One gate per line, cycling through typical statement forms; theta[k] is used once. */
function flatFile(gates: number): string {
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

/**
 * The circuit of flatFile built directly with CircuitAssembler and GATE_LIBRARY, sources included:
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

/** Layers of ry/rz rotations and a CX ring written as loops: `gates` gates after expansion. */
function loopFile(gates: number): string {
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

const results: Record<string, unknown>[] = [];
const sizes = quick ? [10_000] : [10_000, 100_000];
for (const gates of sizes) {
  for (const [style, text] of [
    ['flat', flatFile(gates)],
    ['loops', loopFile(gates)],
  ] as const) {
    const circuitGates = parseDsl(text).gates.length;
    const t = time(() => parseDsl(text, `${style}.ncl`));
    const r = {
      case: `parseDsl ${style}`,
      /** Gate statements in the source (after loop expansion); IR gates below (u3 lowers to 3). */
      sourceGates: style === 'flat' ? gates : circuitGates,
      gates: circuitGates,
      bytes: Buffer.byteLength(text),
      seconds: t.wall,
      cpuSeconds: t.cpu,
      gatesPerSecond: Math.round(circuitGates / t.wall.min),
    };
    results.push(r);
    console.log(`${r.case.padEnd(22)} ${String(r.gates).padStart(7)} gates ${String(r.bytes).padStart(8)} bytes  ` +
      `${t.wall.min.toFixed(3)} s (median ${t.wall.median.toFixed(3)} s, cpu ${t.cpu.min.toFixed(3)} s)  ${r.gatesPerSecond} gates/s`);
  }
  const direct = time(() => flatCircuitDirect(gates));
  const directGates = flatCircuitDirect(gates).gates.length;
  results.push({ case: 'IR construction only (no text)', gates: directGates, seconds: direct.wall, cpuSeconds: direct.cpu });
  console.log(`${'IR construction only'.padEnd(22)} ${String(directGates).padStart(7)} gates ${''.padStart(14)}  ` +
    `${direct.wall.min.toFixed(3)} s (median ${direct.wall.median.toFixed(3)} s, cpu ${direct.cpu.min.toFixed(3)} s)`);
}
{
  // nearley on every statement, no parse reuse, syntax only: the cost the shape cache avoids.
  const text = flatFile(10_000);
  const t = time(() => parseSyntaxUncached(text, 'flat.ncl'));
  const r = { case: 'nearley syntax only, no reuse', gates: 10_000, bytes: Buffer.byteLength(text), seconds: t.wall, cpuSeconds: t.cpu, gatesPerSecond: Math.round(10_000 / t.wall.min) };
  results.push(r);
  console.log(`${r.case} ${r.gates} gates  ${t.wall.min.toFixed(3)} s  ${r.gatesPerSecond} gates/s`);
}

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'parse.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({ benchmark: 'parse', node: process.version, date: new Date().toISOString(), quick, loadAverage: loadavg(), results }, null, 2) + '\n',
);
console.log(`wrote ${out}`);
