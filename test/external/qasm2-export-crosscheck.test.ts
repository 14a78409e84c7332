import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEfficientSu2 } from '../../src/ansatz/efficient-su2.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { circuitToQasm2 } from '../../src/printing/qasm2.js';
import { denseFinalState, diffUpToPhase, type CVector } from '../helpers/dense.js';

/**
 * `convert --to qasm2` read by the independent `quantum-circuit` simulator (its own QASM 2 parser):
 * the Qiskit-gate fixture (ecr, cs, xx_plus_yy, rcccx, …, lowered and bound) and EfficientSU2 with
 * every entanglement pattern must give our dense reference state up to a global phase.
 */

const SEED = Number(process.env.NC_SEED ?? 77);
type QuantumCircuitCtor = new () => {
  importQASM(text: string, onError: (errors: unknown[]) => void): void;
  run(): void;
  numQubits: number;
  state: Record<string, { re: number; im: number }>;
};
const mod = (await import('quantum-circuit' as string)) as { default?: QuantumCircuitCtor };
const QuantumCircuit = mod.default ?? (mod as unknown as QuantumCircuitCtor);

function externalState(text: string): CVector {
  const qc = new QuantumCircuit();
  let errors: unknown[] = [];
  qc.importQASM(text, (e) => {
    errors = e ?? [];
  });
  if (errors.length) throw new Error(`quantum-circuit rejected the program: ${JSON.stringify(errors)}`);
  qc.run();
  const n = qc.numQubits;
  const re = new Float64Array(1 << n);
  const im = new Float64Array(1 << n);
  for (const [k, v] of Object.entries(qc.state)) {
    re[Number(k)] = v.re;
    im[Number(k)] = v.im;
  }
  return { re, im };
}

const angles = (n: number) => fc.array(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), { minLength: n, maxLength: n });

describe('OpenQASM 2 export against quantum-circuit', () => {
  it('the Qiskit standard-gate fixture', () => {
    const file = join(import.meta.dirname, '../fixtures/qiskit/standard_gates.qasm');
    const c = parseQasm(readFileSync(file, 'utf8'), file);
    fc.assert(
      fc.property(angles(2), (p) => {
        expect(diffUpToPhase(denseFinalState(c, p), externalState(circuitToQasm2(c, p)))).toBeLessThan(1e-10);
      }),
      { seed: SEED, numRuns: 3 },
    );
  });

  for (const entanglement of ['reverse_linear', 'linear', 'circular', 'full', 'pairwise', 'sca'] as const) {
    it(`EfficientSU2 with ${entanglement} entanglement`, () => {
      const c = buildEfficientSu2({ qubits: 4, reps: 2, entanglement, su2Gates: ['ry', 'rz'] });
      fc.assert(
        fc.property(angles(c.numParameters), (p) => {
          expect(diffUpToPhase(denseFinalState(c, p), externalState(circuitToQasm2(c, p)))).toBeLessThan(1e-10);
        }),
        { seed: SEED, numRuns: 3 },
      );
    });
  }
});
