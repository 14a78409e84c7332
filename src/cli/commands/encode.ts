import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseParameterRef } from '../../clifford-point/resolve-center.js';
import { encodeLce, LCE_VARIANTS, type LceVariant } from '../../encoder/lce.js';
import { crossCheckEncoding } from '../../encoder/cross-check.js';
import { unitarySkeleton, withEncoderGates } from '../../encoder/noisy.js';
import { UsageError } from '../../ir/errors.js';
import { unbindParameters } from '../../ir/parameters.js';
import { parseInitialState } from '../../ir/states.js';
import type { Circuit, Observable } from '../../ir/types.js';
import { formatObservable } from '../../pauli/observable-text.js';
import { circuitToDsl } from '../../printing/dsl.js';
import { circuitToQasm3 } from '../../printing/qasm.js';
import { intOption, loadCircuit, printJson, readCenter, resolveObservable } from '../common.js';

interface EncodeOptions {
  observable?: string;
  target: string;
  center: string;
  term?: number;
  variant: string;
  state: string;
  out: string;
  dense?: boolean;
  json?: boolean;
}

export function registerEncodeCommand(program: Command): void {
  program
    .command('encode')
    .description(
      'Linear Clifford Encoder: add Clifford gates before and after the circuit so\n' +
        'that, at the Clifford center θ*, the chosen parameter has ∂C = ±1 and C = 0\n' +
        '(docs/science.md §4). For a Pauli sum the encoding is built on one term; if the\n' +
        'other terms cancel the full observable\'s derivative to 0, further terms (by\n' +
        'decreasing |coefficient|) and targets (in auto order) are tried, and the command\n' +
        'fails (exit 1) naming the cancellation when none survives. The invariants are\n' +
        'verified by exact Clifford evaluation before the file is written.\n' +
        'Variants (all: ∂_k C_term(θ*) = ±1, C_term(θ*) = 0, components in {-1, 0, 1}):\n' +
        '  paper    the authors\' construction, gate for gate: suffix W_a⁻¹ + a local\n' +
        '           fix-up (H/S on the rotation\'s qubit, or one CX); prefix H on X,\n' +
        '           H·S on Y. Keeps the observable\'s weight: the paper\'s scaling.\n' +
        '  reduced  suffix W_a⁻¹ + a fold of the observable to ONE letter: a local\n' +
        '           effective observable, which removes barren plateaus the paper still\n' +
        '           has on shallow circuits.\n' +
        '  compact  no W_a⁻¹, at most 2 suffix gates; the pulled-back observable.\n' +
        '--target auto: the parametrized rotation nearest the measurement whose\n' +
        'parameter drives only that gate with slope ±1 (always encodable; shortest\n' +
        'skeleton to invert); with --variant compact, preferably one the pulled-back\n' +
        'observable already anticommutes with (no suffix needed).',
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3)')
    .option('-o, --observable <obs>', 'observable name from the file, or a Pauli sum such as "Z0 Z1" (default: first in file)')
    .option('--target <k>', 'parameter to encode: auto, a name (a, theta[3]) or a flat index', 'auto')
    .option('--center <c>', 'Clifford center θ*: zero, random-clifford[:seed], or a params JSON file', 'zero')
    .option('--term <i>', 'observable term to encode (0-based; default: largest |coefficient|)', intOption('--term', 0))
    .option('--variant <v>', 'paper (the authors\' construction), reduced (observable folded to one letter) or compact (≤ 2 suffix gates)', 'paper')
    .option('--state <state>', 'initial state: zero, plus, or a bitstring (leftmost = qubit 0)', 'zero')
    .requiredOption('--out <file>', 'output circuit: OUT.ncl (DSL) or OUT.qasm (OpenQASM 3)')
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .option('--json', 'print JSON: {"target", "target_name", "sign", "term", "gates_added", …}')
    .action((file: string, opts: EncodeOptions) => {
      if (!(LCE_VARIANTS as readonly string[]).includes(opts.variant)) {
        throw new UsageError(`--variant must be paper, reduced or compact, got '${opts.variant}'`);
      }
      const format = /\.qasm$/i.test(opts.out) ? 'qasm' : /\.ncl$/i.test(opts.out) ? 'ncl' : null;
      if (!format) throw new UsageError(`--out '${opts.out}': the file name must end in .ncl or .qasm`);
      const circuit = loadCircuit(file);
      const observable = resolveObservable(circuit, opts.observable, opts.dense);
      const center = readCenter(circuit, opts.center);
      const initialState = parseInitialState(opts.state, circuit.numQubits);
      const target = opts.target === 'auto' ? 'auto' : parseParameterRef(circuit, opts.target);
      // A noisy circuit is encoded on its unitary skeleton; its channels stay where they are and the
      // encoder's gates are noiseless (as `gradients --lce` does: src/gradients/sweep.ts).
      const skeleton = unitarySkeleton(circuit);
      const noisy = skeleton !== circuit;
      const result = encodeLce(skeleton, observable, {
        target,
        center,
        ...(opts.term !== undefined ? { term: opts.term } : {}),
        variant: opts.variant as LceVariant,
        initialState,
      });
      const check = crossCheckEncoding(result, observable, initialState);
      const output = withObservable(withEncoderGates(circuit, result), observable);
      const channels = circuit.gates.length - skeleton.gates.length;
      writeFileSync(opts.out, format === 'qasm' ? circuitToQasm3(output) : circuitToDsl(output));
      const centerIsZero = center.every((v) => v === 0);
      if (opts.json) {
        printJson({
          target: result.target,
          target_name: result.targetName,
          anchor_gate: result.anchorGate,
          sign: result.sign,
          term: result.term,
          term_pauli: result.termText,
          variant: result.variant,
          gates_added: result.prefix.length + result.suffix.length,
          prefix_gates: result.prefix.length,
          suffix_gates: result.suffix.length,
          center: unbindParameters(circuit.parameters, center),
          term_value: result.verification.value,
          term_derivative: result.verification.targetDerivative,
          observable_value: check.observableValue,
          observable_derivative: check.observableDerivative,
          non_unit_components: result.verification.nonUnitComponents,
          cancelled: result.cancelled.map((c) => ({ term: c.term, term_pauli: c.termText, target: c.target, target_name: c.targetName })),
          verified_by: check.methods,
          ...(noisy ? { noise_channels: channels, verified_on: 'the noiseless skeleton (channels damp the ±1 derivative)' } : {}),
          out: opts.out,
        });
        return;
      }
      const lines = [
        `target      ${result.targetName} (gate ${result.anchorGate + 1} of the input)`,
        `term        ${result.term}: ${result.termText}`,
        `sign        ∂C/∂${result.targetName}(θ*) = ${result.sign > 0 ? '+1' : '-1'} for the term, C(θ*) = 0`,
        `gates added ${result.prefix.length + result.suffix.length} (prefix ${result.prefix.length}, suffix ${result.suffix.length}; variant ${result.variant})`,
        `center      ${centerIsZero ? 'zero' : JSON.stringify(unbindParameters(circuit.parameters, center))}`,
        `verified    ${check.methods.join(', ')}`,
      ];
      if (observable.terms.length > 1) {
        lines.push(`observable  ${truncate(formatObservable(observable), 80)}: C(θ*) = ${check.observableValue}, ∂C/∂${result.targetName} = ${check.observableDerivative}`);
      }
      if (result.cancelled.length > 0) {
        lines.push(`fallback    ${result.cancelled.length} earlier term/target pair(s) cancelled for the full observable: ` +
          truncate(result.cancelled.map((c) => `term ${c.term} on ${c.targetName}`).join(', '), 80));
      }
      if (result.verification.nonUnitComponents.length > 0) {
        lines.push(`note        ${result.verification.nonUnitComponents.length} shared parameter(s) have gradient components outside {-1, 0, 1}`);
      }
      if (noisy) {
        lines.push(`noise       ${channels} channel(s) kept in place, encoder gates noiseless; the ±1 derivative holds for the noiseless skeleton (verified there) and is damped by the channels`);
      }
      lines.push(`wrote       ${opts.out}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}

/** The output keeps the file's observables and adds the one used when it came from the command line. */
function withObservable(circuit: Circuit, observable: Observable): Circuit {
  if (circuit.observables.includes(observable)) return circuit;
  let name = 'O';
  for (let i = 2; circuit.observables.some((o) => o.name === name); i++) name = `O${i}`;
  return { ...circuit, observables: [...circuit.observables, { name, terms: observable.terms }] };
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
