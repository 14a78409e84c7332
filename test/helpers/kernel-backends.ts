import { afterAll, beforeAll, describe } from 'vitest';
import { wasmConfig } from '../../src/simulators/statevector/wasm/backend.js';

/**
 * Both state-vector kernel backends run the same checks: plain JS typed-array kernels, and the
 * WebAssembly kernels (normally used from 14 qubits on; forced here for every size).
 */
export const KERNEL_BACKENDS = [
  { name: 'js kernels', enabled: false },
  { name: 'wasm kernels', enabled: true },
] as const;

export type KernelBackend = (typeof KERNEL_BACKENDS)[number];

/** Declares `body` once per backend, inside a describe block that selects that backend. */
export function describeEachKernelBackend(body: (backend: KernelBackend) => void): void {
  for (const backend of KERNEL_BACKENDS) {
    describe(backend.name, () => {
      const saved = { ...wasmConfig };
      beforeAll(() => {
        wasmConfig.enabled = backend.enabled;
        wasmConfig.minQubits = 1;
      });
      afterAll(() => {
        Object.assign(wasmConfig, saved);
      });
      body(backend);
    });
  }
}
