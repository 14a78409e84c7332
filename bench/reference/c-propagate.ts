/**
 * The C reference propagator (propagate.c) as the benchmarks use it: the input text for a circuit
 * (gates compiled in Heisenberg order, 64-bit words), the binary for a word count (built with the
 * system `cc -O2` when missing or older than its source), and one run. Shared by
 * bench/propagation.ts and bench/startup.ts so both measure against the same program.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Circuit, Observable } from '../../src/ir/types.js';
import { wordsFor } from '../../src/pauli/packed.js';
import { packSparse } from '../../src/pauli/sparse.js';
import { compileHeisenberg } from '../../src/propagation/compile.js';
import type { Truncation } from '../../src/propagation/options.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The circuit and observable in the reference's text format; nw = 64-bit words per plane. */
export function cReferenceInput(
  circuit: Circuit, params: ArrayLike<number>, observable: Observable, truncation: Truncation,
): { text: string; nw: number } {
  const n = circuit.numQubits;
  const W = wordsFor(n);
  const nw = Math.ceil(W / 2);
  const gates = compileHeisenberg(circuit, params);
  // Bench-side formatting of 64-bit words (not a hot path of the product).
  const hex = (lo: number, hi: number) => ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16);
  const lines = [`${n} ${truncation.maxWeight ?? 1 << 20} ${truncation.minAbs ?? 1e-10} ${gates.length}`];
  for (const g of gates) {
    if (g.kind !== 'rotation') throw new Error('the C reference takes rotations only');
    const x = new Uint32Array(2 * nw), zz = new Uint32Array(2 * nw);
    g.words.forEach((w, i) => {
      x[w] = g.gx[i]!;
      zz[w] = g.gz[i]!;
    });
    const parts: string[] = [];
    for (let j = 0; j < nw; j++) {
      if (x[2 * j] || x[2 * j + 1] || zz[2 * j] || zz[2 * j + 1]) parts.push(`${j} ${hex(x[2 * j]!, x[2 * j + 1]!)} ${hex(zz[2 * j]!, zz[2 * j + 1]!)}`);
    }
    lines.push(`${parts.length} ${parts.join(' ')} ${g.cos.toPrecision(17)} ${g.sin.toPrecision(17)}`);
  }
  lines.push(String(observable.terms.length));
  const key = new Uint32Array(2 * W);
  for (const t of observable.terms) {
    key.fill(0);
    packSparse(t.pauli, key, 0, W);
    const w64: string[] = [];
    for (const plane of [0, W]) for (let j = 0; j < nw; j++) w64.push(hex(key[plane + 2 * j]!, 2 * j + 1 < W ? key[plane + 2 * j + 1]! : 0));
    lines.push(`${w64.join(' ')} ${t.coeff}`);
  }
  return { text: lines.join('\n') + '\n', nw };
}

/** Path of the reference binary for nw words, built when missing or stale. */
export function buildCReference(nw: number): string {
  const src = join(here, 'propagate.c');
  const outDir = join(here, 'build');
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, `propagate-${nw}`);
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    execFileSync('cc', ['-O2', `-DNW=${nw}`, '-o', bin, src, '-lm']);
  }
  return bin;
}

/** One run of the reference on `text`: its JSON report. */
export function runCReference(text: string, nw: number, what: string): Record<string, unknown> {
  const r = spawnSync(buildCReference(nw), [], { input: text, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`C reference failed on ${what}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as Record<string, unknown>;
}
