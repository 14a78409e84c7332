import { UserError } from '../ir/errors.js';
import { CHANNEL_NAMES, type ChannelName, type NoiseChannel, type SourceLocation } from '../ir/types.js';

export { CHANNEL_NAMES, type ChannelName, type NoiseChannel };

/**
 * Noise channels as data. A channel is a completely positive trace-preserving map on one or two
 * qubits with fixed numeric strengths (a parameter in a strength is an error: the engines treat
 * channels as constant maps, and the Taylor surrogate's derivatives are taken with respect to gate
 * angles only).
 *
 * Every channel here is given by its Heisenberg (Pauli-transfer) action, which is what Pauli
 * propagation and the surrogates apply, and by Kraus operators, which the density-matrix simulator
 * and the tests use. The two descriptions are checked against each other in test/noise/.
 *
 *  - depolarize(p):        X, Y, Z → (1 − p)·, I unchanged; Kraus form: the Pauli channel with
 *                          px = py = pz = p/4.
 *  - depolarize2(p):       every non-identity two-qubit Pauli → (1 − p)·; the two-qubit Pauli
 *                          channel with weight p/16 on each of the 15 non-identity Paulis (each of
 *                          them anticommutes with exactly 8 of the 15, so the factor is 1 − 16·p/16).
 *  - dephase(p):           X, Y → (1 − p)·, Z unchanged; the Pauli channel with pz = p/2.
 *  - pauli_noise(px,py,pz): ρ → (1 − px − py − pz)ρ + px XρX + py YρY + pz ZρZ;
 *                          X → (1 − 2py − 2pz)X, Y → (1 − 2px − 2pz)Y, Z → (1 − 2px − 2py)Z.
 *  - amplitude_damp(g):    K0 = [[1, 0], [0, √(1−g)]], K1 = [[0, √g], [0, 0]];
 *                          X → √(1−g)X, Y → √(1−g)Y, Z → (1−g)Z + g·I (the only non-unital one).
 */

/** Number of qubits and number of strengths of each channel. */
export const CHANNEL_SHAPE: Readonly<Record<ChannelName, { readonly arity: 1 | 2; readonly strengths: number }>> = {
  depolarize: { arity: 1, strengths: 1 },
  depolarize2: { arity: 2, strengths: 1 },
  dephase: { arity: 1, strengths: 1 },
  pauli_noise: { arity: 1, strengths: 3 },
  amplitude_damp: { arity: 1, strengths: 1 },
};

export function isChannelName(name: string): name is ChannelName {
  return (CHANNEL_NAMES as readonly string[]).includes(name);
}

/**
 * Checks a channel's strengths and operands and returns it as IR. Errors are positioned at
 * `source` when given: p outside [0, 1], px + py + pz > 1, a wrong number of strengths or qubits,
 * repeated qubits.
 */
export function makeChannel(
  name: ChannelName, qubits: readonly number[], strengths: readonly number[], source?: SourceLocation,
): NoiseChannel {
  const shape = CHANNEL_SHAPE[name];
  const fail = (msg: string): never => {
    throw new UserError(msg, source);
  };
  if (strengths.length !== shape.strengths) {
    fail(`${name} takes ${shape.strengths} strength${shape.strengths === 1 ? '' : 's'}, got ${strengths.length}`);
  }
  if (qubits.length !== shape.arity) fail(`${name} acts on ${shape.arity} qubit${shape.arity === 1 ? '' : 's'}, got ${qubits.length}`);
  if (shape.arity === 2 && qubits[0] === qubits[1]) fail(`${name} needs two distinct qubits, got ${qubits[0]} twice`);
  strengths.forEach((p, i) => {
    if (!Number.isFinite(p) || p < 0 || p > 1) {
      const label = name === 'pauli_noise' ? ['px', 'py', 'pz'][i] : name === 'amplitude_damp' ? 'γ' : 'p';
      fail(`${name}: ${label} must be a number in [0, 1], got ${p}`);
    }
  });
  if (name === 'pauli_noise') {
    const total = strengths[0]! + strengths[1]! + strengths[2]!;
    if (total > 1 + 1e-12) fail(`pauli_noise: px + py + pz must be at most 1, got ${total}`);
  }
  return source ? { kind: 'channel', name, qubits: [...qubits], strengths: [...strengths], source } : { kind: 'channel', name, qubits: [...qubits], strengths: [...strengths] };
}

/**
 * Probabilities (pI, pX, pY, pZ) of a single-qubit Pauli channel ρ → Σ p_P PρP, for the channels
 * that are Pauli channels on one qubit; null for amplitude damping and two-qubit depolarizing.
 */
export function singleQubitPauliProbabilities(ch: NoiseChannel): readonly [number, number, number, number] | null {
  const s = ch.strengths;
  switch (ch.name) {
    case 'depolarize': return [1 - (3 * s[0]!) / 4, s[0]! / 4, s[0]! / 4, s[0]! / 4];
    case 'dephase': return [1 - s[0]! / 2, 0, 0, s[0]! / 2];
    case 'pauli_noise': return [1 - s[0]! - s[1]! - s[2]!, s[0]!, s[1]!, s[2]!];
    default: return null;
  }
}

/**
 * The Heisenberg action of a channel on a Pauli string, restricted to the channel's qubits.
 * `letters` are the string's letters on `ch.qubits` (0 = I, 1 = X, 2 = Y, 3 = Z; for two-qubit
 * channels two letters). The result is `scale` times the same string, plus — for amplitude damping
 * on Z only — `toIdentity` times the string with that Z replaced by I.
 */
export function heisenbergFactor(ch: NoiseChannel, letters: readonly number[]): { scale: number; toIdentity: number } {
  const s = ch.strengths;
  const l = letters[0]!;
  switch (ch.name) {
    case 'depolarize':
      return { scale: l === 0 ? 1 : 1 - s[0]!, toIdentity: 0 };
    case 'depolarize2':
      return { scale: l === 0 && letters[1] === 0 ? 1 : 1 - s[0]!, toIdentity: 0 };
    case 'dephase':
      return { scale: l === 1 || l === 2 ? 1 - s[0]! : 1, toIdentity: 0 };
    case 'pauli_noise': {
      const [px, py, pz] = [s[0]!, s[1]!, s[2]!];
      const f = l === 0 ? 1 : l === 1 ? 1 - 2 * py - 2 * pz : l === 2 ? 1 - 2 * px - 2 * pz : 1 - 2 * px - 2 * py;
      return { scale: f, toIdentity: 0 };
    }
    case 'amplitude_damp': {
      const g = s[0]!;
      if (l === 0) return { scale: 1, toIdentity: 0 };
      if (l === 3) return { scale: 1 - g, toIdentity: g };
      return { scale: Math.sqrt(1 - g), toIdentity: 0 };
    }
  }
}

/** A 2×2 or 4×4 complex matrix, row-major, separate real and imaginary parts. */
export interface KrausOperator {
  readonly dim: 2 | 4;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

// Single-qubit Paulis as 2×2 complex matrices: I, X, Y, Z.
const PAULI_RE = [[1, 0, 0, 1], [0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 0, -1]] as const;
const PAULI_IM = [[0, 0, 0, 0], [0, 0, 0, 0], [0, -1, 1, 0], [0, 0, 0, 0]] as const;

function scaledPauli(letter: number, factor: number): KrausOperator {
  return {
    dim: 2,
    re: Float64Array.from(PAULI_RE[letter]!, (v) => v * factor),
    im: Float64Array.from(PAULI_IM[letter]!, (v) => v * factor),
  };
}

/** P_a ⊗ P_b on (first qubit = more significant factor), scaled. */
function scaledPauliPair(a: number, b: number, factor: number): KrausOperator {
  const re = new Float64Array(16);
  const im = new Float64Array(16);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) {
    const ar = PAULI_RE[a]![i * 2 + j]!, ai = PAULI_IM[a]![i * 2 + j]!;
    const br = PAULI_RE[b]![k * 2 + l]!, bi = PAULI_IM[b]![k * 2 + l]!;
    const idx = (i * 2 + k) * 4 + (j * 2 + l);
    re[idx] = (ar * br - ai * bi) * factor;
    im[idx] = (ar * bi + ai * br) * factor;
  }
  return { dim: 4, re, im };
}

/**
 * Kraus operators {K_i} with ρ → Σ K_i ρ K_i†. For two-qubit channels the first listed qubit is
 * the more significant tensor factor (the textbook convention of the tests' dense helpers).
 */
export function krausOperators(ch: NoiseChannel): KrausOperator[] {
  const probs = singleQubitPauliProbabilities(ch);
  if (probs) {
    return probs.flatMap((p, letter) => (p > 0 ? [scaledPauli(letter, Math.sqrt(p))] : []));
  }
  if (ch.name === 'depolarize2') {
    const p = ch.strengths[0]!;
    const out: KrausOperator[] = [scaledPauliPair(0, 0, Math.sqrt(1 - (15 * p) / 16))];
    if (p > 0) for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (a || b) out.push(scaledPauliPair(a, b, Math.sqrt(p / 16)));
    return out;
  }
  const g = ch.strengths[0]!;
  return [
    { dim: 2, re: Float64Array.of(1, 0, 0, Math.sqrt(1 - g)), im: new Float64Array(4) },
    { dim: 2, re: Float64Array.of(0, Math.sqrt(g), 0, 0), im: new Float64Array(4) },
  ];
}
