import type { CostMeasurement } from '../cost/measure.js';

/**
 * Library errors name options by their library names in backticks (`maxTerms`, `qubits`); the CLI
 * speaks of its flags instead. This table is the one place where the two spellings meet.
 */
const FLAG_OF: Readonly<Record<string, string>> = {
  qubits: '--qubits',
  layers: '--layers',
  angle: '--angle',
  topology: '--topology',
  samples: '--samples',
  engine: '--engine',
  term: '--term',
  center: '--center',
  path: '--path',
  reference: '--reference',
  claim: '--claim',
  eps: '--eps',
  parameters: '--parameters',
  sigma: '--sigma',
  radius: '--radius',
  l1: '--l1',
  measure: '--measure',
  observable: '--observable',
  maxTerms: '--max-terms',
  densityMaxQubits: '--max-density-qubits',
  // The simulator's cap is an option of the library call and a flag of several commands.
  maxQubits: 'maxQubits / --max-qubits',
};

/** A library message with its backticked option names turned into the CLI's flags. */
export function cliMessage(message: string): string {
  return message.replace(/`([A-Za-z][A-Za-z0-9]*)`/g, (m, name: string) => FLAG_OF[name] ?? m);
}

/** The same for the build errors recorded in a cost measurement. */
export function cliMeasurement(m: CostMeasurement): CostMeasurement {
  const fix = <T extends CostMeasurement['taylor']>(b: T): T => ('error' in b ? { ...b, error: cliMessage(b.error) } : b);
  return { ...m, taylor: fix(m.taylor), paths: fix(m.paths) };
}
