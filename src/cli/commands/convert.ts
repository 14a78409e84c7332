import { Option, type Command } from 'commander';
import { circuitToDsl } from '../../printing/dsl.js';
import { circuitToQasm3 } from '../../printing/qasm.js';
import { circuitToQasm2 } from '../../printing/qasm2.js';
import { ensureFits } from '../../memory/limit.js';
import { loadCircuit, PARAMS_HELP, readParameters } from '../common.js';

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description(
      'Convert a circuit between the DSL, OpenQASM 3 and OpenQASM 2 (exact: gates, angles, parameters; observables as comments in QASM).\n' +
        'OpenQASM 2 (qelib1.inc) has no free parameters: a parametrized circuit needs --params, and its angles are written as numbers.',
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3); - reads standard input')
    .addOption(new Option('-t, --to <format>', 'target format').choices(['qasm', 'qasm3', 'qasm2', 'ncl']).makeOptionMandatory())
    .option('-p, --params <p>', `qasm2 only: ${PARAMS_HELP}`)
    .action((file: string, opts: { to: 'qasm' | 'qasm3' | 'qasm2' | 'ncl'; params?: string }) => {
      const circuit = loadCircuit(file);
      // The text is built whole (lines, then one joined string): about 3× its length at the peak.
      const textBytes = circuit.numParameters * 40 + circuit.gates.length * 48 + 4096;
      const format = opts.to === 'qasm' ? 'OpenQASM 3' : opts.to === 'qasm2' ? 'OpenQASM 2' : 'DSL';
      ensureFits(3 * textBytes, `the ${format} text of ${circuit.numParameters} parameters and ${circuit.gates.length} gates`);
      if (opts.to === 'qasm2') {
        const params = opts.params === undefined && circuit.numParameters > 0 ? undefined : readParameters(circuit, opts.params);
        process.stdout.write(circuitToQasm2(circuit, params));
        return;
      }
      process.stdout.write(opts.to === 'ncl' ? circuitToDsl(circuit) : circuitToQasm3(circuit));
    });
}
