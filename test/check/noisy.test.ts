import { describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { checkClaim } from '../../src/check/check.js';
import { parseClaim } from '../../src/check/claim.js';
import { buildReference } from '../../src/check/evaluators.js';
import { applyNoiseModel, parseNoiseModel } from '../../src/noise/model.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { densityExpectation } from '../../src/simulators/density/index.js';
import { expectation } from '../../src/simulators/statevector/index.js';
import { ZERO_STATE } from '../../src/ir/states.js';

/**
 * `check` on noisy circuits: the exact reference is the density matrix (the state vector would
 * ignore the channels and refute every correct noisy approximation), and a propagation claim —
 * the engine that applies channels — is checked against it.
 */

const base = buildAnsatz('mhea', { qubits: 3, layers: 1 });
const circuit = applyNoiseModel(base, parseNoiseModel({ after: { '1q': [['depolarize', 0.05]], '2q': [['depolarize2', 0.05]] } }, 'm.json'));
const observable = parseObservableText('Z0 Z1 + 0.5*X2', { numQubits: 3 });

describe('check on noisy circuits', () => {
  it('the exact reference is the density matrix', () => {
    const claim = parseClaim('propagate min-abs=1e-12 eps=1e-9 sigma=0.3');
    const ctx = { circuit, observable, center: new Float64Array(base.numParameters), initialState: ZERO_STATE };
    const built = buildReference(claim, ctx, { kind: 'auto' }, 1);
    expect(built.reference!.description).toMatch(/density-matrix/);
    const theta = Float64Array.from({ length: base.numParameters }, (_, k) => 0.1 * Math.cos(k));
    expect(built.reference!.evaluate(theta).value).toBe(densityExpectation(circuit, theta, observable));
    // The noise is large enough that ignoring it would refute any claim at this ε.
    expect(Math.abs(densityExpectation(circuit, theta, observable) - expectation(base, theta, observable))).toBeGreaterThan(1e-3);
  });

  it('holds a near-exact propagation claim and refutes a coarse one', () => {
    const fine = checkClaim(circuit, observable, parseClaim('propagate min-abs=1e-12 eps=1e-9 sigma=0.3'), { seed: 5, samples: 10, shrinkSeconds: 1 });
    expect(fine.reference).toMatch(/density-matrix/);
    expect(fine.status).toBe('held');
    const coarse = checkClaim(circuit, observable, parseClaim('propagate max-weight=1 eps=1e-4 sigma=0.6'), { seed: 5, samples: 10, shrinkSeconds: 1 });
    expect(coarse.status).toBe('refuted');
    const c = coarse.counterexample!;
    expect(c.reference).toBeCloseTo(densityExpectation(circuit, c.theta, observable), 12);
  });

  it('checks a Taylor claim on the noisy surrogate against the density matrix: held within its bound, refuted at too low an order', () => {
    const held = checkClaim(circuit, observable, parseClaim('order=6 eps=1e-4 sigma=0.02'), { seed: 7, samples: 10, shrinkSeconds: 1 });
    expect(held.reference).toMatch(/density-matrix/);
    expect(held.status).toBe('held');
    const low = checkClaim(circuit, observable, parseClaim('order=0 eps=1e-6 sigma=0.3'), { seed: 7, samples: 10, shrinkSeconds: 1 });
    expect(low.status).toBe('refuted');
    expect(low.counterexample!.reference).toBeCloseTo(densityExpectation(circuit, low.counterexample!.theta, observable), 12);
  });
});
