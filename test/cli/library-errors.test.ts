import { describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { cliMessage } from '../../src/cli/flag-messages.js';
import { parseCenterSpec } from '../../src/clifford-point/center.js';
import { checkQubitLimit } from '../../src/simulators/statevector/limits.js';

/** Library errors name library options; the CLI prints its own flags in their place. */
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('library errors in library terms, CLI errors in flags', () => {
  it('ansatz sizes', () => {
    const m = messageOf(() => buildAnsatz('mhea', { qubits: 0, layers: 1 }));
    expect(m).toBe('`qubits` must be a positive integer, got 0');
    expect(cliMessage(m)).toBe('--qubits must be a positive integer, got 0');
  });

  it('center specs', () => {
    const m = messageOf(() => parseCenterSpec('random-x'));
    expect(m).not.toMatch(/--/);
    expect(cliMessage(m)).toBe("--center: write random-clifford or random-clifford:SEED (SEED a non-negative integer), got 'random-x'");
  });

  it('the simulator cap keeps its historical CLI wording', () => {
    const m = messageOf(() => checkQubitLimit(27));
    expect(m).toMatch(/\(option `maxQubits`\)$/);
    expect(cliMessage(m)).toMatch(/\(option maxQubits \/ --max-qubits\)$/);
  });

  it('leaves unknown backticked names and other text alone', () => {
    expect(cliMessage('declare the qubits first (e.g. `qubits 4;`), see `other`')).toBe('declare the qubits first (e.g. `qubits 4;`), see `other`');
  });
});
