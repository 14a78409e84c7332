import { evaluateExpr } from '../ir/affine.js';
import type { Circuit, NoiseChannel, UnitaryGate } from '../ir/types.js';
import { heisenbergFactor } from '../noise/channels.js';
import { CLIFFORD_TABLES } from '../pauli/clifford-tables.js';
import { wordsFor } from '../pauli/packed.js';
import { formatSparsePauli, packedFromSparse } from '../pauli/sparse.js';
import { checkParams } from '../ir/parameters.js';
import type { CoreChannel, CoreString } from './core.js';

/**
 * Gates prepared for the propagation core (core.ts): in Heisenberg (reverse circuit) order, angles
 * evaluated, generators packed as the few words they touch, Clifford gates as lookup tables,
 * noise channels as Pauli transfer maps (factor tables by letter, amplitude damping's Z → I).
 */
export interface CompiledClifford {
  readonly kind: 'clifford';
  /** 1-based position in the circuit, for messages. */
  readonly position: number;
  readonly gate: UnitaryGate;
  /** Table of clifford-tables.ts (4 or 16 entries). */
  readonly map: Uint8Array;
  readonly q0: number;
  /** −1 for one-qubit gates. */
  readonly q1: number;
}

export interface CompiledRotation {
  readonly kind: 'rotation';
  readonly position: number;
  readonly gate: UnitaryGate;
  readonly angle: number;
  readonly cos: number;
  readonly sin: number;
  /** Indices (within one plane) of the words where the generator is not the identity. */
  readonly words: Int32Array;
  /** X-plane and Z-plane words of the generator, one per entry of `words`. */
  readonly gx: Uint32Array;
  readonly gz: Uint32Array;
  /** Every rotation's branches count for maxSins / maxFreq in numeric propagation. */
  readonly counts: true;
  /** Index in the compiled (Heisenberg-order) list. */
  readonly step: number;
}

/** A noise channel as the core's Pauli transfer map (CoreChannel), probes Z_q and X_q themselves. */
export interface CompiledChannel extends CoreChannel {
  readonly position: number;
  readonly gate: NoiseChannel;
}

export type CompiledGate = CompiledClifford | CompiledRotation | CompiledChannel;

/** Letter of heisenbergFactor (0 I, 1 X, 2 Y, 3 Z) for a store letter code x | z<<1. */
const LETTER_OF_CODE = [0, 1, 3, 2] as const;

/**
 * The channel's factors by letter code x0 | z0<<1 | x1<<2 | z1<<3 (CoreChannel.factors), from
 * its Heisenberg action (noise/channels.ts); amplitude damping's Z → I part is `toIdentity`.
 */
export function channelFactors(ch: NoiseChannel): Float64Array {
  if (ch.qubits.length === 1) return Float64Array.from({ length: 4 }, (_, c) => heisenbergFactor(ch, [LETTER_OF_CODE[c]!]).scale);
  return Float64Array.from({ length: 16 }, (_, c) => heisenbergFactor(ch, [LETTER_OF_CODE[c & 3]!, LETTER_OF_CODE[c >>> 2]!]).scale);
}

/** g of the channel's Z → I branch (amplitude damping), 0 for the unital channels. */
export function channelToIdentity(ch: NoiseChannel): number {
  return ch.qubits.length === 1 ? heisenbergFactor(ch, [3]).toIdentity : 0;
}

/** A packed string (2W words at (a, ao)) as the core's CoreString (only its non-identity words). */
export function coreString(a: Uint32Array, ao: number, W: number): CoreString {
  const words: number[] = [];
  for (let k = 0; k < W; k++) if (a[ao + k] !== 0 || a[ao + W + k] !== 0) words.push(k);
  return {
    words: Int32Array.from(words),
    gx: Uint32Array.from(words, (k) => a[ao + k]!),
    gz: Uint32Array.from(words, (k) => a[ao + W + k]!),
  };
}

/** The single-letter string X_q (code 1) or Z_q (code 2) as a CoreString. */
function letterString(q: number, code: 1 | 2): CoreString {
  const bit = (1 << (q & 31)) >>> 0;
  return { words: Int32Array.of(q >>> 5), gx: Uint32Array.of(code === 1 ? bit : 0), gz: Uint32Array.of(code === 2 ? bit : 0) };
}

/** A channel of the circuit (no frame) as a compiled core channel. */
export function compileChannel(g: NoiseChannel, position: number, step: number): CompiledChannel {
  const probes: CoreString[] = [];
  for (const q of g.qubits) probes.push(letterString(q, 2), letterString(q, 1));
  const toIdentity = channelToIdentity(g);
  return {
    kind: 'channel',
    position,
    gate: g,
    probes,
    factors: channelFactors(g),
    toIdentity,
    identityString: toIdentity !== 0 ? letterString(g.qubits[0]!, 2) : null,
    identitySign: 1,
    step,
  };
}

export { checkParams };

/** Compiles the circuit's gates at the parameter point, last gate first. */
export function compileHeisenberg(circuit: Circuit, params: ArrayLike<number>): CompiledGate[] {
  checkParams(circuit, params);
  const W = wordsFor(circuit.numQubits);
  const out: CompiledGate[] = [];
  const gates = circuit.gates;
  for (let i = gates.length - 1; i >= 0; i--) out.push(compileGate(gates[i]!, i + 1, params, W, out.length));
  return out;
}

function compileGate(g: Circuit['gates'][number], position: number, params: ArrayLike<number>, W: number, step: number): CompiledGate {
  if (g.kind === 'channel') return compileChannel(g, position, step);
  if (g.kind === 'clifford') {
    return { kind: 'clifford', position, gate: g, map: CLIFFORD_TABLES[g.name].map, q0: g.qubits[0]!, q1: g.qubits[1] ?? -1 };
  }
  const angle = evaluateExpr(g.angle, params);
  const packed = packedFromSparse(g.pauli, W * 32);
  const words: number[] = [];
  for (let k = 0; k < W; k++) if (packed[k] !== 0 || packed[W + k] !== 0) words.push(k);
  return {
    kind: 'rotation',
    position,
    gate: g,
    angle,
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    words: Int32Array.from(words),
    gx: Uint32Array.from(words, (k) => packed[k]!),
    gz: Uint32Array.from(words, (k) => packed[W + k]!),
    counts: true,
    step,
  };
}

/** `gate 12 (rotation Z3 Z4 at file.ncl:7)`-style description for messages. */
export function describeGate(g: CompiledGate): string {
  const what =
    g.gate.kind === 'rotation'
      ? `rotation ${formatSparsePauli(g.gate.pauli)}`
      : g.gate.kind === 'channel'
        ? `${g.gate.name}(${g.gate.strengths.join(', ')}) ${g.gate.qubits.join(',')}`
        : `${g.gate.name} ${g.gate.qubits.join(',')}`;
  const src = g.gate.source;
  return src ? `${what} at ${src.file}:${src.line}` : what;
}
