import type { ParameterDecl } from '../../ir/types.js';

/**
 * Qiskit exports the elements of a ParameterVector θ as scalar inputs named `_θ_0_`, `_θ_1_`, …
 * (its OpenQASM 3 exporter turns the invalid name `θ[0]` into `_` + the name with every
 * non-identifier character replaced by `_`). The rule that undoes it: the scalar inputs named
 * `_NAME_K_` (K decimal without leading zeros) whose indices K are exactly 0 … n−1, each once,
 * become one vector parameter NAME[n] — unless some other input is called NAME. The vector takes
 * the place of its first element in declaration order. Everything else stays as declared.
 */
export interface DeclaredInput {
  readonly name: string;
  /** null for a scalar `input float[64] a;`, n for `input array[float[64], n] a;`. */
  readonly length: number | null;
}

const ELEMENT = /^_(.+)_(0|[1-9]\d*)_$/su;

export function groupQiskitVectors(
  inputs: readonly DeclaredInput[],
  group: boolean,
): { parameters: ParameterDecl[]; remap: number[] | null } {
  // Candidate groups: base name → element index → position in `inputs`.
  const groups = new Map<string, Map<number, number>>();
  const bad = new Set<string>();
  if (group) {
    inputs.forEach((d, i) => {
      if (d.length !== null) return;
      const m = ELEMENT.exec(d.name);
      if (!m) return;
      const base = m[1]!;
      const k = Number(m[2]);
      let g = groups.get(base);
      if (!g) groups.set(base, (g = new Map()));
      if (g.has(k)) bad.add(base);
      g.set(k, i);
    });
    const names = new Set(inputs.map((d) => d.name));
    for (const [base, g] of groups) {
      if (names.has(base)) bad.add(base);
      for (let k = 0; k < g.size; k++) if (!g.has(k)) bad.add(base);
    }
    for (const b of bad) groups.delete(b);
  }
  const parameters: ParameterDecl[] = [];
  const oldOffsets: number[] = [];
  let old = 0;
  for (const d of inputs) {
    oldOffsets.push(old);
    old += d.length ?? 1;
  }
  const remap = new Array<number>(old);
  const emitted = new Set<string>();
  let offset = 0;
  let moved = false;
  inputs.forEach((d, i) => {
    const m = d.length === null ? ELEMENT.exec(d.name) : null;
    const g = m ? groups.get(m[1]!) : undefined;
    if (m && g) {
      const base = m[1]!;
      if (emitted.has(base)) return;
      emitted.add(base);
      parameters.push({ name: base, length: g.size, offset });
      for (const [k, pos] of g) {
        remap[oldOffsets[pos]!] = offset + k;
        if (oldOffsets[pos] !== offset + k) moved = true;
      }
      offset += g.size;
      return;
    }
    parameters.push({ name: d.name, length: d.length, offset });
    for (let j = 0; j < (d.length ?? 1); j++) {
      remap[oldOffsets[i]! + j] = offset + j;
      if (oldOffsets[i]! + j !== offset + j) moved = true;
    }
    offset += d.length ?? 1;
  });
  return { parameters, remap: moved ? remap : null };
}
