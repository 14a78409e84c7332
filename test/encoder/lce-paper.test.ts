import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/index.js';
import { encodeLce } from '../../src/encoder/lce.js';
import { UserError } from '../../src/ir/errors.js';
import type { Gate, Observable } from '../../src/ir/types.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { circuitToDsl } from '../../src/printing/dsl.js';
import { expectationAndGradient } from '../../src/simulators/statevector/index.js';
import { cliBuilt, runCli } from '../cli/run-cli.js';

/**
 * `--variant paper` against the authors' construction (sabrimeyer/Taylor-Surrogate-and-LCE,
 * `LinearCliffordEncoder` = prefix Q · U · suffix Q̃). The expected gates and gradient components
 * below were derived by hand from their recipe, not by running this encoder:
 *
 *   Q̃ = W_a⁻¹ (the inverse of the gates after rotation k, rotations dropped) then a local fix-up
 *       decided on the measured string P at the rotation's qubit j: nothing if P_j ∉ {I, V}; H (V ∈
 *       {X,Z}) or S (V = Y) on j if P_j = V; if P_j = I a CX with the lowest qubit i of P
 *       (control i for X/Y at i, control j for Z at i) preceded in time by H on j when the copied
 *       letter equals V.
 *   Q  = per qubit of P̃ = (U·Q̃ at θ = (π/2)e_k)† P (U·Q̃): H on X, H then S on Y.
 *
 * Heisenberg rules used by hand: CX(c,t): Z_t → Z_c Z_t, X_c → X_c X_t; H: X↔Z; S: Y → X;
 * ∂_k C(0) = ⟨ψ_k| i G O_k |ψ_k⟩ when G anticommutes with the observable O_k pulled back to the
 * rotation, else 0 (ψ_k the state before it).
 */
const obs = (text: string, n: number): Observable => parseObservableText(text, { numQubits: n });
const gateText = (g: Gate) => (g.kind !== 'rotation' ? `${g.name}${g.qubits.join(',')}` : `r${g.pauli.letters.join('')}${g.pauli.qubits.join(',')}`);

function gradientAtZero(circuit: ReturnType<typeof buildAnsatz>, o: Observable): number[] {
  return Array.from(expectationAndGradient(circuit, new Float64Array(circuit.numParameters), o).gradient).map((v) => Math.round(v * 1e9) / 1e9 + 0);
}

describe('LCE --variant paper: the authors\' construction', () => {
  // mHEA N = 2, L = 1 (Qiskit EfficientSU2 [ry, rz], circular): ry0 ry1 rz0 rz1 cx(0,1) ry0 ry1 rz0 rz1 — θ0…θ7.
  const mhea2 = buildAnsatz('mhea', { qubits: 2, layers: 1 });

  it('P = Z0 Z1, k = 0 (ry on q0): no fix-up; prefix H0; gradient (−1, 0, …, 0)', () => {
    // P_0 = Z ≠ Y: Q̃ = W_a⁻¹ = cx(0,1). P̃: Z0Z1 →cx→ Z1 →cx→ Z0Z1 →ry0(π/2)→ −X0 Z1, so Q = H0.
    // Pulled back to θ0: O = Z0Z1, iGO = −X0Z1, ψ = |+0⟩ → −1; every other rotation commutes with
    // O or has ⟨iGO⟩ = 0 (θ5: −X1 on a Bell state; θ1: −Z0X1 on |+0⟩).
    const r = encodeLce(mhea2, obs('Z0 Z1', 2), { target: 0, variant: 'paper' });
    expect(r.suffix.map(gateText)).toEqual(['cx0,1']);
    expect(r.prefix.map(gateText)).toEqual(['h0']);
    expect(gradientAtZero(r.circuit, obs('Z0 Z1', 2))).toEqual([-1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('P = Z0 Z1, k = 2 (rz on q0): fix-up H0; prefix H0 S0; gradient (0, 0, −1, 0, 0, 0, −1, −1)', () => {
    // P_0 = Z = V: Q̃ = cx(0,1) then H0. Pulled back: after layer 2 O = −Y0Y1, through the layer-1
    // CX O = X0Z1, through rz0(π/2) P̃ = −Y0 Z1, so Q = H0 then S0 and ψ0 = |+i⟩|0⟩.
    // θ2: iGO = −Y0Z1 on |+i,0⟩ → −1. θ6: iGO = −X0Y1, θ7: iGO = −Y0X1, both on
    // (|00⟩ + i|11⟩)/√2 (an eigenvector of X0Y1 and Y0X1 with eigenvalue 1) → −1. θ0: Z0Z1, θ1: −X0X1
    // on |+i,0⟩ → 0; θ3, θ4, θ5 commute.
    const r = encodeLce(mhea2, obs('Z0 Z1', 2), { target: 2, variant: 'paper' });
    expect(r.suffix.map(gateText)).toEqual(['cx0,1', 'h0']);
    expect(r.prefix.map(gateText)).toEqual(['h0', 's0']);
    expect(gradientAtZero(r.circuit, obs('Z0 Z1', 2))).toEqual([0, 0, -1, 0, 0, 0, -1, -1]);
  });

  it('P identity on the rotation\'s qubit: one CX from the lowest qubit of P, then H when the copied letter equals V', () => {
    // P = Z1, k = 2 (rz on q0): P_0 = I, i = 1 with Z → CX(0→1) copies Z onto q0 = V → H0 before it.
    const a = encodeLce(mhea2, obs('Z1', 2), { target: 2, variant: 'paper' });
    expect(a.suffix.map(gateText)).toEqual(['cx0,1', 'h0', 'cx0,1']);
    // P = X1, k = 2: X at i = 1 → CX(1→0) copies X onto q0 ≠ Z: no H.
    const b = encodeLce(mhea2, obs('X1', 2), { target: 2, variant: 'paper' });
    expect(b.suffix.map(gateText)).toEqual(['cx0,1', 'cx1,0']);
    // P = Z1, k = 0 (ry on q0): CX(0→1) copies Z ≠ Y: W_a⁻¹ and the CX are the same gate twice.
    const c = encodeLce(mhea2, obs('Z1', 2), { target: 0, variant: 'paper' });
    expect(c.suffix.map(gateText)).toEqual(['cx0,1', 'cx0,1']);
    // The measured circuit is the plain one plus H0 in front: the gradient of example 1.
    expect(gradientAtZero(c.circuit, obs('Z1', 2))).toEqual([-1, 0, 0, 0, 0, 0, 0, 0]);
    for (const r of [a, b]) expect(Math.abs(r.verification.targetDerivative)).toBe(1);
  });

  it('the authors\' height-map example (mHEA N = 8, L = 5, P = Z^8, k = 0): suffix = W_a⁻¹ exactly, weight kept', () => {
    const c = buildAnsatz('mhea', { qubits: 8, layers: 5 });
    const P = obs('Z0 Z1 Z2 Z3 Z4 Z5 Z6 Z7', 8);
    const r = encodeLce(c, P, { target: 0, variant: 'paper' });
    // P_0 = Z ≠ Y: no fix-up, so the suffix is the 5 circular CX layers after θ0, inverted.
    const cxAfter = c.gates.filter((g) => g.kind === 'clifford').map(gateText).reverse();
    expect(r.suffix.map(gateText)).toEqual(cxAfter);
    // Pulled back through W_a⁻¹·W_a the observable reaching θ0 is P itself: Z^8 through the layer-1
    // rotations at 0 (rz, ry on q1…q7 commute or sit at 0) and ry0(π/2) gives −X0 Z1…Z7 → Q = H0.
    expect(r.prefix.map(gateText)).toEqual(['h0']);
    const g = gradientAtZero(r.circuit, P);
    expect(g[0]).toBe(r.sign);
    expect(r.sign).toBe(-1);
    // The reduced variant folds Z^8 to one letter and gives a different (local) effective observable.
    const reduced = encodeLce(c, P, { target: 0, variant: 'reduced' });
    expect(reduced.suffix.length).toBeGreaterThan(r.suffix.length);
  });
});

describe('LCE on a Pauli sum: cancellation', () => {
  // rPQC(4, 5) seed 0, O = Z1 + Z1 X2 X3: encoding term 0 on θ5 gives ∂C_term = ±1 but the other
  // term contributes ∓1 (found by scanning all term/target pairs; confirmed by the state vector).
  const c = buildAnsatz('rpqc', { qubits: 4, layers: 5, seed: 0 });
  const O = obs('Z1 + Z1 X2 X3', 4);
  const zero = new Float64Array(c.numParameters);

  it('is visible when allowed: ∂_k C_O(θ*) = 0 for the full sum', () => {
    const r = encodeLce(c, O, { term: 0, target: 5, cancellation: 'allow' });
    expect(r.observableDerivative).toBe(0);
    const sv = expectationAndGradient(r.circuit, zero, O);
    expect(Math.abs(sv.gradient[5]!)).toBeLessThan(1e-12);
  });

  it('falls back to the next term on the same target, and records the rejected pair', () => {
    const r = encodeLce(c, O, { target: 5 });
    expect(r.term).toBe(1);
    expect(r.target).toBe(5);
    expect(r.cancelled).toEqual([{ term: 0, termText: 'Z1', target: 5, targetName: 'theta[5]' }]);
    const sv = expectationAndGradient(r.circuit, zero, O);
    expect(Math.abs(sv.gradient[5]!)).toBeCloseTo(Math.abs(r.observableDerivative), 12);
    expect(Math.abs(r.observableDerivative)).toBeGreaterThan(0);
  });

  it('fails with a UserError naming the cancellation when term and target are both fixed', () => {
    expect(() => encodeLce(c, O, { term: 0, target: 5 })).toThrow(UserError);
    expect(() => encodeLce(c, O, { term: 0, target: 5 })).toThrow(/cancels.*term 0 \(Z1\) on theta\[5\]/);
  });

  it.skipIf(!cliBuilt)('encode exits 1 with the cancellation message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-cancel-'));
    const file = join(dir, 'rpqc.ncl');
    writeFileSync(file, circuitToDsl(c));
    const r = runCli(['encode', file, '-o', 'Z1 + Z1 X2 X3', '--term', '0', '--target', '5', '--out', join(dir, 'o.ncl')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the LCE cancels/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const ok = runCli(['encode', file, '-o', 'Z1 + Z1 X2 X3', '--target', '5', '--out', join(dir, 'o.ncl'), '--json']);
    expect(ok.status).toBe(0);
    const json = JSON.parse(ok.stdout);
    expect(json.term).toBe(1);
    expect(json.cancelled).toHaveLength(1);
    expect(json.observable_derivative).not.toBe(0);
  });
});
