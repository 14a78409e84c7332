import { addExpr, constantExpr, scaleExpr, subExpr } from './affine.js';
import type { AffineExpr, CliffordName, UnitaryGate, PauliLetter } from './types.js';
import { CLIFFORD_GATES } from './clifford-gates.js';
import { CLIFFORD_OPCODE, LETTER_CODE } from './compact.js';

/**
 * Front-end gates (DSL and OpenQASM names) and their exact lowering into IR gates — Clifford
 * gates and Pauli rotations — equal to the gate's matrix up to a global phase. Both front ends
 * and both exporters use this one table, so a gate means the same everywhere.
 */
export interface GateDefinition {
  readonly name: string;
  readonly numQubits: number;
  readonly numAngles: number;
  /**
   * Opcode of the one IR Clifford gate this gate lowers to (compact.ts CLIFFORD_OPCODE), so fast
   * paths can append it without gate objects; −1 for every other gate.
   */
  readonly cliffordOp: number;
  /**
   * Letter codes (compact.ts LETTER_CODE) of the one Pauli rotation this gate lowers to, a letter
   * per operand in operand order, when its angle is the gate's one angle unchanged (rx … rzz, p):
   * fast paths append it by numbers (CircuitAssembler.addRotation); null for every other gate.
   */
  readonly rotationCodes: readonly number[] | null;
  /** IR gates in circuit (time) order. */
  lower(qubits: readonly number[], angles: readonly AffineExpr[]): UnitaryGate[];
}

const PI = Math.PI;
const c = constantExpr;

export function cliffordGate(name: CliffordName, qubits: readonly number[]): UnitaryGate {
  return { kind: 'clifford', name, qubits: [...qubits] };
}

/** Rotation exp(−i·angle·P/2) with P given by letters on (distinct) qubits, any order. */
export function rotationGate(letters: string, qubits: readonly number[], angle: AffineExpr): UnitaryGate {
  const pairs = qubits.map((q, i) => [q, letters[i] as PauliLetter] as const).sort((a, b) => a[0] - b[0]);
  return { kind: 'rotation', pauli: { qubits: pairs.map((p) => p[0]), letters: pairs.map((p) => p[1]) }, angle };
}

const half = (a: AffineExpr) => scaleExpr(a, 0.5);
const neg = (a: AffineExpr) => scaleExpr(a, -1);

/** u3(θ, φ, λ) = rz(φ)·ry(θ)·rz(λ) up to phase; circuit order rz(λ), ry(θ), rz(φ). */
function u3(q: number, theta: AffineExpr, phi: AffineExpr, lambda: AffineExpr): UnitaryGate[] {
  return [rotationGate('Z', [q], lambda), rotationGate('Y', [q], theta), rotationGate('Z', [q], phi)];
}

/** Controlled phase diag(1,1,1,e^{iλ}) = R_Zc(λ/2)·R_Zt(λ/2)·R_ZcZt(−λ/2) up to phase. */
function controlledPhase(cq: number, t: number, lambda: AffineExpr): UnitaryGate[] {
  return [
    rotationGate('Z', [cq], half(lambda)),
    rotationGate('Z', [t], half(lambda)),
    rotationGate('ZZ', [cq, t], neg(half(lambda))),
  ];
}

/** Controlled R_P(θ) = R_Pt(θ/2)·R_{Zc Pt}(−θ/2): (I−Z_c)/2 ⊗ P generates it. */
function controlledRotation(letter: 'X' | 'Y' | 'Z', cq: number, t: number, theta: AffineExpr): UnitaryGate[] {
  return [rotationGate(letter, [t], half(theta)), rotationGate('Z' + letter, [cq, t], neg(half(theta)))];
}

/** CCZ = exp(iπ|111⟩⟨111|), expanded over the 7 Z-type strings of the projector (all commute). */
function ccz(a: number, b: number, t: number): UnitaryGate[] {
  const q = PI / 4;
  return [
    rotationGate('Z', [a], c(q)),
    rotationGate('Z', [b], c(q)),
    rotationGate('Z', [t], c(q)),
    rotationGate('ZZ', [a, b], c(-q)),
    rotationGate('ZZ', [a, t], c(-q)),
    rotationGate('ZZ', [b, t], c(-q)),
    rotationGate('ZZZ', [a, b, t], c(q)),
  ];
}

function ccx(a: number, b: number, t: number): UnitaryGate[] {
  return [cliffordGate('h', [t]), ...ccz(a, b, t), cliffordGate('h', [t])];
}

/** qelib1's cu3 definition, exact including the relative phase of the controlled block. */
function cu3(cq: number, t: number, theta: AffineExpr, phi: AffineExpr, lambda: AffineExpr): UnitaryGate[] {
  return [
    rotationGate('Z', [cq], half(addExpr(lambda, phi))),
    rotationGate('Z', [t], half(subExpr(lambda, phi))),
    cliffordGate('cx', [cq, t]),
    ...u3(t, neg(half(theta)), c(0), neg(half(addExpr(phi, lambda)))),
    cliffordGate('cx', [cq, t]),
    ...u3(t, half(theta), phi, c(0)),
  ];
}

/**
 * Phase e^{iλ} on |1…1⟩ of `qubits` (the multi-controlled phase gate): the projector
 * Π(I − Z_q)/2 expanded over its 2^k − 1 non-identity Z strings, which all commute. Exact up to a
 * global phase; for k = 2 it is `cp`, for k = 3 and λ = π it is `ccz`.
 */
export function multiControlledPhase(qubits: readonly number[], lambda: AffineExpr): UnitaryGate[] {
  const k = qubits.length;
  const out: UnitaryGate[] = [];
  for (let mask = 1; mask < 1 << k; mask++) {
    const support = qubits.filter((_, i) => (mask >> i) & 1);
    // exp(iλ/2^k · (−1)^|S| Z_S) = R_{Z_S}(θ) with θ = −λ(−1)^|S| / 2^(k−1).
    const sign = support.length % 2 === 0 ? -1 : 1;
    out.push(rotationGate('Z'.repeat(support.length), support, scaleExpr(lambda, sign / 2 ** (k - 1))));
  }
  return out;
}

/** H·p(λ)·H on `target` (X for λ = π, √X for λ = π/2) controlled by all of `controls`. */
function multiControlledX(controls: readonly number[], target: number, lambda: AffineExpr = c(PI)): UnitaryGate[] {
  return [cliffordGate('h', [target]), ...multiControlledPhase([...controls, target], lambda), cliffordGate('h', [target])];
}

/** qelib1's relative-phase Toffoli: h; t; cx b,c; tdg; cx a,c; t; cx b,c; tdg; h on c (u2(0,π) = h exactly). */
function rccx(a: number, b: number, t: number): UnitaryGate[] {
  const T = () => rotationGate('Z', [t], c(PI / 4));
  const Tdg = () => rotationGate('Z', [t], c(-PI / 4));
  return [
    cliffordGate('h', [t]), T(), cliffordGate('cx', [b, t]), Tdg(), cliffordGate('cx', [a, t]), T(),
    cliffordGate('cx', [b, t]), Tdg(), cliffordGate('h', [t]),
  ];
}

/** qelib1's relative-phase 3-controlled X, gate for gate (u1 → rz, u2(0,π) → h). */
function rc3x(a: number, b: number, cq: number, t: number): UnitaryGate[] {
  const T = () => rotationGate('Z', [t], c(PI / 4));
  const Tdg = () => rotationGate('Z', [t], c(-PI / 4));
  const H = () => cliffordGate('h', [t]);
  const CX = (q: number) => cliffordGate('cx', [q, t]);
  return [
    H(), T(), CX(cq), Tdg(), H(), CX(a), T(), CX(b), Tdg(), CX(a), T(), CX(b), Tdg(), H(), T(), CX(cq), Tdg(), H(),
  ];
}

const defs: GateDefinition[] = [];
function def(name: string, numQubits: number, numAngles: number, lower: GateDefinition['lower'], cliffordOp = -1, rotationCodes: readonly number[] | null = null): void {
  defs.push({ name, numQubits, numAngles, cliffordOp, rotationCodes, lower });
}

/** A gate that is the rotation exp(−i·a·P/2), P = `letters` on its operands, a its one angle. */
function rotationDef(name: string, letters: string): void {
  def(name, letters.length, 1, (q, [a]) => [rotationGate(letters, q, a!)], -1, Array.from(letters, (l) => LETTER_CODE[l as PauliLetter]));
}

for (const { name, arity } of Object.values(CLIFFORD_GATES)) {
  def(name, arity, 0, (q) => [cliffordGate(name, q)], CLIFFORD_OPCODE[name]);
}
def('id', 1, 0, () => []);
def('u0', 1, 1, () => []);
rotationDef('rx', 'X');
rotationDef('ry', 'Y');
rotationDef('rz', 'Z');
rotationDef('rxx', 'XX');
rotationDef('ryy', 'YY');
rotationDef('rzz', 'ZZ');
rotationDef('rzx', 'ZX');
def('t', 1, 0, (q) => [rotationGate('Z', q, c(PI / 4))]);
def('tdg', 1, 0, (q) => [rotationGate('Z', q, c(-PI / 4))]);
for (const name of ['p', 'u1', 'phase']) rotationDef(name, 'Z');
for (const name of ['u3', 'u', 'U']) def(name, 1, 3, (q, [t, p, l]) => u3(q[0]!, t!, p!, l!));
def('u2', 1, 2, (q, [p, l]) => u3(q[0]!, c(PI / 2), p!, l!));
def('r', 1, 2, (q, [t, p]) => [
  rotationGate('Z', q, neg(p!)),
  rotationGate('X', q, t!),
  rotationGate('Z', q, p!),
]);
def('CX', 2, 0, (q) => [cliffordGate('cx', q)], CLIFFORD_OPCODE.cx);
def('crx', 2, 1, (q, [a]) => controlledRotation('X', q[0]!, q[1]!, a!));
def('cry', 2, 1, (q, [a]) => controlledRotation('Y', q[0]!, q[1]!, a!));
def('crz', 2, 1, (q, [a]) => controlledRotation('Z', q[0]!, q[1]!, a!));
for (const name of ['cp', 'cu1', 'cphase']) def(name, 2, 1, (q, [a]) => controlledPhase(q[0]!, q[1]!, a!));
def('ch', 2, 0, (q) => [
  rotationGate('Y', [q[1]!], c(-PI / 4)),
  cliffordGate('cz', q),
  rotationGate('Y', [q[1]!], c(PI / 4)),
]);
def('csx', 2, 0, (q) => [cliffordGate('h', [q[1]!]), ...controlledPhase(q[0]!, q[1]!, c(PI / 2)), cliffordGate('h', [q[1]!])]);
def('cu3', 2, 3, (q, [t, p, l]) => cu3(q[0]!, q[1]!, t!, p!, l!));
def('cu', 2, 4, (q, [t, p, l, g]) => [rotationGate('Z', [q[0]!], g!), ...cu3(q[0]!, q[1]!, t!, p!, l!)]);
def('iswap', 2, 0, (q) => [rotationGate('XX', q, c(-PI / 2)), rotationGate('YY', q, c(-PI / 2))]);
def('dcx', 2, 0, (q) => [cliffordGate('cx', q), cliffordGate('cx', [q[1]!, q[0]!])]);
def('ccx', 3, 0, (q) => ccx(q[0]!, q[1]!, q[2]!));
def('ccz', 3, 0, (q) => ccz(q[0]!, q[1]!, q[2]!));
def('cswap', 3, 0, (q) => [cliffordGate('cx', [q[2]!, q[1]!]), ...ccx(q[0]!, q[1]!, q[2]!), cliffordGate('cx', [q[2]!, q[1]!])]);
// The optional multi-qubit gates of Qiskit's qelib1.inc.
def('c3x', 4, 0, (q) => multiControlledX(q.slice(0, 3), q[3]!));
def('c4x', 5, 0, (q) => multiControlledX(q.slice(0, 4), q[4]!));
def('c3sqrtx', 4, 0, (q) => multiControlledX(q.slice(0, 3), q[3]!, c(PI / 2)));
def('rccx', 3, 0, (q) => rccx(q[0]!, q[1]!, q[2]!));
def('rc3x', 4, 0, (q) => rc3x(q[0]!, q[1]!, q[2]!, q[3]!));
// Qiskit's standard-gate library beyond qelib1/stdgates (names as Qiskit's exporters write them).
def('rcccx', 4, 0, (q) => rc3x(q[0]!, q[1]!, q[2]!, q[3]!));
def('c3sx', 4, 0, (q) => multiControlledX(q.slice(0, 3), q[3]!, c(PI / 2)));
def('cs', 2, 0, (q) => controlledPhase(q[0]!, q[1]!, c(PI / 2)));
def('csdg', 2, 0, (q) => controlledPhase(q[0]!, q[1]!, c(-PI / 2)));
// ECR q0,q1 = (IX − XY)/√2 in Qiskit's little-endian labels; Qiskit defines it as s q0; sx q1;
// cx q0,q1; x q0 (global phase 7π/4), all Clifford.
def('ecr', 2, 0, (q) => [cliffordGate('s', [q[0]!]), cliffordGate('sx', [q[1]!]), cliffordGate('cx', q), cliffordGate('x', [q[0]!])]);
// XX+YY(θ, β) = RZ_0(−β)·exp(−iθ(XX+YY)/4)·RZ_0(β); XX and YY commute, so the middle factor is
// rxx(θ/2)·ryy(θ/2). XX−YY(θ, β) = RZ_1(β)·exp(−iθ(XX−YY)/4)·RZ_1(−β).
def('xx_plus_yy', 2, 2, (q, [t, b]) => [
  rotationGate('Z', [q[0]!], b!),
  rotationGate('XX', q, half(t!)),
  rotationGate('YY', q, half(t!)),
  rotationGate('Z', [q[0]!], neg(b!)),
]);
def('xx_minus_yy', 2, 2, (q, [t, b]) => [
  rotationGate('Z', [q[1]!], neg(b!)),
  rotationGate('XX', q, half(t!)),
  rotationGate('YY', q, neg(half(t!))),
  rotationGate('Z', [q[1]!], b!),
]);
// A global phase has no observable effect: nothing to lower (OpenQASM 3 `gphase(γ);`).
def('gphase', 0, 1, () => []);

/** Every front-end gate by name (DSL and OpenQASM share names; QASM's `U` and `CX` included). */
export const GATE_LIBRARY: ReadonlyMap<string, GateDefinition> = new Map(defs.map((d) => [d.name, d]));
