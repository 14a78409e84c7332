import { Argument, Option, type Command } from 'commander';
import { ANSATZ_FAMILIES, buildAnsatz, type AnsatzFamily } from '../../ansatz/families.js';
import { TOPOLOGIES, type TopologyName } from '../../ansatz/topology.js';
import { circuitToDsl } from '../../printing/dsl.js';
import { circuitToQasm3 } from '../../printing/qasm.js';
import { intOption, numberOption } from '../common.js';

interface AnsatzCliOptions {
  qubits: number;
  layers: number;
  seed: number;
  angle?: number;
  format: 'ncl' | 'qasm';
  open?: boolean;
  topology?: TopologyName;
}

export function registerAnsatzCommand(program: Command): void {
  program
    .command('ansatz')
    .description(
      'Print a circuit family of the paper (REFERENCE §4) with parameter vector theta:\n' +
        '  mhea  L × [ry, rz layers; circular CX] + final [ry, rz]      D = 2N(L+1)\n' +
        '  fhea  L × [rx, ry, rz layers; full CX] + final [rx, ry, rz]   D = 3N(L+1)\n' +
        '  rpqc  L × [random rx/ry/rz; random H, S; N random CX]      D = N·L (seeded)\n' +
        '  tfi   TFI Trotter circuit on the brick topology (rzz, (rx, rzz)×(L−1), rx)\n' +
        '  hea   hardware-efficient L × [rx, rz, rx per qubit; ryy on the brick topology]\n' +
        '  kicked-ising  L × [rx per qubit; rzz(−π/2) on every coupling]  D = N·L\n' +
        '  (tfi, hea, kicked-ising: --topology brick | staircase | eagle, the 127-qubit IBM heavy-hex map)',
    )
    .addArgument(new Argument('<family>', ANSATZ_FAMILIES.join(' | ')).choices(ANSATZ_FAMILIES))
    .requiredOption('-n, --qubits <N>', 'number of qubits', intOption('--qubits', 1))
    .requiredOption('-l, --layers <L>', 'number of layers (depth for rpqc)', intOption('--layers', 1))
    .option('--seed <s>', 'seed for rpqc', intOption('--seed'), 0)
    .option('--angle <x>', 'tfi/hea/kicked-ising: give every rotation this fixed angle instead of a parameter', numberOption('--angle'))
    .option('--open', 'tfi/hea/kicked-ising: open instead of periodic brick or staircase topology')
    .addOption(new Option('--topology <name>', 'tfi/hea/kicked-ising: coupling map of the two-qubit layers (default brick)').choices(TOPOLOGIES))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['ncl', 'qasm']).default('ncl'))
    .action((family: AnsatzFamily, opts: AnsatzCliOptions) => {
      const circuit = buildAnsatz(family, {
        qubits: opts.qubits,
        layers: opts.layers,
        seed: opts.seed,
        angle: opts.angle,
        periodic: !opts.open,
        topology: opts.topology,
      });
      process.stdout.write(opts.format === 'qasm' ? circuitToQasm3(circuit) : circuitToDsl(circuit));
    });
}
