import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerEncodeCommand } from '../../src/cli/commands/encode.js';
import { UserError } from '../../src/ir/errors.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { expectationAndGradient } from '../../src/simulators/statevector/index.js';

/** `nearclifford encode`, in-process: the written file, re-read by the parsers, satisfies the invariants. */
const EXAMPLE = join(import.meta.dirname, '../../examples/mhea-4.ncl');

async function encode(args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerEncodeCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'nearclifford', 'encode', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('nearclifford encode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nc-encode-'));

  it('writes a DSL file whose circuit has ∂C = sign and C = 0 at θ* = 0', async () => {
    const out = join(dir, 'enc.ncl');
    const json = JSON.parse(await encode([EXAMPLE, '--observable', 'X0 Y2', '--target', 'theta[5]', '--out', out, '--json']));
    expect(json).toMatchObject({ target: 5, target_name: 'theta[5]', term_value: 0, variant: 'paper' });
    expect(Math.abs(json.sign)).toBe(1);
    expect(json.gates_added).toBe(json.prefix_gates + json.suffix_gates);
    const circuit = parseDsl(readFileSync(out, 'utf8'), out);
    expect(circuit.parameters).toEqual([{ name: 'theta', length: 16, offset: 0 }]);
    const obs = circuit.observables.find((o) => o.name === 'O')!;
    const { value, gradient } = expectationAndGradient(circuit, new Float64Array(16), obs);
    expect(Math.abs(value)).toBeLessThan(1e-12);
    expect(gradient[5]).toBeCloseTo(json.sign, 12);
  });

  it('writes OpenQASM 3 for a named Pauli-sum observable and a random Clifford center', async () => {
    const out = join(dir, 'enc.qasm');
    const text = await encode([EXAMPLE, '--observable', 'heisenberg', '--term', '4', '--center', 'random-clifford:7', '--out', out]);
    expect(text).toMatch(/term {8}4: /);
    expect(text).toMatch(/gates added \d+/);
    expect(text).toMatch(/verified {4}clifford gradient, clifford propagation \+ parameter shift, state vector/);
    const circuit = parseQasm(readFileSync(out, 'utf8'), out);
    expect(circuit.numParameters).toBe(16);
  });

  it('auto target and a params-file center', async () => {
    const center = join(dir, 'center.json');
    writeFileSync(center, JSON.stringify({ theta: Array.from({ length: 16 }, (_, i) => (i % 4) * (Math.PI / 2)) }));
    const json = JSON.parse(await encode([EXAMPLE, '-o', 'Z1 Z2', '--center', center, '--variant', 'compact', '--out', join(dir, 'c.ncl'), '--json']));
    // compact + auto prefers a rotation the pulled-back observable already anticommutes with: no suffix.
    expect(json.suffix_gates).toBe(0);
    const circuit = parseDsl(readFileSync(join(dir, 'c.ncl'), 'utf8'), 'c.ncl');
    const point = Float64Array.from({ length: 16 }, (_, i) => (i % 4) * (Math.PI / 2));
    const g = expectationAndGradient(circuit, point, parseObservableText('Z1 Z2', { numQubits: 4 }));
    expect(Math.abs(g.value)).toBeLessThan(1e-12);
    expect(g.gradient[json.target]).toBeCloseTo(json.sign, 12);
    // paper + auto: the rotation nearest the measurement.
    const paper = JSON.parse(await encode([EXAMPLE, '-o', 'Z1 Z2', '--center', center, '--out', join(dir, 'p.ncl'), '--json']));
    expect(paper.target).toBe(15);
  });

  it('reports impossible requests as user errors', async () => {
    await expect(encode([EXAMPLE, '-o', '3', '--out', join(dir, 'x.ncl')])).rejects.toThrow(/identity/);
    await expect(encode([EXAMPLE, '-o', 'Z0', '--out', join(dir, 'x.txt')])).rejects.toThrow(UserError);
    await expect(encode([EXAMPLE, '-o', 'Z0', '--target', 'phi', '--out', join(dir, 'x.ncl')])).rejects.toThrow(/unknown parameter/);
    await expect(encode([EXAMPLE, '-o', 'Z0', '--center', 'random-foo', '--out', join(dir, 'x.ncl')])).rejects.toThrow(/random-clifford/);
  });
});
