import { Option, type Command } from 'commander';
import { circuitToDsl } from '../../printing/dsl.js';
import { circuitToQasm3 } from '../../printing/qasm.js';
import { ensureFits } from '../../memory/limit.js';
import { loadCircuit } from '../common.js';

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('Convert a circuit between the DSL and OpenQASM 3 (exact: gates, angles, parameters, observables as comments in QASM).')
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3)')
    .addOption(new Option('-t, --to <format>', 'target format').choices(['qasm', 'ncl']).makeOptionMandatory())
    .action((file: string, opts: { to: 'qasm' | 'ncl' }) => {
      const circuit = loadCircuit(file);
      // The text is built whole (lines, then one joined string): about 3× its length at the peak.
      const textBytes = circuit.numParameters * 40 + circuit.gates.length * 48 + 4096;
      ensureFits(3 * textBytes, `the ${opts.to === 'qasm' ? 'OpenQASM' : 'DSL'} text of ${circuit.numParameters} parameters and ${circuit.gates.length} gates`);
      process.stdout.write(opts.to === 'qasm' ? circuitToQasm3(circuit) : circuitToDsl(circuit));
    });
}
