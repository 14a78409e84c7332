import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPropagateCommand } from '../../src/cli/commands/propagate.js';
import { loadCircuit, readParameters, resolveObservable } from '../../src/cli/common.js';
import { ResourceLimitError } from '../../src/ir/errors.js';
import { parseInitialState } from '../../src/ir/states.js';
import { expectation } from '../../src/simulators/statevector/index.js';

/** The `propagate` command as a library call (the lead's CLI tests spawn the binary). */
const example = join(import.meta.dirname, '../../examples/tfi-8.ncl');
const dir = mkdtempSync(join(tmpdir(), 'nc-propagate-'));
const paramsFile = join(dir, 'p.json');
writeFileSync(paramsFile, JSON.stringify({ zz: [0.1, 0.2, 0.3, 0.4], x: [0.5, 0.6, 0.7, 0.8] }));

describe('nearclifford propagate (library entry)', () => {
  it.each(['zero', 'plus', '01101001'])('without truncation equals the state vector (state %s)', (state) => {
    const r = runPropagateCommand(example, { params: paramsFile, minAbs: 0, state, observable: 'H' });
    const c = loadCircuit(example);
    const exact = expectation(c, readParameters(c, paramsFile), resolveObservable(c, 'H'), {
      initialState: parseInitialState(state, 8),
    });
    expect(r.value).toBeCloseTo(exact, 10);
    expect(r.dropped_weight).toBe(0);
    expect(r.qubits).toBe(8);
    expect(Number.isInteger(r.terms)).toBe(true);
  });

  it('reports truncation settings and the dropped weight, which bounds the error', () => {
    const c = loadCircuit(example);
    const exact = expectation(c, readParameters(c, paramsFile), resolveObservable(c, 'Z3'));
    const r = runPropagateCommand(example, { params: paramsFile, minAbs: 1e-3, maxWeight: 2, maxSins: 3, state: 'zero', observable: 'Z3' });
    expect(r.truncation).toEqual({ max_weight: 2, min_abs: 1e-3, max_sins: 3, max_freq: null, max_terms: null });
    expect(r.dropped_weight).toBeGreaterThan(0);
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(r.dropped_weight + 1e-12);
  });

  it('fails cleanly on a too small term budget', () => {
    expect(() => runPropagateCommand(example, { params: paramsFile, minAbs: 0, maxTerms: 20, state: 'zero', observable: 'Z3' })).toThrow(
      ResourceLimitError,
    );
  });
});
