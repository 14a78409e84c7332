import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLimitError, memoryInUse, setMemoryLimit } from '../../src/memory/limit.js';
import { UserError } from '../../src/ir/errors.js';
import { parseCircuitText } from '../../src/parsing/circuit-source.js';

/**
 * The memory limit covers the compact IR's gate arrays (issue 13): a circuit whose arrays would
 * not fit is one MemoryLimitError naming the IR, asked before the arrays exist — for the DSL
 * (sized from the text) and for OpenQASM (sized from the elaborated gate list).
 */
afterEach(() => setMemoryLimit(undefined));

const flatDsl = (gates: number) => `qubits 4;\n${'h 0;\ncx 1 2;\n'.repeat(gates / 2)}`;
const flatQasm = (gates: number) => `OPENQASM 3.0;\nqubit[4] q;\n${'h q[0];\ncx q[1], q[2];\n'.repeat(gates / 2)}`;

describe('the memory limit covers the circuit IR', () => {
  it.each([
    ['DSL', 'big.ncl', flatDsl],
    ['OpenQASM 3', 'big.qasm', flatQasm],
  ] as const)('%s: a file whose IR does not fit is refused before its arrays exist', (_, name, make) => {
    const small = parseCircuitText(name, make(1000));
    expect(small.gates.length).toBe(1000);
    const text = make(2_000_000);
    // Room for what is in use now plus a few MB: the IR of 2 M gates needs tens of MB.
    setMemoryLimit(memoryInUse() + 8e6);
    let error: unknown;
    try {
      parseCircuitText(name, text);
    } catch (e) {
      error = e;
    }
    // The DSL throws the MemoryLimitError itself; OpenQASM positions it at the end of the program.
    expect(error).toBeInstanceOf(name.endsWith('.ncl') ? MemoryLimitError : UserError);
    expect((error as Error).message).toMatch(/memory limit of .* would be exceeded: circuit IR/);
  });
});
