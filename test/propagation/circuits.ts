import { CircuitAssembler } from '../../src/ir/circuit.js';
import { constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import type { Circuit } from '../../src/ir/types.js';

/**
 * Circuits shared by the propagation tests and benchmark. TFI brick Trotter circuit: an rzz layer
 * on even bonds (0,1),(2,3),… then odd bonds (1,2),…,(N−1,0) (periodic), then
 * (rx layer, rzz layer)×(L−1), then an rx layer; each gate takes the next parameter.
 */
export function tfiBrickCircuit(n: number, layers: number): Circuit {
  const b = new CircuitAssembler();
  b.setQubits(n);
  const bonds: [number, number][] = [];
  for (let q = 0; q + 1 < n; q += 2) bonds.push([q, q + 1]);
  for (let q = 1; q < n; q += 2) bonds.push([q, (q + 1) % n]);
  const d = layers * (bonds.length + n);
  const offset = b.declareParameter('theta', d);
  let p = offset;
  const rzz = () => { for (const [a, c] of bonds) b.addGates([rotationGate('ZZ', [a, c], parameterExpr(p++))]); };
  const rx = () => { for (let q = 0; q < n; q++) b.addGates([rotationGate('X', [q], parameterExpr(p++))]); };
  rzz();
  for (let l = 1; l < layers; l++) { rx(); rzz(); }
  rx();
  return b.build();
}

/**
 * Brick Clifford-rotation circuit: per layer rx then rz on every qubit (angles constant multiples
 * of π/2 given by `multiple(layer, qubit, which)`), then cx on even then odd neighbour pairs.
 */
export function cliffordBrickCircuit(n: number, layers: number, multiple: (l: number, q: number, k: number) => number): Circuit {
  const b = new CircuitAssembler();
  b.setQubits(n);
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) {
      b.addGates([rotationGate('X', [q], constantExpr((multiple(l, q, 0) * Math.PI) / 2))]);
      b.addGates([rotationGate('Z', [q], constantExpr((multiple(l, q, 1) * Math.PI) / 2))]);
    }
    for (let q = l % 2; q + 1 < n; q += 2) b.addGates([cliffordGate('cx', [q, q + 1])]);
  }
  return b.build();
}
