import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalValue } from '../../src/parsing/decimal.js';

/** decimalValue must be Number() of the literal, to the last bit, for every form the lexers delimit. */

const SEED = Number(process.env.FC_SEED ?? 9_090_2026);
const digits = (max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: max }).map((d) => d.join(''));

const literal = fc.oneof(
  digits(25),
  fc.tuple(digits(18), digits(18)).map(([a, b]) => `${a}.${b}`),
  fc.tuple(digits(3), fc.constantFrom('', '0', '00')).map(([a, z]) => `${z}${a}.`),
  digits(20).map((b) => `.${b}`),
  fc.tuple(digits(17), fc.option(digits(10)), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(3)).map(
    ([a, b, e, s, x]) => `${a}${b === null ? '' : `.${b}`}${e}${s}${x}`,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }).map(String).filter((s) => /^[0-9.eE+-]+$/.test(s)),
);

describe('decimalValue', () => {
  it('equals Number() on random literals', () => {
    fc.assert(
      fc.property(literal, fc.nat(4), (s, pad) => {
        // Inside longer text: only [start, end) is read.
        const text = `x`.repeat(pad) + s + ';';
        expect(Object.is(decimalValue(text, pad, pad + s.length), Number(s)), s).toBe(true);
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('equals Number() at the edges of the exact range', () => {
    for (const s of ['0', '000', '0.0', '1', '999999999999999', '9999999999999999', '9007199254740993', '1e22', '1e23', '1e-22', '1e-23',
      '123456789012345e22', '123456789012345e-22', '0.1', '0.3', '2.5E+1', '5e-324', '1e999', '1e-400', '1.7976931348623157e308', '4.9e-324', '1e00000000000000000001']) {
      expect(Object.is(decimalValue(s, 0, s.length), Number(s)), s).toBe(true);
    }
  });
});
