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

/** 1D staircase (i, i+1) for i = 0 … n−2, with (n−1, 0) when periodic (PauliPropagation.jl's staircasetopology). */
export function staircaseTopology(n: number, periodic: boolean): Topology {
  const bonds: [number, number][] = [];
  for (let i = 0; i + 1 < n; i++) bonds.push([i, i + 1]);
  if (periodic && n > 2) bonds.push([n - 1, 0]);
  return bonds;
}

/** Qubits of IBM's 127-qubit Eagle processor. */
export const EAGLE_QUBITS = 127;

/**
 * The heavy-hex coupling map of IBM Eagle (127 qubits), 0-based, in the order of
 * PauliPropagation.jl's `ibmeagletopology`: pairs (a, b), a < b, sorted by a then b.
 * Built from the lattice's structure rather than listed: seven rows of qubits — the first of 14
 * (columns 0–13), five of 15 (columns 0–14), the last of 14 (columns 1–14) — chained along each
 * row, and between consecutive rows four bridge qubits, each coupled to the same column of the
 * row above and the row below: columns 0, 4, 8, 12 below even rows, 2, 6, 10, 14 below odd rows.
 * Numbering runs row by row, each row's bridge qubits right after it.
 */
export function eagleTopology(): Topology {
  const rowCols: number[][] = [];
  for (let r = 0; r < 7; r++) {
    const lo = r === 6 ? 1 : 0, hi = r === 0 ? 13 : 14;
    const cols: number[] = [];
    for (let c = lo; c <= hi; c++) cols.push(c);
    rowCols.push(cols);
  }
  const bonds: [number, number][] = [];
  const rowStart: number[] = [];
  let next = 0;
  const bridges: number[][] = [];
  for (let r = 0; r < 7; r++) {
    rowStart.push(next);
    next += rowCols[r]!.length;
    if (r < 6) {
      bridges.push([next, next + 1, next + 2, next + 3]);
      next += 4;
    }
  }
  const qubitAt = (r: number, col: number) => rowStart[r]! + col - rowCols[r]![0]!;
  for (let r = 0; r < 7; r++) {
    const cols = rowCols[r]!;
    for (let i = 0; i + 1 < cols.length; i++) bonds.push([qubitAt(r, cols[i]!), qubitAt(r, cols[i + 1]!)]);
  }
  for (let r = 0; r < 6; r++) {
    const cols = r % 2 === 0 ? [0, 4, 8, 12] : [2, 6, 10, 14];
    cols.forEach((col, k) => {
      const b = bridges[r]![k]!;
      bonds.push([Math.min(b, qubitAt(r, col)), Math.max(b, qubitAt(r, col))]);
      bonds.push([Math.min(b, qubitAt(r + 1, col)), Math.max(b, qubitAt(r + 1, col))]);
    });
  }
  bonds.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return bonds;
}

export const TOPOLOGIES = ['brick', 'staircase', 'eagle'] as const;
export type TopologyName = (typeof TOPOLOGIES)[number];

/** The named topology on n qubits (eagle needs exactly 127). */
export function namedTopology(name: TopologyName, n: number, periodic: boolean): Topology {
  switch (name) {
    case 'brick':
      return brickTopology(n, periodic);
    case 'staircase':
      return staircaseTopology(n, periodic);
    case 'eagle':
      if (n !== EAGLE_QUBITS) throw new RangeError(`the eagle topology has ${EAGLE_QUBITS} qubits, not ${n}`);
      return eagleTopology();
  }
}
