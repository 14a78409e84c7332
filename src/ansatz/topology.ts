/** Qubit pairs for entangling layers, 0-based. */
export type Topology = readonly (readonly [number, number])[];

/**
 * The 1D brick-layer topology of PauliPropagation.jl: bonds (0,1),(2,3),… then (1,2),(3,4),…;
 * with `periodic`, the closing bond (n−1, 0) joins the sublayer it belongs to (the first one for
 * odd n, the second for even n), exactly as the reference package orders it.
 */
export function brickTopology(n: number, periodic: boolean): Topology {
  if (n < 2) return [];
  if (n === 2) return [[0, 1]];
  const bonds: [number, number][] = [];
  for (let i = 0; i + 1 < n; i += 2) bonds.push([i, i + 1]);
  if (periodic && n % 2 === 1) bonds.push([n - 1, 0]);
  for (let i = 1; i + 1 < n; i += 2) bonds.push([i, i + 1]);
  if (periodic && n % 2 === 0) bonds.push([n - 1, 0]);
  return bonds;
}

/** Qiskit's "circular" CX pattern: (n−1→0), (0→1), …, (n−2→n−1); n = 2 gives only (0→1). */
export function circularTopology(n: number): Topology {
  if (n < 2) return [];
  if (n === 2) return [[0, 1]];
  const bonds: [number, number][] = [[n - 1, 0]];
  for (let i = 0; i + 1 < n; i++) bonds.push([i, i + 1]);
  return bonds;
}

/** Qiskit's "full" pattern: (i→j) for all i < j, lexicographic. */
export function fullTopology(n: number): Topology {
  const bonds: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) bonds.push([i, j]);
  return bonds;
}
