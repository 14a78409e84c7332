import { constantExpr, scaleExpr } from '../../ir/affine.js';
import { CLIFFORD_GATES } from '../../ir/clifford-gates.js';
import { cliffordGate, GATE_LIBRARY, multiControlledPhase, rotationGate } from '../../ir/gate-library.js';
import type { AffineExpr, UnitaryGate } from '../../ir/types.js';

/**
 * OpenQASM 3 gate modifiers on IR gate lists. `inv @` and `pow(k) @` work on any gate, because
 * the inverse and the powers of a gate list are exact up to the global phase. `ctrl @` needs the
 * gate's global phase, which IR lowerings drop, so it is available only for gates whose
 * controlled form is known exactly (the table below).
 */

export function invertGates(gates: readonly UnitaryGate[]): UnitaryGate[] {
  const out: UnitaryGate[] = [];
  for (let i = gates.length - 1; i >= 0; i--) {
    const g = gates[i]!;
    out.push(
      g.kind === 'clifford'
        ? cliffordGate(CLIFFORD_GATES[g.name].inverse, g.qubits)
        : { kind: 'rotation', pauli: g.pauli, angle: scaleExpr(g.angle, -1) },
    );
  }
  return out;
}

/** gates^k for an integer k (negative: powers of the inverse). */
export function powerGates(gates: readonly UnitaryGate[], k: number): UnitaryGate[] {
  const unit = k < 0 ? invertGates(gates) : gates;
  const out: UnitaryGate[] = [];
  // No push(...unit): a long gate list would overflow the argument stack.
  for (let i = 0; i < Math.abs(k); i++) for (const g of unit) out.push(g);
  return out;
}

/** Controls plus targets above this would expand into thousands of rotations. */
export const MAX_CONTROLLED_QUBITS = 10;

/** Number of IR gates `controlledGates` would produce at most, to check limits before expanding. */
export function controlledSizeBound(numControls: number, numTargets: number): number {
  return 2 ** (numControls + numTargets) + 8;
}

const PI = Math.PI;
const c = constantExpr;

/** Built-in gate name → its own control count and the base operation it controls. */
type Base =
  | { kind: 'phase'; lambda: AffineExpr } // diag(1, e^{iλ}) on the target
  | { kind: 'x' | 'y' | 'z' | 'h' | 'swap' }
  | { kind: 'xpow'; lambda: AffineExpr } // H·p(λ)·H: √X for λ = π/2
  | { kind: 'rotation'; letters: string }
  | { kind: 'none' };

function baseOf(name: string, angles: readonly AffineExpr[]): { inherent: number; base: Base } | null {
  const a0 = angles[0];
  switch (name) {
    case 'x': return { inherent: 0, base: { kind: 'x' } };
    case 'cx': case 'CX': return { inherent: 1, base: { kind: 'x' } };
    case 'ccx': return { inherent: 2, base: { kind: 'x' } };
    case 'c3x': return { inherent: 3, base: { kind: 'x' } };
    case 'c4x': return { inherent: 4, base: { kind: 'x' } };
    case 'y': return { inherent: 0, base: { kind: 'y' } };
    case 'cy': return { inherent: 1, base: { kind: 'y' } };
    case 'z': return { inherent: 0, base: { kind: 'z' } };
    case 'cz': return { inherent: 1, base: { kind: 'z' } };
    case 'ccz': return { inherent: 2, base: { kind: 'z' } };
    case 'h': return { inherent: 0, base: { kind: 'h' } };
    case 'ch': return { inherent: 1, base: { kind: 'h' } };
    case 'swap': return { inherent: 0, base: { kind: 'swap' } };
    case 'cswap': return { inherent: 1, base: { kind: 'swap' } };
    case 'sx': return { inherent: 0, base: { kind: 'xpow', lambda: c(PI / 2) } };
    case 'sxdg': return { inherent: 0, base: { kind: 'xpow', lambda: c(-PI / 2) } };
    case 'csx': return { inherent: 1, base: { kind: 'xpow', lambda: c(PI / 2) } };
    case 'c3sqrtx': case 'c3sx': return { inherent: 3, base: { kind: 'xpow', lambda: c(PI / 2) } };
    case 's': return { inherent: 0, base: { kind: 'phase', lambda: c(PI / 2) } };
    case 'sdg': return { inherent: 0, base: { kind: 'phase', lambda: c(-PI / 2) } };
    case 'cs': return { inherent: 1, base: { kind: 'phase', lambda: c(PI / 2) } };
    case 'csdg': return { inherent: 1, base: { kind: 'phase', lambda: c(-PI / 2) } };
    case 't': return { inherent: 0, base: { kind: 'phase', lambda: c(PI / 4) } };
    case 'tdg': return { inherent: 0, base: { kind: 'phase', lambda: c(-PI / 4) } };
    case 'p': case 'phase': case 'u1': return { inherent: 0, base: { kind: 'phase', lambda: a0! } };
    case 'cp': case 'cphase': case 'cu1': return { inherent: 1, base: { kind: 'phase', lambda: a0! } };
    case 'rx': return { inherent: 0, base: { kind: 'rotation', letters: 'X' } };
    case 'ry': return { inherent: 0, base: { kind: 'rotation', letters: 'Y' } };
    case 'rz': return { inherent: 0, base: { kind: 'rotation', letters: 'Z' } };
    case 'crx': return { inherent: 1, base: { kind: 'rotation', letters: 'X' } };
    case 'cry': return { inherent: 1, base: { kind: 'rotation', letters: 'Y' } };
    case 'crz': return { inherent: 1, base: { kind: 'rotation', letters: 'Z' } };
    case 'rxx': return { inherent: 0, base: { kind: 'rotation', letters: 'XX' } };
    case 'ryy': return { inherent: 0, base: { kind: 'rotation', letters: 'YY' } };
    case 'rzz': return { inherent: 0, base: { kind: 'rotation', letters: 'ZZ' } };
    case 'rzx': return { inherent: 0, base: { kind: 'rotation', letters: 'ZX' } };
    case 'id': return { inherent: 0, base: { kind: 'none' } };
    // gphase(θ) = e^{iθ}·I: controlled, it is a phase on the controls alone.
    case 'gphase': return { inherent: 0, base: { kind: 'phase', lambda: a0! } };
    default: return null;
  }
}

/** Built-in gates `ctrl @` accepts. */
export function isControllable(name: string): boolean {
  return (GATE_LIBRARY.has(name) || name === 'gphase') && baseOf(name, [c(0), c(0), c(0), c(0)]) !== null;
}

/**
 * Exact lowering of the built-in gate `name` with extra positive `controls` in front of its own
 * qubits (`qubits` = the gate's qubits, own controls first). Null when not supported.
 */
export function controlledGates(name: string, controls: readonly number[], qubits: readonly number[], angles: readonly AffineExpr[]): UnitaryGate[] | null {
  const info = baseOf(name, angles);
  if (!info) return null;
  const allControls = [...controls, ...qubits.slice(0, info.inherent)];
  const targets = qubits.slice(info.inherent);
  const base = info.base;
  switch (base.kind) {
    case 'none':
      return [];
    case 'phase':
      // gphase has no target: its phase sits on the controls.
      return name === 'gphase' ? multiControlledPhase(allControls, base.lambda) : multiControlledPhase([...allControls, targets[0]!], base.lambda);
    case 'z':
      return mcz([...allControls, targets[0]!]);
    case 'x':
      return mcx(allControls, targets[0]!);
    case 'xpow': {
      const t = targets[0]!;
      return [cliffordGate('h', [t]), ...multiControlledPhase([...allControls, t], base.lambda), cliffordGate('h', [t])];
    }
    case 'y': {
      const t = targets[0]!;
      if (allControls.length === 1) return [cliffordGate('cy', [allControls[0]!, t])];
      // Y = S·X·S†, so controlled-Y = S_t · controlled-X · S_t† (circuit order sdg, mcx, s).
      return [cliffordGate('sdg', [t]), ...mcx(allControls, t), cliffordGate('s', [t])];
    }
    case 'h': {
      const t = targets[0]!;
      // H = Ry(π/4)·Z·Ry(−π/4) exactly, and Ry is an exact rotation.
      return [rotationGate('Y', [t], c(-PI / 4)), ...mcz([...allControls, t]), rotationGate('Y', [t], c(PI / 4))];
    }
    case 'swap': {
      const [a, b] = [targets[0]!, targets[1]!];
      return [cliffordGate('cx', [b, a]), ...mcx([...allControls, a], b), cliffordGate('cx', [b, a])];
    }
    case 'rotation':
      return controlledRotation(allControls, base.letters, targets, angles[0]!);
  }
}

function mcz(qubits: readonly number[]): UnitaryGate[] {
  return qubits.length === 2 ? [cliffordGate('cz', qubits)] : multiControlledPhase(qubits, c(PI));
}

function mcx(controls: readonly number[], t: number): UnitaryGate[] {
  if (controls.length === 0) return [cliffordGate('x', [t])];
  if (controls.length === 1) return [cliffordGate('cx', [controls[0]!, t])];
  return [cliffordGate('h', [t]), ...multiControlledPhase([...controls, t], c(PI)), cliffordGate('h', [t])];
}

/**
 * exp(−iθP/2) controlled by m qubits is generated by Π(I − Z_c)/2 ⊗ P: one rotation of Z_S ⊗ P
 * with angle θ·(−1)^|S| / 2^m per subset S of the controls (all of them commute).
 */
function controlledRotation(controls: readonly number[], letters: string, targets: readonly number[], theta: AffineExpr): UnitaryGate[] {
  const m = controls.length;
  const out: UnitaryGate[] = [];
  for (let mask = 0; mask < 1 << m; mask++) {
    const support = controls.filter((_, i) => (mask >> i) & 1);
    const sign = support.length % 2 === 0 ? 1 : -1;
    out.push(rotationGate('Z'.repeat(support.length) + letters, [...support, ...targets], scaleExpr(theta, sign / 2 ** m)));
  }
  return out;
}
