import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ResourceLimitError } from '../../src/ir/errors.js';
import type { PauliLetter } from '../../src/ir/types.js';
import { wordsFor } from '../../src/pauli/packed.js';
import { formatSparsePauli, packSparse, sparseFromPacked, sparsePauli } from '../../src/pauli/sparse.js';
import { PauliSum } from '../../src/pauli/sum.js';
import { PauliTable } from '../../src/pauli/table.js';

/**
 * PauliTable and PauliSum against a plain Map<string, …> reference: random operation sequences
 * (insert, find, compact, clear) with strings drawn from a small pool so that repeats and merges
 * are frequent, on register sizes that need one or several words.
 */

const SEED = Number(process.env.NC_SEED ?? 777);

type Letter = 'I' | PauliLetter;
const letter = fc.constantFrom<Letter>('I', 'X', 'Y', 'Z', 'I', 'I');

/** A pool of distinct-or-not strings as letter arrays of length n. */
const poolArb = (n: number, size: number) =>
  fc.array(fc.array(letter, { minLength: n, maxLength: n }), { minLength: 1, maxLength: size });

function packLetters(letters: readonly Letter[], W: number): Uint32Array {
  const out = new Uint32Array(2 * W);
  packSparse(sparsePauli(letters.map((l, q) => [q, l] as const)), out, 0, W);
  return out;
}

const keyOf = (letters: readonly Letter[]) => formatSparsePauli(sparsePauli(letters.map((l, q) => [q, l] as const)));

type Op =
  | { kind: 'insert'; i: number }
  | { kind: 'find'; i: number }
  | { kind: 'compact'; keepMask: number }
  | { kind: 'clear' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('insert' as const), i: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('find' as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), keepMask: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('PauliTable vs Map reference', () => {
  for (const n of [5, 45]) {
    it(`insert/find/compact/clear keep insertion order and indices (n = ${n}, W = ${wordsFor(n)})`, () => {
      fc.assert(
        fc.property(poolArb(n, 60), fc.array(opArb, { maxLength: 400 }), (pool, ops) => {
          const W = wordsFor(n);
          const table = new PauliTable(W, 1); // tiny capacity: forces several growths
          const packed = pool.map((l) => packLetters(l, W));
          const keys = pool.map(keyOf);
          let order: string[] = []; // reference: entry index → key
          const ref = new Map<string, number>();
          const rebuild = () => {
            ref.clear();
            order.forEach((k, i) => ref.set(k, i));
          };
          let grew = 0;
          table.onGrow = (cap) => {
            expect(cap).toBe(table.capacity);
            grew++;
          };
          for (const op of ops) {
            if (op.kind === 'insert') {
              const j = op.i % pool.length;
              const e = table.findOrInsert(packed[j]!, 0);
              const expected = ref.get(keys[j]!);
              if (expected === undefined) {
                expect(table.lastInserted).toBe(true);
                expect(e).toBe(order.length);
                order.push(keys[j]!);
                ref.set(keys[j]!, e);
              } else {
                expect(table.lastInserted).toBe(false);
                expect(e).toBe(expected);
              }
            } else if (op.kind === 'find') {
              const j = op.i % pool.length;
              expect(table.find(packed[j]!, 0)).toBe(ref.get(keys[j]!) ?? -1);
            } else if (op.kind === 'compact') {
              const moves: [number, number][] = [];
              const keep = (i: number) => ((op.keepMask >>> (i % 31)) & 1) === 1;
              table.compact(keep, (from, to) => moves.push([from, to]));
              const kept = order.map((k, i) => [k, i] as const).filter(([, i]) => keep(i));
              // every surviving entry that changed index was reported exactly once
              for (const [to, [, from]] of kept.entries()) {
                if (from !== to) expect(moves).toContainEqual([from, to]);
              }
              expect(moves.length).toBe(kept.filter(([, from], to) => from !== to).length);
              order = kept.map(([k]) => k);
              rebuild();
            } else {
              table.clear();
              order = [];
              ref.clear();
            }
            expect(table.size).toBe(order.length);
          }
          // final state: keys array holds the strings in reference order
          for (let e = 0; e < table.size; e++) {
            expect(formatSparsePauli(sparseFromPacked(table.keys, e * table.stride, W, n))).toBe(order[e]);
          }
          for (let j = 0; j < pool.length; j++) expect(table.find(packed[j]!, 0)).toBe(ref.get(keys[j]!) ?? -1);
          if (table.size > 16) expect(grew).toBeGreaterThan(0);
        }),
        { seed: SEED, numRuns: 60 },
      );
    });
  }

  it('grows to many thousands of entries and finds them all', () => {
    const n = 40, W = wordsFor(n);
    const table = new PauliTable(W, 16);
    const buf = new Uint32Array(2 * W);
    const count = 20000;
    for (let i = 0; i < count; i++) {
      buf.fill(0);
      buf[0] = i; // X plane, word 0: distinct strings
      buf[W + 1] = (i * 7) & 0xff; // and something in the second Z word
      expect(table.findOrInsert(buf, 0)).toBe(i);
    }
    expect(table.size).toBe(count);
    expect(table.capacity).toBeGreaterThanOrEqual(count);
    for (let i = 0; i < count; i += 97) {
      buf.fill(0);
      buf[0] = i;
      buf[W + 1] = (i * 7) & 0xff;
      expect(table.find(buf, 0)).toBe(i);
    }
    buf.fill(0);
    buf[0] = count + 5;
    expect(table.find(buf, 0)).toBe(-1);
  });

  it('throws ResourceLimitError when the entry cap would be exceeded', () => {
    const table = new PauliTable(1, 16, 64);
    const buf = new Uint32Array(2);
    for (let i = 0; i < 64; i++) {
      buf[0] = i + 1;
      table.findOrInsert(buf, 0);
    }
    buf[0] = 1000;
    expect(() => table.findOrInsert(buf, 0)).toThrow(ResourceLimitError);
    // existing entries are still found after the refused insert
    buf[0] = 7;
    expect(table.find(buf, 0)).toBe(6);
  });
});

describe('PauliSum vs Map reference', () => {
  const termArb = (n: number) =>
    fc.tuple(fc.array(letter, { minLength: n, maxLength: n }), fc.integer({ min: -8, max: 8 }).map((k) => k / 4));

  for (const n of [3, 40]) {
    it(`add merges coefficients, prune drops zeros, scale/addSum/norm1 agree (n = ${n})`, () => {
      fc.assert(
        fc.property(fc.array(termArb(n), { maxLength: 120 }), fc.array(termArb(n), { maxLength: 40 }), (terms, more) => {
          const sum = new PauliSum(n, 2);
          const ref = new Map<string, number>();
          const W = sum.W;
          for (const [l, c] of terms) {
            sum.add(packLetters(l, W), 0, c);
            ref.set(keyOf(l), (ref.get(keyOf(l)) ?? 0) + c);
          }
          expect(sum.size).toBe(ref.size);
          for (const [l] of terms) expect(sum.coefficient(packLetters(l, W), 0)).toBe(ref.get(keyOf(l)));
          // coefficients of absent strings are 0
          const absent = new Array<Letter>(n).fill('X');
          if (!ref.has(keyOf(absent))) expect(sum.coefficient(packLetters(absent, W), 0)).toBe(0);

          const norm = [...ref.values()].reduce((s, c) => s + Math.abs(c), 0);
          expect(sum.norm1()).toBeCloseTo(norm, 12);

          sum.prune();
          for (const [k, c] of [...ref]) if (c === 0) ref.delete(k);
          expect(sum.size).toBe(ref.size);
          const obs = sum.toObservable();
          expect(new Map(obs.terms.map((t) => [formatSparsePauli(t.pauli), t.coeff]))).toEqual(ref);

          sum.scale(-2);
          const other = PauliSum.fromObservable({ name: 'o', terms: more.map(([l, c]) => ({ coeff: c, pauli: sparsePauli(l.map((x, q) => [q, x] as const)) })) }, n);
          sum.addSum(other, 0.5);
          const want = new Map<string, number>();
          for (const [k, c] of ref) want.set(k, -2 * c);
          for (const [l, c] of more) want.set(keyOf(l), (want.get(keyOf(l)) ?? 0) + 0.5 * c);
          for (const [k, c] of want) {
            const e = [...Array(sum.size).keys()].find((i) => formatSparsePauli(sparseFromPacked(sum.table.keys, i * sum.table.stride, W, n)) === k);
            expect(e, k).toBeDefined();
            expect(sum.coeffs[e!]).toBeCloseTo(c, 12);
          }
          sum.prune(0.3);
          for (let i = 0; i < sum.size; i++) expect(Math.abs(sum.coeffs[i]!)).toBeGreaterThan(0.3);
          expect(sum.size).toBe([...want.values()].filter((c) => Math.abs(c) > 0.3).length);
        }),
        { seed: SEED, numRuns: 60 },
      );
    });
  }

  it('coefficients survive table growth (onGrow resizes the value array)', () => {
    const n = 20;
    const sum = new PauliSum(n, 16);
    const W = sum.W;
    const buf = new Uint32Array(2 * W);
    for (let i = 0; i < 5000; i++) {
      buf[0] = i + 1;
      sum.add(buf, 0, i + 0.5);
    }
    expect(sum.coeffs.length).toBeGreaterThanOrEqual(sum.table.capacity);
    for (let i = 0; i < 5000; i += 37) {
      buf[0] = i + 1;
      expect(sum.coefficient(buf, 0)).toBe(i + 0.5);
    }
  });

  it('fromObservable merges repeated strings; toObservable skips zero coefficients', () => {
    const p = sparsePauli([[0, 'Z'], [2, 'X']]);
    const sum = PauliSum.fromObservable({ name: 'h', terms: [{ coeff: 1, pauli: p }, { coeff: 2, pauli: p }, { coeff: 1, pauli: sparsePauli([[1, 'Y']]) }, { coeff: -1, pauli: sparsePauli([[1, 'Y']]) }] }, 3);
    const obs = sum.toObservable('h');
    expect(obs.terms.map((t) => [formatSparsePauli(t.pauli), t.coeff])).toEqual([['Z0 X2', 3]]);
  });
});
