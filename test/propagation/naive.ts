import { evaluateExpr } from '../../src/ir/affine.js';
import type { InitialState } from '../../src/ir/states.js';
import type { CliffordName, Circuit, Observable } from '../../src/ir/types.js';

/**
 * A deliberately simple reference for Pauli propagation, written independently of the engines:
 * strings are 'IXYZ' text, the sum is a Map, Clifford conjugation comes from 2×2 / 4×4 complex
 * matrices, and each gate literally does what the reference package does: apply the gate to every
 * term into a fresh map (merging equal strings: coefficients add, path counters take the
 * minimum), then truncate the whole map.
 */
export interface NaiveTerm {
  c: number;
  sins: number;
  freq: number;
}

export interface NaiveTruncation {
  maxWeight?: number;
  minAbs?: number;
  maxSins?: number;
  maxFreq?: number;
}

type C = [number, number];
const LETTERS = 'IXYZ';
// Product table of single-qubit Paulis: a·b = i^phase · letter.
function mulLetter(a: string, b: string): [string, number] {
  if (a === 'I') return [b, 0];
  if (b === 'I') return [a, 0];
  if (a === b) return ['I', 0];
  const cyc = ['XY', 'YZ', 'ZX'];
  const other = 'XYZ'.replace(a, '').replace(b, '');
  return [other, cyc.includes(a + b) ? 1 : 3];
}

/** a·b for full strings: returns [string, k] with a·b = i^k · string. */
export function mulString(a: string, b: string): [string, number] {
  let k = 0;
  let out = '';
  for (let i = 0; i < a.length; i++) {
    const [l, p] = mulLetter(a[i]!, b[i]!);
    out += l;
    k += p;
  }
  return [out, k % 4];
}

function commutesStrings(a: string, b: string): boolean {
  let anti = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 'I' && b[i] !== 'I' && a[i] !== b[i]) anti++;
  return anti % 2 === 0;
}

// ---- tiny complex matrices for Clifford conjugation ----
const cm = (re: number, im = 0): C => [re, im];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
type M = C[][];
function matmul(a: M, b: M): M {
  const n = a.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = cm(0);
      for (let k = 0; k < n; k++) s = cadd(s, cmul(a[i]![k]!, b[k]![j]!));
      return s;
    }),
  );
}
const dagger = (a: M): M => a.map((_, i) => a.map((row) => [row[i]![0], -row[i]![1]] as C));
function kron(a: M, b: M): M {
  const n = a.length, m = b.length;
  return Array.from({ length: n * m }, (_, i) =>
    Array.from({ length: n * m }, (_, j) => cmul(a[Math.floor(i / m)]![Math.floor(j / m)]!, b[i % m]![j % m]!)),
  );
}
const r2 = Math.SQRT1_2;
const PAULI: Record<string, M> = {
  I: [[cm(1), cm(0)], [cm(0), cm(1)]],
  X: [[cm(0), cm(1)], [cm(1), cm(0)]],
  Y: [[cm(0), cm(0, -1)], [cm(0, 1), cm(0)]],
  Z: [[cm(1), cm(0)], [cm(0), cm(-1)]],
};
const ONE_QUBIT: Record<string, M> = {
  h: [[cm(r2), cm(r2)], [cm(r2), cm(-r2)]],
  s: [[cm(1), cm(0)], [cm(0), cm(0, 1)]],
  sdg: [[cm(1), cm(0)], [cm(0), cm(0, -1)]],
  x: PAULI.X!,
  y: PAULI.Y!,
  z: PAULI.Z!,
  sx: [[cm(0.5, 0.5), cm(0.5, -0.5)], [cm(0.5, -0.5), cm(0.5, 0.5)]],
  sxdg: [[cm(0.5, -0.5), cm(0.5, 0.5)], [cm(0.5, 0.5), cm(0.5, -0.5)]],
};
// Two-qubit matrices with the FIRST listed qubit (control) as the most significant tensor factor.
function controlled(u: M): M {
  const z = cm(0), o = cm(1);
  return [
    [o, z, z, z],
    [z, o, z, z],
    [z, z, u[0]![0]!, u[0]![1]!],
    [z, z, u[1]![0]!, u[1]![1]!],
  ];
}
const TWO_QUBIT: Record<string, M> = {
  cx: controlled(PAULI.X!),
  cy: controlled(PAULI.Y!),
  cz: controlled(PAULI.Z!),
  swap: [
    [cm(1), cm(0), cm(0), cm(0)],
    [cm(0), cm(0), cm(1), cm(0)],
    [cm(0), cm(1), cm(0), cm(0)],
    [cm(0), cm(0), cm(0), cm(1)],
  ],
};

/** U†PU for the gate's letters (first letter on the first qubit) → [letters, sign]. */
const conjCache = new Map<string, [string, number]>();
function conjugateLetters(name: CliffordName, letters: string): [string, number] {
  const key = name + ':' + letters;
  const hit = conjCache.get(key);
  if (hit) return hit;
  const u = letters.length === 1 ? ONE_QUBIT[name]! : TWO_QUBIT[name]!;
  const p = letters.length === 1 ? PAULI[letters]! : kron(PAULI[letters[0]!]!, PAULI[letters[1]!]!);
  const target = matmul(matmul(dagger(u), p), u);
  const candidates = letters.length === 1 ? [...LETTERS] : [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b));
  for (const cand of candidates) {
    const q = cand.length === 1 ? PAULI[cand]! : kron(PAULI[cand[0]!]!, PAULI[cand[1]!]!);
    for (const sign of [1, -1]) {
      let ok = true;
      for (let i = 0; i < q.length && ok; i++) {
        for (let j = 0; j < q.length && ok; j++) {
          const d = [target[i]![j]![0] - sign * q[i]![j]![0], target[i]![j]![1] - sign * q[i]![j]![1]];
          if (Math.abs(d[0]!) > 1e-12 || Math.abs(d[1]!) > 1e-12) ok = false;
        }
      }
      if (ok) {
        conjCache.set(key, [cand, sign]);
        return [cand, sign];
      }
    }
  }
  throw new Error(`conjugation of ${letters} by ${name} is not a Pauli`);
}

export function weightOfString(s: string): number {
  let w = 0;
  for (const ch of s) if (ch !== 'I') w++;
  return w;
}

export function stringOf(n: number, qubits: readonly number[], letters: readonly string[]): string {
  const a = Array<string>(n).fill('I');
  qubits.forEach((q, i) => (a[q] = letters[i]!));
  return a.join('');
}

function addTerm(m: Map<string, NaiveTerm>, s: string, t: NaiveTerm): void {
  const old = m.get(s);
  if (!old) m.set(s, { ...t });
  else m.set(s, { c: old.c + t.c, sins: Math.min(old.sins, t.sins), freq: Math.min(old.freq, t.freq) });
}

/** The channels' Heisenberg maps written out directly from REFERENCE §7 (independent of src/noise). */
function naiveChannelFactor(name: string, p: readonly number[], letters: readonly string[]): { scale: number; toIdentity: number } {
  const l = letters[0]!;
  switch (name) {
    case 'depolarize': return { scale: l === 'I' ? 1 : 1 - p[0]!, toIdentity: 0 };
    case 'depolarize2': return { scale: letters.every((x) => x === 'I') ? 1 : 1 - p[0]!, toIdentity: 0 };
    case 'dephase': return { scale: l === 'X' || l === 'Y' ? 1 - p[0]! : 1, toIdentity: 0 };
    case 'pauli_noise': {
      const [px, py, pz] = p as [number, number, number];
      const f = { I: 1, X: 1 - 2 * py - 2 * pz, Y: 1 - 2 * px - 2 * pz, Z: 1 - 2 * px - 2 * py }[l as 'I']!;
      return { scale: f, toIdentity: 0 };
    }
    case 'amplitude_damp': {
      const g = p[0]!;
      if (l === 'I') return { scale: 1, toIdentity: 0 };
      if (l === 'Z') return { scale: 1 - g, toIdentity: g };
      return { scale: Math.sqrt(1 - g), toIdentity: 0 };
    }
  }
  throw new Error(`unknown channel ${name}`);
}

export interface NaiveResult {
  terms: Map<string, NaiveTerm>;
  droppedWeight: number;
}

export function naivePropagate(circuit: Circuit, params: ArrayLike<number>, obs: Observable, tr: NaiveTruncation = {}): NaiveResult {
  const n = circuit.numQubits;
  const maxWeight = tr.maxWeight ?? Infinity;
  const minAbs = tr.minAbs ?? 1e-10;
  const maxSins = tr.maxSins ?? Infinity;
  const maxFreq = tr.maxFreq ?? Infinity;
  let sum = new Map<string, NaiveTerm>();
  for (const t of obs.terms) addTerm(sum, stringOf(n, t.pauli.qubits, t.pauli.letters), { c: t.coeff, sins: 0, freq: 0 });
  let droppedWeight = 0;
  for (let gi = circuit.gates.length - 1; gi >= 0; gi--) {
    const g = circuit.gates[gi]!;
    const next = new Map<string, NaiveTerm>();
    if (g.kind === 'channel') {
      // Pauli transfer of the channel (REFERENCE §7), letter by letter from its written-out table;
      // path counters are not branches of a rotation and stay as they are.
      for (const [s, t] of sum) {
        const letters = g.qubits.map((q) => s[q]!);
        const { scale, toIdentity } = naiveChannelFactor(g.name, g.strengths, letters);
        addTerm(next, s, { ...t, c: t.c * scale });
        if (toIdentity !== 0) {
          const a = s.split('');
          a[g.qubits[0]!] = 'I';
          addTerm(next, a.join(''), { ...t, c: t.c * toIdentity });
        }
      }
    } else if (g.kind === 'clifford') {
      for (const [s, t] of sum) {
        const letters = g.qubits.map((q) => s[q]).join('');
        const [out, sign] = conjugateLetters(g.name, letters);
        const a = s.split('');
        g.qubits.forEach((q, i) => (a[q] = out[i]!));
        addTerm(next, a.join(''), { ...t, c: sign * t.c });
      }
    } else {
      const theta = evaluateExpr(g.angle, params);
      const gen = stringOf(n, g.pauli.qubits, g.pauli.letters);
      for (const [s, t] of sum) {
        if (commutesStrings(gen, s)) {
          addTerm(next, s, t);
          continue;
        }
        const [prod, k] = mulString(gen, s);
        const sign = (k + 1) % 4 === 0 ? 1 : -1; // i·i^k must be real: k odd
        addTerm(next, s, { c: t.c * Math.cos(theta), sins: t.sins, freq: t.freq + 1 });
        addTerm(next, prod, { c: t.c * Math.sin(theta) * sign, sins: t.sins + 1, freq: t.freq + 1 });
      }
    }
    for (const [s, t] of next) {
      if (weightOfString(s) > maxWeight || Math.abs(t.c) < minAbs || t.sins > maxSins || t.freq > maxFreq) {
        droppedWeight += Math.abs(t.c);
        next.delete(s);
      }
    }
    sum = next;
  }
  return { terms: sum, droppedWeight };
}

export function naiveOverlap(terms: Map<string, NaiveTerm>, state: InitialState): number {
  let v = 0;
  for (const [s, t] of terms) {
    let o = 1;
    for (let q = 0; q < s.length && o !== 0; q++) {
      const l = s[q]!;
      if (state.kind === 'plus') {
        if (l === 'Y' || l === 'Z') o = 0;
      } else if (l === 'X' || l === 'Y') o = 0;
      else if (l === 'Z' && state.kind === 'basis' && state.bits[q] === 1) o = -o;
    }
    v += o * t.c;
  }
  return v;
}
