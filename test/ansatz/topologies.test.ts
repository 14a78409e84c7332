import { describe, expect, it } from 'vitest';
import { ansatzParameterCount, buildAnsatz, KICKED_ISING_ZZ_ANGLE } from '../../src/ansatz/families.js';
import { eagleTopology, staircaseTopology } from '../../src/ansatz/topology.js';
import { UserError } from '../../src/ir/errors.js';
import { runCli } from '../cli/run-cli.js';

describe('IBM Eagle heavy-hex topology', () => {
  const top = eagleTopology();
  const degree = new Array<number>(127).fill(0);
  for (const [a, b] of top) {
    degree[a]!++;
    degree[b]!++;
  }

  it('has 127 qubits and 144 couplings, sorted, no duplicates', () => {
    expect(top.length).toBe(144);
    expect(Math.max(...top.flat())).toBe(126);
    expect(Math.min(...top.flat())).toBe(0);
    const keys = top.map(([a, b]) => a * 1000 + b);
    expect(new Set(keys).size).toBe(144);
    expect([...keys].sort((x, y) => x - y)).toEqual(keys);
    for (const [a, b] of top) expect(a).toBeLessThan(b);
  });

  it('is heavy-hex: degrees 1–3, degree-3 qubits only next to degree-2 qubits, connected', () => {
    expect(degree.every((d) => d >= 1 && d <= 3)).toBe(true);
    for (const [a, b] of top) expect(degree[a] === 3 && degree[b] === 3).toBe(false);
    const adj = degree.map(() => [] as number[]);
    for (const [a, b] of top) {
      adj[a]!.push(b);
      adj[b]!.push(a);
    }
    const seen = new Set([0]);
    const stack = [0];
    while (stack.length) for (const v of adj[stack.pop()!]!) if (!seen.has(v)) (seen.add(v), stack.push(v));
    expect(seen.size).toBe(127);
    // Corners of the published map (0-based): the first row's ends and the last bridge.
    expect(top).toContainEqual([0, 1]);
    expect(top).toContainEqual([0, 14]);
    expect(top).toContainEqual([112, 126]);
    expect(top).toContainEqual([125, 126]);
  });
});

describe('kicked-Ising family', () => {
  it('is L × [RX on every qubit; RZZ(−π/2) on every coupling]', () => {
    const c = buildAnsatz('kicked-ising', { qubits: 5, layers: 2, topology: 'staircase', periodic: false });
    expect(c.numParameters).toBe(10);
    expect(ansatzParameterCount('kicked-ising', 5, 2)).toBe(10);
    const top = staircaseTopology(5, false);
    const layer = [
      ...[0, 1, 2, 3, 4].map((q) => `X${q}`),
      ...top.map(([a, b]) => `Z${a}Z${b}`),
    ];
    const got = c.gates.map((g) => (g.kind === 'rotation' ? g.pauli.qubits.map((q, i) => `${g.pauli.letters[i]}${q}`).join('') : g.name));
    expect(got).toEqual([...layer, ...layer]);
    const zz = c.gates.filter((g) => g.kind === 'rotation' && g.pauli.qubits.length === 2);
    for (const g of zz) if (g.kind === 'rotation') expect(g.angle).toEqual({ constant: KICKED_ISING_ZZ_ANGLE, terms: [] });
  });

  it('rejects eagle on another size and topology on families with their own pattern', () => {
    expect(() => buildAnsatz('kicked-ising', { qubits: 100, layers: 1, topology: 'eagle' })).toThrow(UserError);
    expect(() => buildAnsatz('mhea', { qubits: 4, layers: 1, topology: 'brick' })).toThrow(/`topology` applies/);
    expect(buildAnsatz('kicked-ising', { qubits: 127, layers: 1, topology: 'eagle', angle: 0.2 }).gates.length).toBe(127 + 144);
  });

  it('is printed by `nearclifford ansatz kicked-ising --topology eagle` (built CLI)', () => {
    const r = runCli(['ansatz', 'kicked-ising', '-n', '127', '-l', '1', '--topology', 'eagle']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /rzz|ZZ/i.test(l)).length).toBeGreaterThanOrEqual(1);
    const bad = runCli(['ansatz', 'kicked-ising', '-n', '12', '-l', '1', '--topology', 'eagle']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
