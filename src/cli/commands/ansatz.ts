import { Argument, Option, type Command } from 'commander';
import { ANSATZ_FAMILIES, buildAnsatz, type AnsatzFamily } from '../../ansatz/families.js';
import { buildEfficientSu2, ENTANGLEMENTS, type Entanglement } from '../../ansatz/efficient-su2.js';
import { STANDARD_OBSERVABLES, standardObservable } from '../../ansatz/observables.js';
import { UserError } from '../../ir/errors.js';
import type { Circuit } from '../../ir/types.js';
import { TOPOLOGIES, type TopologyName } from '../../ansatz/topology.js';
import { circuitToDsl } from '../../printing/dsl.js';
import { circuitToQasm3 } from '../../printing/qasm.js';
import { intOption, numberOption } from '../common.js';

interface AnsatzCliOptions {
  qubits: number;
  layers?: number;
  seed: number;
  angle?: number;
  format: 'ncl' | 'qasm';
  open?: boolean;
  reps: number;
  su2Gates: string;
  entanglement: Entanglement;
  skipFinalRotationLayer?: boolean;
  observable?: string;
  topology?: TopologyName;
}

export function registerAnsatzCommand(program: Command): void {
  program
    .command('ansatz')
    .description(
      'Print a circuit family of the paper (docs/science.md §6) with parameter vector theta:\n' +
        '  mhea  L × [ry, rz layers; circular CX] + final [ry, rz]      D = 2N(L+1)\n' +
        '  fhea  L × [rx, ry, rz layers; full CX] + final [rx, ry, rz]   D = 3N(L+1)\n' +
        '  rpqc  L × [random rx/ry/rz; random H, S; N random CX]      D = N·L (seeded)\n' +
        '  tfi   TFI Trotter circuit on the brick topology (rzz, (rx, rzz)×(L−1), rx)\n' +
        '  hea   hardware-efficient L × [rx, rz, rx per qubit; ryy on the brick topology]\n' +
        '  kicked-ising  L × [rx per qubit; rzz(−π/2) on every coupling]  D = N·L\n' +
        '  (tfi, hea, kicked-ising: --topology brick | staircase | eagle, the 127-qubit IBM heavy-hex map)\n' +
        "  efficientsu2  Qiskit's EfficientSU2, gate and parameter order exactly as Qiskit's (vector θ):\n" +
        '        --reps R × [--su2-gates layers; CX by --entanglement] + final rotation layer',
    )
    .addArgument(new Argument('<family>', [...ANSATZ_FAMILIES, 'efficientsu2'].join(' | ')).choices([...ANSATZ_FAMILIES, 'efficientsu2']))
    .requiredOption('-n, --qubits <N>', 'number of qubits', intOption('--qubits', 1))
    .option('-l, --layers <L>', 'number of layers (depth for rpqc); required except for efficientsu2', intOption('--layers', 1))
    .option('--reps <R>', 'efficientsu2: repetitions of [rotation layer; entanglement layer]', intOption('--reps', 0), 3)
    .option('--su2-gates <list>', 'efficientsu2: comma-separated one-qubit gates of a rotation layer (rx, ry, rz, p, or Cliffords)', 'ry,rz')
    .addOption(new Option('--entanglement <e>', 'efficientsu2: CX pattern').choices([...ENTANGLEMENTS]).default('reverse_linear'))
    .option('--skip-final-rotation-layer', 'efficientsu2: no rotation layer after the last entanglement layer')
    .addOption(new Option('--observable <name>', 'append a standard observable: sumz (Σ Z_i), zz (Σ Z_i Z_i+1), heisenberg, tfim (−Σ ZZ − Σ X)').choices([...STANDARD_OBSERVABLES]))
    .option('--seed <s>', 'seed for rpqc', intOption('--seed'), 0)
    .option('--angle <x>', 'tfi/hea/kicked-ising: give every rotation this fixed angle instead of a parameter', numberOption('--angle'))
    .option('--open', 'tfi/hea/kicked-ising: open instead of periodic brick or staircase topology')
    .addOption(new Option('--topology <name>', 'tfi/hea/kicked-ising: coupling map of the two-qubit layers (default brick)').choices(TOPOLOGIES))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['ncl', 'qasm']).default('ncl'))
    .action((family: AnsatzFamily | 'efficientsu2', opts: AnsatzCliOptions) => {
      let circuit: Circuit;
      if (family === 'efficientsu2') {
        if (opts.layers !== undefined) throw new UserError('efficientsu2 takes --reps R (Qiskit\'s name), not --layers');
        circuit = buildEfficientSu2({
          qubits: opts.qubits,
          reps: opts.reps,
          su2Gates: opts.su2Gates.split(',').map((g) => g.trim()).filter((g) => g !== ''),
          entanglement: opts.entanglement,
          skipFinalRotationLayer: opts.skipFinalRotationLayer,
        });
      } else {
        if (opts.layers === undefined) throw new UserError(`ansatz ${family} needs --layers L`);
        circuit = buildAnsatz(family, {
          qubits: opts.qubits,
          layers: opts.layers,
          seed: opts.seed,
          angle: opts.angle,
          periodic: !opts.open,
          topology: opts.topology,
        });
      }
      if (opts.observable) circuit = { ...circuit, observables: [...circuit.observables, standardObservable(opts.observable, circuit.numQubits)] };
      process.stdout.write(opts.format === 'qasm' ? circuitToQasm3(circuit) : circuitToDsl(circuit));
    });
}
