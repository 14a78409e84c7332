import type { Command } from 'commander';
import { UserError } from '../../ir/errors.js';
import { unbindParameters } from '../../ir/parameters.js';
import { parseInitialState } from '../../ir/states.js';
import { formatObservable } from '../../pauli/observable-text.js';
import { DEFAULT_MAX_QUBITS, expectation, expectationAndGradient } from '../../simulators/statevector/index.js';
import { cliffordExpectation, isCliffordPoint } from '../../clifford-point/heisenberg.js';
import { createProgress, intOption, loadCircuit, PARAMS_HELP, printJson, readParameters, resolveObservable } from '../common.js';
import { hasNoise } from '../../ir/circuit.js';
import { gateCount } from '../../ir/compact.js';
import { formatBytes } from '../../memory/limit.js';
import { DEFAULT_DENSITY_MAX_QUBITS, DensityMatrix, densityExpectation, densityExpectationAndGradient } from '../../simulators/density/index.js';

interface SimulateOptions {
  observable?: string;
  params?: string;
  gradient?: boolean;
  json?: boolean;
  state: string;
  maxQubits: number;
  maxDensityQubits: number;
  dense?: boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Exact expectation value (and adjoint gradient) by state-vector simulation. Circuits that are\n' +
        'Clifford at the given point and too large for a state vector are evaluated exactly by\n' +
        'Clifford propagation instead. Circuits with noise channels run on the exact density-matrix\n' +
        'simulator (gradients by an adjoint pass through the channels).',
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3); - reads standard input')
    .option('-o, --observable <obs>', 'observable name from the file, a Pauli sum such as "0.5*Z0 Z1 - X3", or @file.json (Qiskit SparsePauliOp list) (default: first in file)')
    .option('-p, --params <p>', PARAMS_HELP)
    .option('-g, --gradient', 'also compute the gradient of every parameter (adjoint method)')
    .option('--state <state>', 'initial state: zero, plus, or a bitstring (leftmost = qubit 0)', 'zero')
    .option('--max-qubits <n>', 'largest state vector to allocate', intOption('--max-qubits', 1), DEFAULT_MAX_QUBITS)
    .option('--max-density-qubits <n>', 'largest density matrix to allocate (noisy circuits; 16·4^n bytes)', intOption('--max-density-qubits', 1), DEFAULT_DENSITY_MAX_QUBITS)
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .option('--json', 'print JSON: {"value", "qubits", "parameters", "engine", "gradient"?}')
    .action((file: string, opts: SimulateOptions) => {
      const circuit = loadCircuit(file);
      const observable = resolveObservable(circuit, opts.observable, opts.dense);
      const params = readParameters(circuit, opts.params);
      const initialState = parseInitialState(opts.state, circuit.numQubits);
      const simOpts = { initialState, maxQubits: opts.maxQubits };
      let value: number;
      let gradient: Float64Array | undefined;
      let engine: 'statevector' | 'clifford' | 'density-matrix' = 'statevector';
      const tooLarge = circuit.numQubits > opts.maxQubits;
      if (hasNoise(circuit)) {
        engine = 'density-matrix';
        const dmOpts = { initialState, maxQubits: opts.maxDensityQubits };
        if (circuit.numQubits > opts.maxDensityQubits) {
          throw new UserError(
            `the circuit has noise channels and ${circuit.numQubits} qubits exceed the density-matrix limit ` +
              `(--max-density-qubits ${opts.maxDensityQubits}); use \`nearclifford propagate\` (Pauli propagation applies channels)`,
          );
        }
        const progress = createProgress('simulate');
        const bytes = DensityMatrix.bytesFor(circuit.numQubits);
        const dm = { ...dmOpts, onProgress: (done: number, total: number) => progress.update(`operation ${done} of ${total}, ${formatBytes(bytes)} per density matrix`, done / total) };
        try {
          if (opts.gradient) ({ value, gradient } = densityExpectationAndGradient(circuit, params, observable, dm));
          else value = densityExpectation(circuit, params, observable, dm);
        } finally {
          progress.done();
        }
      } else if (tooLarge && !isCliffordPoint(circuit, params)) {
        throw new UserError(
          `${circuit.numQubits} qubits exceed the state-vector limit (--max-qubits ${opts.maxQubits}) and the circuit ` +
            'is not Clifford at this point: use `nearclifford propagate` (Pauli propagation with truncations) ' +
            'or `nearclifford surrogate` near a Clifford point',
        );
      } else if (tooLarge) {
        if (opts.gradient) {
          throw new UserError(
            `--gradient needs a state vector, and ${circuit.numQubits} qubits exceed --max-qubits ${opts.maxQubits}; ` +
              'use `nearclifford surrogate` for derivatives of large circuits',
          );
        }
        engine = 'clifford';
        const progress = createProgress('simulate');
        try {
          value = cliffordExpectation(circuit, params, observable, initialState, (done, total) => progress.update(`Clifford operation ${done} of ${total}`, done / total));
        } finally {
          progress.done();
        }
      } else {
        // Progress on stderr (a terminal, or --progress) with the live size; also where --time-limit stops the run.
        const progress = createProgress('simulate');
        const bytes = (opts.gradient ? 2 : 1) * 16 * 2 ** circuit.numQubits;
        const sv = { ...simOpts, onProgress: (done: number, total: number) => progress.update(`gate ${done} of ${total}, ${formatBytes(bytes)} of state vectors`, done / total) };
        try {
          if (opts.gradient) ({ value, gradient } = expectationAndGradient(circuit, params, observable, sv));
          else value = expectation(circuit, params, observable, sv);
        } finally {
          progress.done();
        }
      }
      const grad = gradient ? unbindParameters(circuit.parameters, gradient) : undefined;
      if (opts.json) {
        printJson({
          value,
          qubits: circuit.numQubits,
          parameters: circuit.numParameters,
          engine,
          ...(grad ? { gradient: grad } : {}),
        });
        return;
      }
      const lines = [
        `observable  ${observable.name}: ${truncate(formatObservable(observable), 100)}`,
        `qubits      ${circuit.numQubits}    parameters ${circuit.numParameters}    gates ${gateCount(circuit)}    engine ${engine}`,
        `value       ${value}`,
      ];
      if (grad) {
        lines.push('gradient');
        for (const [name, v] of Object.entries(grad)) {
          lines.push(`  ${name} = ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`);
        }
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
