import type { CliffordName } from '../../../ir/types.js';
import type { PauliMask } from '../pauli-mask.js';
import { highestBit } from '../pauli-mask.js';
import { I_POWER_IM, I_POWER_RE } from '../rotation-kernels.js';
import type { PairKernelName } from './kernels.js';
import { buildKernelModule, pairKernelName } from './kernels.js';

/**
 * State vectors whose amplitudes live in a WebAssembly memory, with the hot forward-pass kernels
 * compiled from kernels.ts (f64x2 SIMD where the target bit allows). `re` and `im` are ordinary
 * Float64Array views of that memory, so every JS kernel works on them too; the wasm kernels only
 * speed up what they cover and return false otherwise.
 */

type Kernel = (...args: number[]) => number;

/** The slice of the WebAssembly JS API used here (the project's lib settings omit its types). */
interface WasmModule { readonly __wasmModule?: never }
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number }) => { buffer: ArrayBuffer };
} | undefined;

let compiled: WasmModule | null | undefined;

/** The kernel module, compiled once; null when this runtime lacks WebAssembly SIMD. */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(buildKernelModule()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Tuning and test switches: below `minQubits` plain typed arrays are used (no wasm memory). */
export const wasmConfig = {
  enabled: true,
  /**
   * Below this, creating a wasm memory (≈0.5 ms, plus address-space reservation) costs more than
   * the faster kernels save.
   */
  minQubits: 14,
  /** One memory holds re + im; WebAssembly memories are limited to 4 GiB. */
  maxQubits: 26,
};

export class WasmAmplitudes {
  readonly re: Float64Array;
  readonly im: Float64Array;
  private readonly k: Record<string, Kernel>;
  private readonly reOff: number;
  private readonly imOff: number;
  private readonly dim: number;

  private constructor(numQubits: number, module: WasmModule) {
    const dim = 2 ** numQubits;
    const pages = Math.max(1, Math.ceil((16 * dim) / 65536));
    const memory = new WebAssembly!.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly!.Instance(module, { env: { memory } });
    this.k = instance.exports as unknown as Record<string, Kernel>;
    this.dim = dim;
    this.reOff = 0;
    this.imOff = 8 * dim;
    this.re = new Float64Array(memory.buffer, this.reOff, dim);
    this.im = new Float64Array(memory.buffer, this.imOff, dim);
  }

  /** Amplitude storage for n qubits in wasm memory, or null when wasm is off/unsuitable. */
  static tryAllocate(numQubits: number): WasmAmplitudes | null {
    if (!wasmConfig.enabled || numQubits < wasmConfig.minQubits || numQubits > wasmConfig.maxQubits) return null;
    const module = kernelModule();
    if (!module) return null;
    try {
      return new WasmAmplitudes(numQubits, module);
    } catch {
      return null; // address space or memory exhausted: fall back to typed arrays
    }
  }

  private pair(gate: PairKernelName, q: number, p: number, s: number): void {
    const st = 1 << q;
    const vector = q >= 1 && this.dim >= 4;
    this.k[pairKernelName(gate, false, vector)]!(this.reOff, this.imOff, this.dim >>> 1, st, 0, -st, 0, p, s);
  }

  private controlledPair(gate: PairKernelName, c: number, t: number): void {
    const sc = 1 << c, st = 1 << t;
    const vector = c >= 1 && t >= 1 && this.dim >= 8;
    this.k[pairKernelName(gate, true, vector)]!(
      this.reOff, this.imOff, this.dim >>> 2, st, sc, -Math.min(sc, st), -Math.max(sc, st), 0, 0,
    );
  }

  /** Applies a Clifford gate; false when not covered here (swap). */
  applyClifford(name: CliffordName, qubits: readonly number[]): boolean {
    const q = qubits[0]!;
    switch (name) {
      case 'h': this.pair('h', q, Math.SQRT1_2, 0); return true;
      case 'x': this.pair('x', q, 0, 0); return true;
      case 'y': this.pair('y', q, 0, 0); return true;
      case 'z': this.pair('z', q, 0, 0); return true;
      case 's': this.pair('phaseI', q, 1, 0); return true;
      case 'sdg': this.pair('phaseI', q, -1, 0); return true;
      case 'sx': this.pair('sx', q, 0.5, 1); return true;
      case 'sxdg': this.pair('sx', q, 0.5, -1); return true;
      case 'cx': this.controlledPair('x', q, qubits[1]!); return true;
      case 'cy': this.controlledPair('y', q, qubits[1]!); return true;
      case 'cz': this.controlledPair('z', q, qubits[1]!); return true;
      default: return false;
    }
  }

  /** exp(−iθP/2). */
  applyRotation(mask: PauliMask, theta: number): void {
    const c = Math.cos(theta / 2), s = Math.sin(theta / 2);
    const { x, z, numY } = mask;
    if (x === 0) {
      if (z !== 0 && (z & (z - 1)) === 0) return this.pair('rz', 31 - Math.clz32(z), c, s);
      const rest = z & (z - 1);
      if (rest !== 0 && (rest & (rest - 1)) === 0) {
        const sa = z & -z, sb = rest;
        this.k[sa >= 2 ? 'zz_v' : 'zz_s']!(this.reOff, this.imOff, this.dim >>> 2, sa, sb, -sa, -sb, c, s);
        return;
      }
      const vector = this.dim >= 2;
      this.k[vector ? 'diag_v' : 'diag_s']!(this.reOff, this.imOff, this.dim, z, c, s);
      return;
    }
    if ((x & (x - 1)) === 0) {
      if (z === 0) return this.pair('rx', 31 - Math.clz32(x), c, s);
      if (z === x) return this.pair('ry', 31 - Math.clz32(x), c, s);
    }
    const w = (numY + 3) & 3;
    this.k.rot_general!(this.reOff, this.imOff, this.dim >>> 1, x, z, -highestBit(x), numY & 1, c, s * I_POWER_RE[w]!, s * I_POWER_IM[w]!);
  }

  /** ⟨ψ|P|ψ⟩. */
  pauliExpectation(mask: PauliMask): number {
    const { x, z, numY } = mask;
    if (x === 0) return this.k.exp_diag!(this.reOff, this.imOff, this.dim, z);
    const m = numY & 3;
    return 2 * this.k.exp_pairs!(this.reOff, this.imOff, this.dim >>> 1, x, z, -highestBit(x), I_POWER_RE[m]!, -I_POWER_IM[m]!);
  }
}
