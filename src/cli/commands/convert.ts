import { Option, type Command } from 'commander';
import { circuitToDsl } from '../../printing/dsl.js';
import { circuitToQasm3 } from '../../printing/qasm.js';
import { circuitToQasm2 } from '../../printing/qasm2.js';
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
      if (opts.to === 'qasm2') {
        const params = opts.params === undefined && circuit.numParameters > 0 ? undefined : readParameters(circuit, opts.params);
        process.stdout.write(circuitToQasm2(circuit, params));
        return;
      }
      process.stdout.write(opts.to === 'ncl' ? circuitToDsl(circuit) : circuitToQasm3(circuit));
    });
}
