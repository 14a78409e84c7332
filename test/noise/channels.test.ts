import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/ir/errors.js';
import { CHANNEL_NAMES, heisenbergFactor, krausOperators, makeChannel, type ChannelName, type KrausOperator, type NoiseChannel } from '../../src/noise/channels.js';
import { DensityMatrix } from '../../src/simulators/density/density-matrix.js';
import { add, adjoint, embed, kron, maxAbsDiff, mul, PAULI, scale, zeros, type CMatrix } from '../helpers/dense.js';
import { uniformArb } from '../helpers/random-circuits.js';

const SEED = Number(process.env.NC_SEED ?? 7321);
const RUNS = Number(process.env.NC_PROPERTY_RUNS ?? 60);

const LETTERS = ['I', 'X', 'Y', 'Z'] as const;

function krausMatrix(k: KrausOperator): CMatrix {
  return { rows: k.dim, cols: k.dim, re: k.re, im: k.im };
}

/** A channel of the given kind with random valid strengths, on qubits (0) or (0, 1). */
const channelArb = (name: ChannelName): fc.Arbitrary<NoiseChannel> => {
  if (name === 'pauli_noise') {
    // (px, py, pz, p_identity) uniform on the simplex corner: px + py + pz ≤ 1.
    return fc.tuple(uniformArb(0, 1), uniformArb(0, 1), uniformArb(0, 1), uniformArb(0, 1)).map(([a, b, c, d]) => {
      const t = a + b + c + d || 1;
      return makeChannel(name, [0], [a / t, b / t, c / t]);
    });
  }
  return uniformArb(0, 1).map((p) => makeChannel(name, name === 'depolarize2' ? [0, 1] : [0], [p]));
};

/** A random density matrix on n qubits: A A† / Tr(A A†) for a random complex A. */
const densityArb = (n: number): fc.Arbitrary<CMatrix> => {
  const d = 1 << n;
  return fc.array(uniformArb(-1, 1), { minLength: 2 * d * d, maxLength: 2 * d * d }).map((v) => {
    const a = zeros(d);
    for (let i = 0; i < d * d; i++) { a.re[i] = v[2 * i]!; a.im[i] = v[2 * i + 1]!; }
    const rho = mul(a, adjoint(a));
    let tr = 0;
    for (let i = 0; i < d; i++) tr += rho.re[i * d + i]!;
    return scale(rho, 1 / tr);
  });
};

function applyKraus(ops: KrausOperator[], qubits: number[], n: number, rho: CMatrix): CMatrix {
  let out = zeros(1 << n);
  for (const k of ops) {
    const K = embed(krausMatrix(k), qubits, n);
    out = add(out, mul(mul(K, rho), adjoint(K)));
  }
  return out;
}

function toDensity(m: CMatrix, n: number): DensityMatrix {
  const r = DensityMatrix.allocate(n);
  r.re.set(m.re);
  r.im.set(m.im);
  return r;
}

function fromDensity(r: DensityMatrix): CMatrix {
  return { rows: r.dim, cols: r.dim, re: Float64Array.from(r.re), im: Float64Array.from(r.im) };
}

describe('noise channels', () => {
  for (const name of CHANNEL_NAMES) {
    it(`${name}: the Kraus form is trace preserving and its Heisenberg dual is the stated Pauli transfer`, () => {
      fc.assert(fc.property(channelArb(name), (ch) => {
        const ops = krausOperators(ch);
        const dim = ops[0]!.dim;
        // Σ K†K = I
        let sum = zeros(dim);
        for (const k of ops) sum = add(sum, mul(adjoint(krausMatrix(k)), krausMatrix(k)));
        for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) {
          expect(Math.abs(sum.re[i * dim + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
          expect(Math.abs(sum.im[i * dim + j]!)).toBeLessThan(1e-12);
        }
        // Σ K† Q K = scale·Q + toIdentity·(Q with its Z replaced by I) for every Pauli Q
        const arity = dim === 4 ? 2 : 1;
        const letterTuples = arity === 1 ? [0, 1, 2, 3].map((a) => [a]) : [0, 1, 2, 3].flatMap((a) => [0, 1, 2, 3].map((b) => [a, b]));
        for (const ls of letterTuples) {
          const Q = kron(...ls.map((l) => PAULI[LETTERS[l]!]));
          let dual = zeros(dim);
          for (const k of ops) dual = add(dual, mul(mul(adjoint(krausMatrix(k)), Q), krausMatrix(k)));
          const { scale: f, toIdentity } = heisenbergFactor(ch, ls);
          let expected = scale(Q, f);
          if (toIdentity !== 0) expected = add(expected, scale(kron(...ls.map((l) => PAULI[LETTERS[l === 3 ? 0 : l]!])), toIdentity));
          expect(maxAbsDiff(dual, expected)).toBeLessThan(1e-12);
        }
      }), { seed: SEED, numRuns: RUNS });
    });
  }

  it('the density matrix applies each channel as its Kraus form, and its dual as the adjoint map', () => {
    const n = 3;
    const arb = fc.tuple(fc.constantFrom(...CHANNEL_NAMES), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n - 1 }))
      .chain(([name, q, dq]) => fc.tuple(channelArb(name), densityArb(n), densityArb(n)).map(([ch, rho, m]) => {
        const qubits = ch.qubits.length === 2 ? [q, (q + dq) % n] : [q];
        return { ch: makeChannel(ch.name, qubits, ch.strengths), rho, m };
      }));
    fc.assert(fc.property(arb, ({ ch, rho, m }) => {
      const expected = applyKraus(krausOperators(ch), [...ch.qubits], n, rho);
      const dm = toDensity(rho, n);
      dm.applyChannel(ch);
      expect(maxAbsDiff(fromDensity(dm), expected)).toBeLessThan(1e-12);
      // Tr(M·E(ρ)) = Tr(E*(M)·ρ)
      const mm = toDensity(m, n);
      mm.applyChannelDual(ch);
      const lhs = mul(m, expected);
      const rhs = mul(fromDensity(mm), rho);
      let a = 0, b = 0;
      for (let i = 0; i < 1 << n; i++) { a += lhs.re[i * (1 << n) + i]!; b += rhs.re[i * (1 << n) + i]!; }
      expect(Math.abs(a - b)).toBeLessThan(1e-12);
    }), { seed: SEED, numRuns: RUNS });
  });

  it('rejects invalid strengths and operands with positioned errors', () => {
    const at = { file: 'c.ncl', line: 3, column: 7 };
    expect(() => makeChannel('depolarize', [0], [1.5], at)).toThrow(/c\.ncl:3:7: depolarize: p must be a number in \[0, 1\], got 1.5/);
    expect(() => makeChannel('pauli_noise', [0], [0.5, 0.4, 0.3], at)).toThrow(/px \+ py \+ pz must be at most 1/);
    expect(() => makeChannel('amplitude_damp', [0], [-0.1], at)).toThrow(/γ must be a number in \[0, 1\]/);
    expect(() => makeChannel('depolarize2', [2, 2], [0.1], at)).toThrow(/two distinct qubits/);
    expect(() => makeChannel('dephase', [0], [0.1, 0.2], at)).toThrow(UserError);
    expect(() => makeChannel('depolarize2', [0], [0.1], at)).toThrow(/acts on 2 qubits/);
  });
});
