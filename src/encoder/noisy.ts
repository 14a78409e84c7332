import { hasNoise } from '../ir/circuit.js';
import type { Circuit, UnitaryGate } from '../ir/types.js';
import type { LceResult } from './lce.js';

/**
 * The LCE of a circuit with noise channels. The encoder is an algebra of unitary gates, so it is
 * built on the circuit's unitary skeleton (`unitarySkeleton`), and `withEncoderGates` puts its
 * Clifford prefix and suffix around the original circuit with its channels where they were. The
 * encoder gates themselves are noiseless (the most favourable case for the LCE: whatever damping
 * remains is the circuit's own noise), and ∂_k C(θ*) = ±1 holds for the noiseless skeleton only —
 * under noise it is that value damped by the channels on the paths, which is what a
 * noise-induced barren plateau is.
 */
export function unitarySkeleton(circuit: Circuit): Circuit {
  return hasNoise(circuit) ? { ...circuit, gates: circuit.gates.filter((g): g is UnitaryGate => g.kind !== 'channel') } : circuit;
}

export function withEncoderGates(circuit: Circuit, lce: Pick<LceResult, 'circuit' | 'prefix' | 'suffix'>): Circuit {
  if (!hasNoise(circuit)) return lce.circuit;
  return { ...lce.circuit, gates: [...lce.prefix, ...circuit.gates, ...lce.suffix] };
}
