import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PauliLetter, SparsePauli } from '../../src/ir/types.js';
import {
  basisExpectation, commutes, equals, hashWords, isIdentity, letterCode, multiply, plusExpectation, popcount32,
  setLetterCode, weight, wordsFor,
} from '../../src/pauli/packed.js';
import { formatSparsePauli, packedFromSparse, packSparse, sparseFromPacked, sparsePauli } from '../../src/pauli/sparse.js';
import { packBasisBits } from '../../src/ir/states.js';
import {
  basisVector, diffUpToPhase, expectationValue, initialVector, maxAbsDiff, mul, pauliStringMatrix, scale,
} from '../helpers/dense.js';

/**
 * Packed Pauli strings against two independent references: dense matrices (n ≤ 4) and a
 * letter-by-letter product table (multi-word strings, n = 40…70, to exercise the bit layout).
 */

const SEED = Number(process.env.NC_SEED ?? 4242);
type Letter = 'I' | PauliLetter;
const LETTERS: readonly Letter[] = ['I', 'X', 'Y', 'Z'];

const lettersArb = (n: number) => fc.array(fc.constantFrom(...LETTERS), { minLength: n, maxLength: n });

function sparseOf(letters: readonly Letter[]): SparsePauli {
  return sparsePauli(letters.map((l, q) => [q, l] as const));
}

function pack(letters: readonly Letter[]): { a: Uint32Array; W: number } {
  const W = wordsFor(letters.length);
  return { a: packedFromSparse(sparseOf(letters), letters.length), W };
}

function unpackLetters(a: Uint32Array, ao: number, W: number, n: number): Letter[] {
  const p = sparseFromPacked(a, ao, W, n);
  const out: Letter[] = new Array(n).fill('I');
  p.qubits.forEach((q, i) => (out[q] = p.letters[i]!));
  return out;
}

/** Single-qubit products σ_a σ_b = i^e σ_c, from the Pauli relations XY = iZ, YZ = iX, ZX = iY. */
function letterProduct(a: Letter, b: Letter): [Letter, number] {
  if (a === 'I') return [b, 0];
  if (b === 'I') return [a, 0];
  if (a === b) return ['I', 0];
  const cyc = ['X', 'Y', 'Z'];
  const ia = cyc.indexOf(a), ib = cyc.indexOf(b);
  const c = cyc[3 - ia - ib] as Letter;
  return [c, (ib - ia + 3) % 3 === 1 ? 1 : 3];
}

/** Reference string product: letterwise with phase exponents summed mod 4. */
function referenceProduct(a: readonly Letter[], b: readonly Letter[]): [Letter[], number] {
  let e = 0;
  const out = a.map((l, q) => {
    const [c, p] = letterProduct(l, b[q]!);
    e += p;
    return c;
  });
  return [out, e % 4];
}

const I_POW: readonly (readonly [number, number])[] = [[1, 0], [0, 1], [-1, 0], [0, -1]];

describe('packed Pauli strings vs dense matrices (n ≤ 4)', () => {
  const pairArb = fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(lettersArb(n), lettersArb(n)));

  it('multiply returns the exact phase: P_a P_b = i^e P_out', () => {
    fc.assert(
      fc.property(pairArb, ([la, lb]) => {
        const n = la.length;
        const { a, W } = pack(la);
        const { a: b } = pack(lb);
        const out = new Uint32Array(2 * W);
        const e = multiply(a, 0, b, 0, out, 0, W);
        const outLetters = unpackLetters(out, 0, W, n);
        const lhs = mul(pauliStringMatrix(sparseOf(la), n), pauliStringMatrix(sparseOf(lb), n));
        const rhs = scale(pauliStringMatrix(sparseOf(outLetters), n), I_POW[e]!);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThan(4);
        expect(maxAbsDiff(lhs, rhs)).toBeLessThan(1e-12);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('commutes agrees with AB = BA', () => {
    fc.assert(
      fc.property(pairArb, ([la, lb]) => {
        const n = la.length;
        const { a, W } = pack(la);
        const { a: b } = pack(lb);
        const A = pauliStringMatrix(sparseOf(la), n), B = pauliStringMatrix(sparseOf(lb), n);
        const dense = maxAbsDiff(mul(A, B), mul(B, A)) < 1e-12;
        expect(commutes(a, 0, b, 0, W)).toBe(dense);
        expect(commutes(b, 0, a, 0, W)).toBe(dense);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('weight counts non-identity tensor factors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain(lettersArb), (la) => {
        const { a, W } = pack(la);
        expect(weight(a, 0, W)).toBe(la.filter((l) => l !== 'I').length);
        expect(isIdentity(a, 0, W)).toBe(la.every((l) => l === 'I'));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('basisExpectation and plusExpectation match ⟨ψ|P|ψ⟩ densely', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(lettersArb(n), fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: n, maxLength: n }))),
        ([la, bits]) => {
          const n = la.length;
          const { a, W } = pack(la);
          const P = pauliStringMatrix(sparseOf(la), n);
          const index = bits.reduce<number>((acc, b, q) => acc | (b << q), 0);
          expect(basisExpectation(a, 0, W, packBasisBits(bits, W))).toBeCloseTo(expectationValue(P, basisVector(index, n)), 12);
          expect(plusExpectation(a, 0, W)).toBeCloseTo(expectationValue(P, initialVector({ kind: 'plus' }, n)), 12);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('the dense reference itself satisfies XY = iZ (guards against a wrong Y in the helper)', () => {
    const X = pauliStringMatrix(sparseOf(['X']), 1), Y = pauliStringMatrix(sparseOf(['Y']), 1);
    const Z = pauliStringMatrix(sparseOf(['Z']), 1);
    expect(maxAbsDiff(mul(X, Y), scale(Z, [0, 1]))).toBe(0);
    expect(diffUpToPhase(mul(X, Z), Y)).toBeLessThan(1e-15); // XZ = −iY
  });
});

describe('packed Pauli strings across several words (n = 40…70)', () => {
  const bigPair = fc.integer({ min: 40, max: 70 }).chain((n) => fc.tuple(lettersArb(n), lettersArb(n), lettersArb(n)));

  it('multiply matches the letterwise reference product with phase', () => {
    fc.assert(
      fc.property(bigPair, ([la, lb]) => {
        const n = la.length;
        const { a, W } = pack(la);
        const { a: b } = pack(lb);
        expect(W).toBe(Math.ceil(n / 32));
        const out = new Uint32Array(2 * W);
        const e = multiply(a, 0, b, 0, out, 0, W);
        const [refLetters, refE] = referenceProduct(la, lb);
        expect(unpackLetters(out, 0, W, n)).toEqual(refLetters);
        expect(e).toBe(refE);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('multiply works with offsets inside larger arrays and when out aliases an input', () => {
    fc.assert(
      fc.property(bigPair, ([la, lb]) => {
        const n = la.length;
        const W = wordsFor(n);
        const buf = new Uint32Array(7 * W).fill(0xdeadbeef);
        packSparse(sparseOf(la), buf, W, W);
        packSparse(sparseOf(lb), buf, 4 * W, W);
        const e = multiply(buf, W, buf, 4 * W, buf, W, W); // out aliases a
        const [refLetters, refE] = referenceProduct(la, lb);
        expect(e).toBe(refE);
        expect(unpackLetters(buf, W, W, n)).toEqual(refLetters);
        expect(buf[0]).toBe(0xdeadbeef); // neighbours untouched
        expect(buf[6 * W]).toBe(0xdeadbeef);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('multiplication is associative including phases: (ab)c = a(bc)', () => {
    fc.assert(
      fc.property(bigPair, ([la, lb, lc]) => {
        const { a, W } = pack(la);
        const { a: b } = pack(lb);
        const { a: c } = pack(lc);
        const ab = new Uint32Array(2 * W), abc1 = new Uint32Array(2 * W);
        const bc = new Uint32Array(2 * W), abc2 = new Uint32Array(2 * W);
        const e1 = multiply(a, 0, b, 0, ab, 0, W) + multiply(ab, 0, c, 0, abc1, 0, W);
        const e2 = multiply(b, 0, c, 0, bc, 0, W) + multiply(a, 0, bc, 0, abc2, 0, W);
        expect(equals(abc1, 0, abc2, 0, W)).toBe(true);
        expect(e1 % 4).toBe(e2 % 4);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('commutes and weight match letterwise counting', () => {
    fc.assert(
      fc.property(bigPair, ([la, lb]) => {
        const { a, W } = pack(la);
        const { a: b } = pack(lb);
        const anti = la.filter((l, q) => l !== 'I' && lb[q] !== 'I' && l !== lb[q]).length;
        expect(commutes(a, 0, b, 0, W)).toBe(anti % 2 === 0);
        expect(weight(a, 0, W)).toBe(la.filter((l) => l !== 'I').length);
        // P and Q commute iff PQ and QP have the same phase
        const o1 = new Uint32Array(2 * W), o2 = new Uint32Array(2 * W);
        const e1 = multiply(a, 0, b, 0, o1, 0, W), e2 = multiply(b, 0, a, 0, o2, 0, W);
        expect(e1 === e2).toBe(anti % 2 === 0);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('letterCode / setLetterCode round-trip at every qubit, including word boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 70 }).chain(lettersArb), (la) => {
        const n = la.length;
        const W = wordsFor(n);
        const a = new Uint32Array(2 * W);
        const code: Record<Letter, number> = { I: 0, X: 1, Z: 2, Y: 3 };
        la.forEach((l, q) => setLetterCode(a, 0, W, q, code[l]));
        la.forEach((l, q) => expect(letterCode(a, 0, W, q)).toBe(code[l]));
        expect(equals(a, 0, pack(la).a, 0, W)).toBe(true);
        // overwrite with identities clears everything
        la.forEach((_, q) => setLetterCode(a, 0, W, q, 0));
        expect(isIdentity(a, 0, W)).toBe(true);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('qubit 31, 32 and 63 land in the documented words and bits', () => {
    const n = 64, W = wordsFor(n);
    const a = packedFromSparse(sparsePauli([[31, 'X'], [32, 'Z'], [63, 'Y']]), n);
    expect(W).toBe(2);
    expect(a[0]).toBe(0x80000000); // X plane word 0: qubit 31
    expect(a[1]).toBe(0x80000000); // X plane word 1: qubit 63 (Y)
    expect(a[2]).toBe(0); // Z plane word 0
    expect(a[3]).toBe(0x80000001); // Z plane word 1: qubits 32 (Z) and 63 (Y)
    expect(formatSparsePauli(sparseFromPacked(a, 0, W, n))).toBe('X31 Z32 Y63');
  });

  it('equal strings hash equally; equals is exact letter equality', () => {
    fc.assert(
      fc.property(bigPair, ([la, lb]) => {
        const { a, W } = pack(la);
        const { a: b } = pack(lb);
        const copy = new Uint32Array(3 * W);
        copy.set(a, W);
        expect(equals(a, 0, copy, W, W)).toBe(true);
        expect(hashWords(a, 0, 2 * W)).toBe(hashWords(copy, W, 2 * W));
        const same = la.every((l, q) => l === lb[q]);
        expect(equals(a, 0, b, 0, W)).toBe(same);
        const h = hashWords(a, 0, 2 * W);
        expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('hashes of single-letter strings spread over the low bits (open addressing uses h & mask)', () => {
    const n = 64, W = wordsFor(n);
    const buckets = new Set<number>();
    for (let q = 0; q < n; q++) {
      for (const l of ['X', 'Y', 'Z'] as const) {
        const a = packedFromSparse(sparsePauli([[q, l]]), n);
        buckets.add(hashWords(a, 0, 2 * W) & 255);
      }
    }
    // 192 keys into 256 buckets: a decent hash fills well over half of the expected ~137.
    expect(buckets.size).toBeGreaterThan(100);
  });
});

describe('popcount32', () => {
  it('matches a bit loop, including the sign bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (v) => {
        let ref = 0;
        for (let b = 0; b < 32; b++) ref += (v >>> b) & 1;
        expect(popcount32(v)).toBe(ref);
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0)).toBe(0);
  });
});
