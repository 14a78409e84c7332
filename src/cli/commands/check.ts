import type { Command } from 'commander';
import { basename } from 'node:path';
import { checkClaim, mergePhaseOne, sampleProbes, type PhaseOneResult } from '../../check/check.js';
import { CHECK_BATCH_KIND, phaseOneOf, type CheckBatchPayload, type CheckBatchRecord } from '../../parallel/check-task.js';
import { defaultWorkers } from '../../parallel/pool.js';
import { addQueueOption, executorFor } from '../parallel-options.js';
import { TaskFailedError } from '../../tasks/executor.js';
import { parseClaim } from '../../check/claim.js';
import { EXACT_REFERENCE_MAX_QUBITS, parseReferenceSpec } from '../../check/evaluators.js';
import { checkToJSON, formatCheckText } from '../../check/report.js';
import { ResourceLimitError, UsageError, UserError } from '../../ir/errors.js';
import { timeLimitReached } from '../../memory/time.js';
import { cliMessage } from '../flag-messages.js';
import { parseInitialState } from '../../ir/states.js';
import { defaultMaxTerms } from '../../surrogate/taylor-build.js';
import {
  createProgress, printWarnings, intOption, loadCircuit, noiseModelSetting, numberOption, printJson, readCenter, readTextFile, resolveObservable,
} from '../common.js';
import { maxTermsHelp } from '../max-terms-help.js';

interface CheckCliOptions {
  workers?: number;
  queue?: string;
  observable?: string;
  claim: string;
  samples: number;
  seed?: number;
  path?: string;
  subRegionPoints: number;
  shrinkSeconds: number;
  center?: string;
  state: string;
  reference: string;
  maxQubits: number;
  maxTerms?: number;
  dense?: boolean;
  json?: boolean;
  noise?: string;
}

const QUEUE_BATCHES = 16;

/** Exit codes of `check`: 1 is reserved for "refuted", so usage errors are 2. */
export const CHECK_EXIT = { held: 0, refuted: 1, usage: 2, undecided: 3 } as const;

function shellQuote(s: string): string {
  return /^[\w./:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function registerCheckCommand(program: Command): void {
  const check = program
    .command('check')
    .description(
      'Property-test a simulability claim on your circuit with fast-check: sample\n' +
        'points (and small sub-regions) of the region, compare the claimed approximation\n' +
        'with the exact simulator (≤ 24 qubits) or a far more accurate reference, report\n' +
        'the worst error, a counterexample shrunk toward the center, and the seed.\n' +
        'Claims:\n' +
        '  "order=8 eps=1e-6 sigma=1/D"               Taylor surrogate of order m\n' +
        '  "paths max-sins=6 eps=1e-4 radius=0.05"    Pauli-path surrogate\n' +
        '  "propagate max-weight=4 min-abs=1e-8 eps=1e-3 sigma=0.1"\n' +
        '                                             numeric propagation\n' +
        'Regions: sigma=S [tail=p] (tested where ‖Aδ‖₁ ≤ its 1−p quantile and\n' +
        '|δ_k| ≤ S·Φ⁻¹(1−p/2D)), radius=r, l1=t; S, r, t may be written in D.\n' +
        'Exit status: 0 held on every sample, 1 refuted, 2 usage error,\n' +
        '3 undecided (the reference is too coarse somewhere, or a probe batch failed 3 times on a worker).',
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3)')
    .requiredOption('--claim <claim>', 'the claim, e.g. "order=8 eps=1e-6 sigma=1/D"')
    .option('-o, --observable <obs>', 'observable name from the file, or a Pauli sum such as "0.5*Z0 Z1 - X3" (default: first in file)')
    .option('-n, --samples <n>', 'number of sampled probes', intOption('--samples', 1), 100)
    .option('--seed <s>', 'fast-check seed (default: random, reported)', intOption('--seed', 0))
    .option('--path <p>', 'fast-check replay path of a counterexample (with its --seed)')
    .option('--shrink-seconds <s>', 'time budget for shrinking a counterexample', numberOption('--shrink-seconds'), 10)
    .option('--sub-region-points <k>', 'extra points per probe in a small sub-region around it', intOption('--sub-region-points', 0), 3)
    .option('--center <c>', 'expansion point: zero, random-clifford[:seed], or a params JSON file (default: the claim\'s center=, else zero)')
    .option('--state <state>', 'initial state: zero, plus, or a bitstring (leftmost = qubit 0)', 'zero')
    .option('--reference <r>', 'auto | exact | taylor[:ORDER] | propagate[:MIN_ABS]', 'auto')
    .option('--max-qubits <n>', 'the auto reference simulates exactly up to this many qubits', intOption('--max-qubits', 1), EXACT_REFERENCE_MAX_QUBITS)
    .option('--max-terms <n>', maxTermsHelp('budget of live terms for surrogate builds and propagations'), intOption('--max-terms', 16))
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .option('--workers <n>', `threads evaluating the sampled probes in batches (default: available cores, ${defaultWorkers()} here); shrinking runs in one; results are the same for any number`, intOption('--workers', 1));
  addQueueOption(check)
    .option('--json', 'print JSON: {"status", "worst_error", "counterexample", "seed", …}')
    .action(async (file: string, opts: CheckCliOptions) => {
      try {
        process.exitCode = await runCheck(file, opts);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        process.stderr.write(`nearclifford: error: ${cliMessage(e.message)}\n`);
        // Out of memory or time, or a probe batch that failed on a worker, is "cannot decide", not a
        // mistake in the input.
        process.exitCode = e instanceof ResourceLimitError || e instanceof TaskFailedError ? CHECK_EXIT.undecided : CHECK_EXIT.usage;
      }
    });
}

async function runCheck(file: string, opts: CheckCliOptions): Promise<number> {
  const claim = parseClaim(opts.claim);
  const reference = parseReferenceSpec(opts.reference);
  if (opts.path !== undefined && opts.seed === undefined) throw new UsageError('--path replays a counterexample of a given run: pass its --seed too');
  if (opts.center !== undefined && claim.center !== null) throw new UsageError('give the center either in the claim (center=…) or as --center, not both');
  const circuit = loadCircuit(file);
  const observable = resolveObservable(circuit, opts.observable, opts.dense);
  const initialState = parseInitialState(opts.state, circuit.numQubits);
  const center = opts.center !== undefined ? readCenter(circuit, opts.center) : undefined;
  const progress = opts.json ? null : createProgress('check');
  // With --queue, the probes are evaluated by `nearclifford worker`s in this many batches.
  const workers = opts.queue !== undefined ? QUEUE_BATCHES : opts.workers ?? defaultWorkers();
  const parallel = (opts.queue !== undefined || workers > 1) && opts.path === undefined;
  // With workers, the seed is fixed here: the probes are drawn here and evaluated in batches there.
  const seed = opts.seed ?? (parallel ? Math.floor(Math.random() * 0x7fffffff) : undefined);
  let result;
  try {
    const phaseOne = parallel
      ? await phaseOneOnWorkers(file, opts, circuit.numParameters, seed!, workers, (done, total) => progress?.update(`probe batch ${done}/${total}`))
      : undefined;
    result = checkClaim(circuit, observable, claim, {
      ...(phaseOne ? { phaseOne } : {}),
      samples: opts.samples,
      seed,
      path: opts.path,
      subRegionPoints: opts.subRegionPoints,
      shrinkSeconds: opts.shrinkSeconds,
      center,
      initialState,
      reference,
      exactMaxQubits: opts.maxQubits,
      maxTerms: opts.maxTerms,
      // Per probe the time limit is honoured by checkClaim itself (it stops sampling, keeping the probes done).
      onProgress: (done, total) => { if (!timeLimitReached()) progress?.update(`probe ${done}/${total}`, done / total); },
      onBuildProgress: (what, done, total, live) => progress?.update(`${what}: gate ${done}/${total}, ${live} terms`, done / total),
    });
  } finally {
    progress?.done();
  }
  const replayArgs = [
    'nearclifford', 'check', file, '--observable', opts.observable ?? observable.name, '--claim', opts.claim,
    '--samples', String(opts.samples), '--seed', String(result.seed),
    ...(opts.center !== undefined ? ['--center', opts.center] : []),
    ...(opts.state !== 'zero' ? ['--state', opts.state] : []),
    ...(opts.reference !== 'auto' ? ['--reference', opts.reference] : []),
    ...(opts.subRegionPoints !== 3 ? ['--sub-region-points', String(opts.subRegionPoints)] : []),
    ...(opts.noise !== undefined ? ['--noise', opts.noise] : []),
  ];
  const replay = replayArgs.map(shellQuote).join(' ');
  if (opts.json) printJson(checkToJSON(result, circuit.parameters, replay));
  else process.stdout.write(formatCheckText(result, circuit.parameters, replay));
  printWarnings(result.warnings);
  return CHECK_EXIT[result.status];
}

/** Phase 1 of the check on worker threads: the probes of this seed, one contiguous batch per thread. */
async function phaseOneOnWorkers(
  file: string, opts: CheckCliOptions, numParameters: number, seed: number, workers: number, onBatch: (done: number, total: number) => void,
): Promise<PhaseOneResult> {
  const circuit = loadCircuit(file);
  const probes = sampleProbes(numParameters, opts.subRegionPoints, seed, opts.samples);
  const batches = Math.max(1, Math.min(workers, probes.length));
  const size = Math.ceil(probes.length / batches);
  const base: Omit<CheckBatchPayload, 'probes'> = {
    circuit: { file: basename(file), text: readTextFile(file, 'circuit file') },
    ...(noiseModelSetting() ? { noise: noiseModelSetting()! } : {}),
    ...(opts.observable !== undefined ? { observable: opts.observable } : {}),
    dense: opts.dense ?? false,
    claim: opts.claim,
    ...(opts.center !== undefined ? { center: Array.from(readCenter(circuit, opts.center)) } : {}),
    state: opts.state,
    reference: opts.reference,
    exactMaxQubits: opts.maxQubits,
    // The memory-derived default, resolved here: the payload carries a number.
    maxTerms: opts.maxTerms ?? defaultMaxTerms(circuit.numQubits),
  };
  const executor = await executorFor(opts);
  let done = 0;
  try {
    const parts = await Promise.all(Array.from({ length: batches }, async (_, b) => {
      const r = await executor.run<CheckBatchRecord>(CHECK_BATCH_KIND, `probes:${b}`, { ...base, probes: probes.slice(b * size, (b + 1) * size) });
      onBatch(++done, batches);
      return phaseOneOf(r);
    }));
    return mergePhaseOne(parts);
  } finally {
    await executor.close();
  }
}
