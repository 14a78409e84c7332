import { afterEach, describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { checkClaim } from '../../src/check/check.js';
import { parseClaim } from '../../src/check/claim.js';
import { setMemoryLimit } from '../../src/memory/limit.js';
import { setTimeLimit } from '../../src/memory/time.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';

/** `check` within the memory and time limits: undecided with the reason, never a crash or a false verdict. */
const circuit = buildAnsatz('mhea', { qubits: 4, layers: 1 });
const observable = parseObservableText('Z0 Z1 + 0.5*X2', { numQubits: 4 });
const quick = { seed: 5, samples: 10, shrinkSeconds: 1 };

afterEach(() => {
  setMemoryLimit(undefined);
  setTimeLimit(undefined);
});

describe('check within the limits', () => {
  it('a reference that cannot be built gives undecided with the reason', () => {
    const r = checkClaim(circuit, observable, parseClaim('order=2 eps=1e-6 radius=0.05'), { ...quick, reference: { kind: 'taylor', order: 300 } });
    expect(r.status).toBe('undecided');
    expect(r.pointsEvaluated).toBe(0);
    expect(r.reason).toMatch(/^no reference fits the limits \(Taylor reference of order 300: .*order 300 \(> 255\)/);
  });

  it('when the exact state vector does not fit the memory limit, auto falls back to another reference and still decides', () => {
    // 24 qubits: the exact reference needs a 268 MB state vector; 200 MB of headroom holds every
    // surrogate and propagation table this shallow circuit needs, but not that.
    const wide = buildAnsatz('mhea', { qubits: 24, layers: 1 });
    const obs = parseObservableText('Z0 Z1 + 0.5*X2', { numQubits: 24 });
    setMemoryLimit(process.memoryUsage.rss() + 200e6);
    const refuted = checkClaim(wide, obs, parseClaim('order=1 eps=1e-8 radius=0.2'), quick);
    setMemoryLimit(undefined);
    // The Taylor reference may not fit either, then per-point propagation stands in (with a warning).
    expect(refuted.reference).toMatch(/^(Taylor surrogate of order|Pauli propagation)/);
    if (/^Pauli/.test(refuted.reference)) expect(refuted.warnings.join('\n')).toMatch(/no Taylor reference fits the limits/);
    expect(refuted.status).toBe('refuted');
  });

  it('the time limit stops sampling: undecided with the probes done, unless a point refuted', () => {
    setTimeLimit(1e-6);
    const r = checkClaim(circuit, observable, parseClaim('order=12 eps=1e-6 l1=1'), quick);
    expect(r.status).toBe('undecided');
    expect(r.reason).toMatch(/the time limit stopped sampling after 0 of 10 probes|could not be built within the limits: time limit/);
  });
});
