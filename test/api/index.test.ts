import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('public API (src/index.ts)', () => {
  it('uses named exports only', () => {
    const text = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8');
    expect(text).not.toMatch(/export\s*\*/);
  });

  it('does not export internals', () => {
    for (const name of ['popcount32', 'hashWords', 'nextPow2', 'setLetterCode', 'STEP_FIXED', 'STEP_SYMBOLIC', 'timesIG', 'PLOT_CONFIG', 'parity32', 'CircuitAssembler', 'rotateAtQuarterTurns']) {
      expect(api, name).not.toHaveProperty(name);
    }
  });

  it('exports the main entry points of each stage', () => {
    for (const name of [
      'CircuitBuilder', 'parseDsl', 'parseQasm', 'circuitToDsl', 'circuitToQasm3', 'buildAnsatz', 'expectationAndGradient',
      'cliffordExpectation', 'propagate', 'buildTaylorSurrogate', 'buildPathSurrogate', 'surrogateFromJSON', 'encodeLce',
      'checkClaim', 'estimateCost', 'sampleGradients', 'UserError', 'CLIFFORD_GATES',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });
});
