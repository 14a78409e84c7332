import { afterEach, describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { memoryLimit, setMemoryLimit, termBudget } from '../../src/memory/limit.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { storeBytesPerEntry } from '../../src/propagation/core.js';
import { defaultMaxTerms, prepareBuild, surrogateBytesPerTerm } from '../../src/surrogate/taylor-build.js';
import { CLI, cliBuilt, runCli } from '../cli/run-cli.js';

afterEach(() => setMemoryLimit(undefined));

/** The largest power of two p with 1.5·p·bytes ≤ limit, by counting up (independent of termBudget). */
function largestFitting(bytes: number, limit: number): number {
  let p = 1;
  while (1.5 * (2 * p) * bytes <= limit) p *= 2;
  return Math.min(2 ** 30, Math.max(2 ** 16, p));
}

describe('term budgets derived from the memory limit', () => {
  it('termBudget is the largest power of two of terms that fits with the growth copy', () => {
    for (const [bytes, limit] of [[90, 1e9], [90, 4e9], [46, 12e9], [300, 2.5e8], [44, 1e6], [8, 1e15]] as const) {
      expect(termBudget(bytes, limit)).toBe(largestFitting(bytes, limit));
    }
  });

  it('a surrogate build without --max-terms gets the budget of the limit in force and the store it uses', () => {
    const circuit = buildAnsatz('mhea', { qubits: 4, layers: 2, seed: 0 });
    const wide = buildAnsatz('tfi', { qubits: 40, layers: 1, seed: 0 });
    const z0 = parseObservableText('Z0');
    // Per term: TermStore arrays + index (28), string-entry arrays (18), the string in the store.
    expect(surrogateBytesPerTerm(4)).toBe(46 + storeBytesPerEntry(4));
    expect(surrogateBytesPerTerm(40)).toBeGreaterThan(surrogateBytesPerTerm(4));
    for (const limit of [1e9, 4e9]) {
      setMemoryLimit(limit);
      expect(prepareBuild(circuit, z0, {}).maxTerms).toBe(largestFitting(surrogateBytesPerTerm(4), limit));
      expect(prepareBuild(wide, z0, {}).maxTerms).toBe(largestFitting(surrogateBytesPerTerm(40), limit));
      expect(prepareBuild(circuit, z0, { maxTerms: 1000 }).maxTerms).toBe(1000);
    }
    expect(defaultMaxTerms()).toBe(largestFitting(surrogateBytesPerTerm(32), memoryLimit()));
  });

  it.skipIf(!cliBuilt)(`--help of surrogate, check and cost shows the derived default (${CLI})`, () => {
    for (const [env, limit] of [['1G', 1e9], ['4G', 4e9]] as const) {
      process.env.NEARCLIFFORD_MAX_MEMORY = env;
      try {
        const expected = largestFitting(surrogateBytesPerTerm(32), limit);
        for (const cmd of ['surrogate', 'check', 'cost']) {
          const r = runCli([cmd, '--help']);
          expect(r.status).toBe(0);
          expect(r.stdout.replace(/\s+/g, ' ')).toContain(`derived from the memory limit: ${expected} for ≤ 32 qubits under ${env === '1G' ? '1.00' : '4.00'} GB`);
        }
      } finally {
        delete process.env.NEARCLIFFORD_MAX_MEMORY;
      }
    }
  });
});
