import { UserError, ResourceLimitError } from '../../ir/errors.js';
import type { InitialState } from '../../ir/states.js';
import { ZERO_STATE } from '../../ir/states.js';
import type { CliffordName, Gate, Observable, ParameterDecl } from '../../ir/types.js';
import { formatBytes, memoryLimit, residentBytes } from '../../memory/limit.js';
import type { NoiseChannel } from '../../noise/channels.js';
import type { PauliMask } from '../statevector/pauli-mask.js';
import { maskFromSparse } from '../statevector/pauli-mask.js';
import { DensityMatrix } from './density-matrix.js';

/**
 * Exact density-matrix simulation of circuits with noise channels: expectation values and
 * gradients. Cost O(4^n) per gate and memory 16·4^n bytes per matrix, so the default cap is 13
 * qubits (1 GiB per matrix).
 *
 * Gradients use an adjoint pass: ρ is run forward, the observable M backward through each
 * operation's Heisenberg dual, and a rotation's angle derivative is read off as
 * (−i/2)·Tr([M, P]·ρ_after). Channels are not invertible, so the states ρ_after are not recovered by
 * un-applying gates (as the state-vector adjoint does) but recomputed from checkpoints: as many
 * stored matrices as the memory limit allows, recomputation from the nearest checkpoint otherwise.
 */

/** A circuit whose gate list may contain noise channels (the IR's gate list, extended). */
export interface NoisyCircuit {
  readonly numQubits: number;
  readonly parameters: readonly ParameterDecl[];
  readonly numParameters: number;
  readonly gates: readonly (Gate | NoiseChannel)[];
}

/** Options of the density-matrix simulator: initial state, qubit cap, stored matrices for gradients. */
export interface DensityOptions {
  initialState?: InitialState;
  /** Qubit cap checked before allocating; default DEFAULT_DENSITY_MAX_QUBITS. */
  maxQubits?: number;
  /**
   * Gradient only: at most this many matrices stored besides ρ and M (checkpoints and recomputed
   * states); default what the memory limit allows. Fewer means more recomputation, never a
   * different result.
   */
  maxStoredMatrices?: number;
  /**
   * Called after each operation with (done, total): total is the number of operations for a value,
   * about three times that for a gradient (forward pass, recomputation, backward pass). A callback
   * that throws (a time limit) stops the run.
   */
  onProgress?: (done: number, total: number) => void;
}

/** Default qubit cap of the density matrix: 4^13 × 16 bytes = 1 GiB per matrix. */
export const DEFAULT_DENSITY_MAX_QUBITS = 13;

type Op =
  | { readonly kind: 'clifford'; readonly name: CliffordName; readonly qubits: readonly number[] }
  | { readonly kind: 'rotation'; readonly mask: PauliMask; readonly gate: number }
  | { readonly kind: 'channel'; readonly channel: NoiseChannel };

interface Compiled {
  readonly numQubits: number;
  readonly ops: readonly Op[];
  /** Per op: angle constant and affine terms (rotations only). */
  readonly angleConstant: Float64Array;
  readonly termStart: Int32Array;
  readonly termParam: Int32Array;
  readonly termCoeff: Float64Array;
}

function checkQubits(n: number, maxQubits: number): void {
  if (n > maxQubits) {
    throw new ResourceLimitError(
      `density matrix of ${n} qubits needs ${formatBytes(DensityMatrix.bytesFor(n))} (4^${n} × 16 bytes);` +
        ` the limit is ${maxQubits} qubits (option maxQubits); Pauli propagation handles larger noisy circuits`,
    );
  }
}

function compile(circuit: NoisyCircuit): Compiled {
  const n = circuit.numQubits;
  const ops: Op[] = [];
  const angleConstant = new Float64Array(circuit.gates.length);
  const termStart = new Int32Array(circuit.gates.length + 1);
  const params: number[] = [];
  const coeffs: number[] = [];
  circuit.gates.forEach((g, i) => {
    termStart[i] = params.length;
    if (g.kind !== 'rotation') {
      for (const q of g.qubits) {
        if (!Number.isInteger(q) || q < 0 || q >= n) throw new UserError(`${g.name} acts on qubit ${q} of a ${n}-qubit circuit`);
      }
      ops.push(g.kind === 'clifford' ? { kind: 'clifford', name: g.name, qubits: g.qubits } : { kind: 'channel', channel: g });
      return;
    }
    ops.push({ kind: 'rotation', mask: maskFromSparse(g.pauli, n), gate: i });
    angleConstant[i] = g.angle.constant;
    for (const t of g.angle.terms) {
      if (t.param < 0 || t.param >= circuit.numParameters) {
        throw new UserError(`gate ${i} refers to parameter ${t.param} but the circuit has ${circuit.numParameters}`);
      }
      params.push(t.param);
      coeffs.push(t.coeff);
    }
  });
  termStart[circuit.gates.length] = params.length;
  return { numQubits: n, ops, angleConstant, termStart, termParam: Int32Array.from(params), termCoeff: Float64Array.from(coeffs) };
}

function angles(cc: Compiled, params: ArrayLike<number>, numParameters: number): Float64Array {
  if (params.length !== numParameters) throw new UserError(`expected ${numParameters} parameter values, got ${params.length}`);
  const out = new Float64Array(cc.ops.length);
  for (let g = 0; g < cc.ops.length; g++) {
    let a = cc.angleConstant[g]!;
    for (let t = cc.termStart[g]!; t < cc.termStart[g + 1]!; t++) a += cc.termCoeff[t]! * (params[cc.termParam[t]!] as number);
    out[g] = a;
  }
  return out;
}

function applyOp(rho: DensityMatrix, op: Op, angle: number): void {
  if (op.kind === 'clifford') rho.applyClifford(op.name, op.qubits);
  else if (op.kind === 'rotation') rho.applyPauliRotation(op.mask, angle);
  else rho.applyChannel(op.channel);
}

function applyDual(m: DensityMatrix, op: Op, angle: number): void {
  if (op.kind === 'clifford') m.applyCliffordDual(op.name, op.qubits);
  else if (op.kind === 'rotation') m.applyPauliRotation(op.mask, -angle);
  else m.applyChannelDual(op.channel);
}

function observableMasks(obs: Observable, n: number): { masks: PauliMask[]; coeffs: Float64Array } {
  return { masks: obs.terms.map((t) => maskFromSparse(t.pauli, n)), coeffs: Float64Array.from(obs.terms, (t) => t.coeff) };
}

function value(rho: DensityMatrix, o: { masks: PauliMask[]; coeffs: Float64Array }): number {
  let v = 0;
  for (let t = 0; t < o.masks.length; t++) v += o.coeffs[t]! * rho.pauliExpectation(o.masks[t]!);
  return v;
}

/** The final density matrix ρ = E(ρ0) of the noisy circuit at `params`. */
export function finalDensityMatrix(circuit: NoisyCircuit, params: ArrayLike<number>, options: DensityOptions = {}): DensityMatrix {
  checkQubits(circuit.numQubits, options.maxQubits ?? DEFAULT_DENSITY_MAX_QUBITS);
  const cc = compile(circuit);
  const a = angles(cc, params, circuit.numParameters);
  const rho = DensityMatrix.initial(cc.numQubits, options.initialState ?? ZERO_STATE);
  const G = cc.ops.length, onProgress = options.onProgress;
  for (let g = 0; g < G; g++) {
    applyOp(rho, cc.ops[g]!, a[g]!);
    onProgress?.(g + 1, G);
  }
  return rho;
}

/** C(φ) = Tr(O·E_φ(ρ0)). */
export function densityExpectation(
  circuit: NoisyCircuit, params: ArrayLike<number>, observable: Observable, options: DensityOptions = {},
): number {
  const o = observableMasks(observable, circuit.numQubits);
  return value(finalDensityMatrix(circuit, params, options), o);
}

/** C at each point of a batch, reusing one matrix. */
export function densityExpectationBatch(
  circuit: NoisyCircuit, points: readonly ArrayLike<number>[], observable: Observable, options: DensityOptions = {},
): Float64Array {
  checkQubits(circuit.numQubits, options.maxQubits ?? DEFAULT_DENSITY_MAX_QUBITS);
  const cc = compile(circuit);
  const o = observableMasks(observable, circuit.numQubits);
  const out = new Float64Array(points.length);
  if (points.length === 0) return out;
  const rho = DensityMatrix.allocate(cc.numQubits);
  for (let p = 0; p < points.length; p++) {
    const a = angles(cc, points[p]!, circuit.numParameters);
    rho.reset(options.initialState ?? ZERO_STATE);
    for (let g = 0; g < cc.ops.length; g++) applyOp(rho, cc.ops[g]!, a[g]!);
    out[p] = value(rho, o);
  }
  return out;
}

/**
 * How many matrices the gradient may keep besides ρ and M: what the memory limit leaves after
 * those two, at least one checkpoint (the initial state) plus one scratch matrix.
 */
function storageSlots(numQubits: number): number {
  const bytes = DensityMatrix.bytesFor(numQubits);
  const free = memoryLimit() - residentBytes() - 2 * bytes;
  return Math.floor(free / bytes);
}

/**
 * C(φ) and ∇C(φ) by the adjoint method through channels (see the module comment). Memory: ρ, M and
 * up to √G + G/√G stored matrices, fewer (with more recomputation) under a tight memory limit.
 */
export function densityExpectationAndGradient(
  circuit: NoisyCircuit, params: ArrayLike<number>, observable: Observable, options: DensityOptions = {},
): { value: number; gradient: Float64Array; recomputedOps: number } {
  const n = circuit.numQubits;
  checkQubits(n, options.maxQubits ?? DEFAULT_DENSITY_MAX_QUBITS);
  const cc = compile(circuit);
  const a = angles(cc, params, circuit.numParameters);
  const o = observableMasks(observable, n);
  const G = cc.ops.length;
  const init = options.initialState ?? ZERO_STATE;
  const slots = Math.min(storageSlots(n), options.maxStoredMatrices ?? Infinity);
  if (slots < 2) {
    throw new ResourceLimitError(
      `the density-matrix gradient of ${n} qubits needs at least 4 matrices of ${formatBytes(DensityMatrix.bytesFor(n))};` +
        ` the memory limit is ${formatBytes(memoryLimit())}; use fewer qubits or raise the memory limit`,
    );
  }
  // Segment length L: checkpoints before ops 0, L, 2L, …; a segment's states are recomputed into
  // L stored matrices when C + L fit, else each state is recomputed from its checkpoint.
  let L = Math.max(1, Math.ceil(Math.sqrt(G)));
  let storeSegment = Math.ceil(G / L) + L <= slots;
  if (!storeSegment) L = Math.max(1, Math.ceil(G / (slots - 1)));
  const C = Math.max(1, Math.ceil(G / L));
  if (C + (storeSegment ? L : 1) > slots) storeSegment = false;

  // Work in operations, for progress: forward G, backward G, recomputation ≈ G (stored segments)
  // or ≈ G·L/2 (each state from its checkpoint); the estimate only feeds the ETA.
  const onProgress = options.onProgress;
  const total = 2 * G + (storeSegment ? G : Math.ceil((G * (L + 1)) / 2));
  let done = 0;
  const tick = onProgress ? () => onProgress(Math.min(++done, total), total) : () => {};
  const rho = DensityMatrix.initial(n, init);
  const checkpoints: DensityMatrix[] = [];
  for (let g = 0; g < G; g++) {
    if (g % L === 0) {
      const cp = DensityMatrix.allocate(n);
      cp.copyFrom(rho);
      checkpoints.push(cp);
    }
    applyOp(rho, cc.ops[g]!, a[g]!);
    tick();
  }
  if (checkpoints.length === 0) checkpoints.push(DensityMatrix.initial(n, init));
  const val = value(rho, o);

  const m = DensityMatrix.allocate(n);
  m.setObservable(o.masks, o.coeffs);
  const gradient = new Float64Array(circuit.numParameters);
  const segment: DensityMatrix[] = [];
  let recomputed = 0;
  const scratch = rho; // ρ is no longer needed as the final state
  for (let seg = Math.ceil(G / L) - 1; seg >= 0; seg--) {
    const start = seg * L, end = Math.min(G, start + L);
    if (storeSegment) {
      // states after ops start … end−1
      while (segment.length < end - start) segment.push(DensityMatrix.allocate(n));
      scratch.copyFrom(checkpoints[seg]!);
      for (let g = start; g < end; g++) {
        applyOp(scratch, cc.ops[g]!, a[g]!);
        segment[g - start]!.copyFrom(scratch);
        recomputed++;
        tick();
      }
    }
    for (let g = end - 1; g >= start; g--) {
      const op = cc.ops[g]!;
      if (op.kind === 'rotation' && cc.termStart[g] !== cc.termStart[g + 1]) {
        let after: DensityMatrix;
        if (storeSegment) after = segment[g - start]!;
        else {
          scratch.copyFrom(checkpoints[seg]!);
          for (let h = start; h <= g; h++) { applyOp(scratch, cc.ops[h]!, a[h]!); recomputed++; tick(); }
          after = scratch;
        }
        const d = after.rotationDerivative(m, op.mask);
        for (let t = cc.termStart[g]!; t < cc.termStart[g + 1]!; t++) gradient[cc.termParam[t]!]! += cc.termCoeff[t]! * d;
      }
      applyDual(m, op, a[g]!);
      tick();
    }
  }
  return { value: val, gradient, recomputedOps: recomputed };
}
