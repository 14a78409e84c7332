import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { chooseTaylorOrder, gaussianL1Quantile, angleMapStats } from '../../src/bounds/order.js';
import { registerSurrogateCommands } from '../../src/cli/commands/surrogate.js';
import { UserError } from '../../src/ir/errors.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { expectation } from '../../src/simulators/statevector/index.js';

/** Runs `surrogate` / `evaluate` in-process and captures stdout. */
async function run(args: string[]): Promise<string> {
  const program = new Command();
  program.exitOverride();
  registerSurrogateCommands(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'nearclifford', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'nc-surrogate-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const source = 'qubits 3;\nparam a;\nparam theta[2];\nry(a) 0;\ncx 0 1;\nrx(2*theta[1] - pi/2) 1;\nrzz(a + theta[0]) 1 2;\nt 2;\nry(theta[0]) 2;\nobservable H = 0.5*Z0 Z1 - X1 + 0.25*Z2;\n';
const circuitFile = file('c.ncl', source);
const pointObjs = [{ a: 0.05, theta: [0.02, -0.03] }, { a: -0.1, theta: [0.04, 0.01] }];
const pointsFile = file('points.json', JSON.stringify(pointObjs));

describe('nearclifford surrogate / evaluate', () => {
  it('--order with --eval: values within the reported bounds of the exact values', async () => {
    const out = JSON.parse(await run(['surrogate', circuitFile, '--order', '3', '--eval', pointsFile, '--json']));
    expect(out).toMatchObject({ kind: 'taylor', order: 3, paper_threshold: 4, bound: null });
    expect(out.terms).toBeGreaterThan(0);
    expect(out.monomials).toBeGreaterThan(0);
    expect(typeof out.build_seconds).toBe('number');
    const circuit = parseDsl(source, 'c.ncl');
    pointObjs.forEach((p, i) => {
      const x = new Float64Array([p.a, ...p.theta]);
      const exact = expectation(circuit, x, circuit.observables[0]!);
      expect(Math.abs(out.values[i] - exact)).toBeLessThanOrEqual(out.bounds[i] + 1e-12);
    });
  });

  it('--eps with --sigma in D picks the smallest sufficient order; save → evaluate reproduces values', async () => {
    const saved = join(dir, 's.json');
    const out = JSON.parse(await run(['surrogate', circuitFile, '--eps', '1e-4', '--sigma', 'D^-2', '--save', saved, '--eval', pointsFile, '--json']));
    const circuit = parseDsl(source, 'c.ncl');
    const rows = circuit.gates.flatMap((g) => (g.kind === 'rotation' && g.angle.terms.length ? [g.angle.terms] : []));
    const t = gaussianL1Quantile(angleMapStats(3, rows), 1 / 9, 1e-6);
    expect(out.displacement_bound).toBeCloseTo(t, 12);
    // The paper's order is the prediction; the tightest bound certifies an order at most that.
    expect(out.order_selection.predicted_apriori).toBe(chooseTaylorOrder(1.75, t, 1e-4).order);
    expect(out.order).toBeLessThanOrEqual(out.order_selection.predicted_apriori);
    expect(out.bound).toBeLessThanOrEqual(1e-4);
    const tried = out.order_selection.tried;
    expect(tried[tried.length - 1].truncation).toBe(out.order);
    for (const t0 of tried.slice(0, -1)) expect(t0.bound).toBeGreaterThan(1e-4);
    const ev = JSON.parse(await run(['evaluate', saved, '--at', pointsFile, '--json']));
    expect(ev).toEqual({ kind: 'taylor', order: out.order, warnings: [], values: out.values, bounds: out.bounds, bound_kinds: out.bound_kinds, bounds_by_kind: out.bounds_by_kind });
    const text = await run(['evaluate', saved, '--at', pointsFile]);
    expect(text.trim().split('\n')).toHaveLength(2);
    expect(JSON.parse(readFileSync(saved, 'utf8')).format).toBe('nearclifford-surrogate');
  });

  it('--kind paths with --radius and --eps; --coefficients lists named monomials', async () => {
    const out = JSON.parse(await run(['surrogate', circuitFile, '--kind', 'paths', '--eps', '1e-3', '--radius', '0.01', '--json']));
    expect(out.kind).toBe('paths');
    expect(out.order).toBeNull();
    expect(out.bound).toBeLessThanOrEqual(1e-3);
    const co = JSON.parse(await run(['surrogate', circuitFile, '--order', '1', '--observable', 'Z0', '--center', 'random-clifford:3', '--coefficients', '--json']));
    for (const c of co.coefficients) expect(c.monomial).toMatch(/^(1|a|theta\[[01]\])$/);
    const text = await run(['surrogate', circuitFile, '--order', '2']);
    expect(text).toMatch(/paper's truncation threshold: 3/);
  });

  it('user mistakes are UserErrors', async () => {
    await expect(run(['surrogate', circuitFile])).rejects.toThrow(/--order m, or --eps/);
    await expect(run(['surrogate', circuitFile, '--eps', '1e-3'])).rejects.toThrow(UserError);
    await expect(run(['surrogate', circuitFile, '--order', '2', '--sigma', '1/D', '--radius', '0.1'])).rejects.toThrow(/either --sigma or --radius/);
    await expect(run(['surrogate', circuitFile, '--order', '2', '--kind', 'paths'])).rejects.toThrow(/--max-sins/);
    await expect(run(['surrogate', circuitFile, '--order', '2', '--kind', 'dense'])).rejects.toThrow(/taylor or paths/);
    await expect(run(['surrogate', circuitFile, '--eps', '1e-3', '--sigma', '1/Q'])).rejects.toThrow(/unknown name 'Q'/);
    await expect(run(['surrogate', circuitFile, '--order', '2', '--center', 'random-cliford'])).rejects.toThrow(UserError);
    const bad = file('bad.json', JSON.stringify([{ a: 1 }]));
    await expect(run(['surrogate', circuitFile, '--order', '2', '--eval', bad])).rejects.toThrow(/point 0: missing parameter 'theta'/);
    await expect(run(['evaluate', bad, '--at', pointsFile])).rejects.toThrow(/not a surrogate file/);
  });
});
