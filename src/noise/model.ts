import { UserError } from '../ir/errors.js';
import { CLIFFORD_GATE_NAMES, type Circuit, type Gate, type UnitaryGate } from '../ir/types.js';
import { CHANNEL_SHAPE, isChannelName, makeChannel, type ChannelName } from './channels.js';

/**
 * Noise models for circuits that arrive without noise (Qiskit's NoiseModel habit): channels are
 * inserted after gates, chosen by the gate's IR name or by its arity, and on idle qubits.
 *
 * ```json
 * {
 *   "after": {
 *     "1q": [["depolarize", 0.001]],
 *     "2q": [["depolarize2", 0.01]],
 *     "cx": [["depolarize2", 0.02], ["amplitude_damp", 0.001]]
 *   },
 *   "idle": [["dephase", 0.0005]]
 * }
 * ```
 *
 * * `after` keys are IR gate names — Clifford names (`h`, `s`, `cx`, `swap`, …), `rx`, `ry`, `rz`
 *   for single-qubit rotations, `rxx`, `ryy`, `rzz` for two-qubit rotations with equal letters, `rot`
 *   for any other Pauli rotation — or an arity `1q`, `2q`, `3q`, … A gate's name entry wins over its
 *   arity entry. Library gates that lower to several IR gates (u3 → three rotations, ccx → …) get
 *   their noise after each IR gate.
 * * A single-qubit channel listed for a multi-qubit gate is applied to each of its qubits; a
 *   two-qubit channel (depolarize2) only fits two-qubit gates.
 * * `idle` channels (single-qubit) act on every qubit that no gate touches in a moment of the
 *   circuit's as-soon-as-possible schedule, after that moment's gates.
 */
export interface NoiseModel {
  readonly after: Readonly<Record<string, readonly ChannelSpec[]>>;
  readonly idle: readonly ChannelSpec[];
}

/** `["depolarize", 0.01]` or `["pauli_noise", 0.01, 0, 0.02]`. */
export type ChannelSpec = readonly [ChannelName, ...number[]];

const IR_GATE_NAMES = new Set<string>([...CLIFFORD_GATE_NAMES, 'rx', 'ry', 'rz', 'rxx', 'ryy', 'rzz', 'rot']);

/** The IR name the model's `after` keys refer to. */
export function noiseModelGateName(g: UnitaryGate): string {
  if (g.kind === 'clifford') return g.name;
  const { letters } = g.pauli;
  if (letters.length === 1) return `r${letters[0]!.toLowerCase()}`;
  if (letters.length === 2 && letters[0] === letters[1]) return `r${letters[0]!.toLowerCase()}${letters[0]!.toLowerCase()}`;
  return 'rot';
}

/** Validates a parsed JSON noise model; `where` names it in messages (a file name). */
export function parseNoiseModel(json: unknown, where: string): NoiseModel {
  const fail = (msg: string): never => {
    throw new UserError(`${where}: ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('a noise model is a JSON object with "after" and/or "idle"');
  const obj = json as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (k !== 'after' && k !== 'idle') fail(`unknown key "${k}" (expected "after" or "idle")`);
  const list = (v: unknown, path: string): ChannelSpec[] => {
    if (!Array.isArray(v)) fail(`${path} must be a list of channels such as [["depolarize", 0.001]]`);
    return (v as unknown[]).map((item, i) => {
      const p = `${path}[${i}]`;
      if (!Array.isArray(item) || typeof item[0] !== 'string') fail(`${p} must be ["channel", strength, …]`);
      const [name, ...rest] = item as [string, ...unknown[]];
      if (!isChannelName(name)) fail(`${p}: unknown channel "${name}" (expected one of ${Object.keys(CHANNEL_SHAPE).join(', ')})`);
      const shape = CHANNEL_SHAPE[name as ChannelName];
      if (rest.length !== shape.strengths || !rest.every((x) => typeof x === 'number')) {
        fail(`${p}: ${name} takes ${shape.strengths} numeric strength${shape.strengths === 1 ? '' : 's'}`);
      }
      // Validate strengths now (on a dummy qubit), so a bad model fails before any circuit work.
      try {
        makeChannel(name as ChannelName, shape.arity === 2 ? [0, 1] : [0], rest as number[]);
      } catch (e) {
        if (e instanceof UserError) fail(`${p}: ${e.message}`);
        throw e;
      }
      return [name as ChannelName, ...(rest as number[])] as const;
    });
  };
  const after: Record<string, ChannelSpec[]> = {};
  if (obj.after !== undefined) {
    if (typeof obj.after !== 'object' || obj.after === null || Array.isArray(obj.after)) fail('"after" must be an object keyed by gate name or arity');
    for (const [key, v] of Object.entries(obj.after as Record<string, unknown>)) {
      if (!IR_GATE_NAMES.has(key) && !/^[1-9][0-9]*q$/.test(key)) {
        fail(`after.${key}: noise attaches to IR gates (${[...IR_GATE_NAMES].join(', ')}) or arities (1q, 2q, …); ` +
          `library gates such as u3 or ccx lower to those, so name their parts or their arity`);
      }
      after[key] = list(v, `after.${key}`);
    }
  }
  const idle = obj.idle === undefined ? [] : list(obj.idle, 'idle');
  for (const [i, spec] of idle.entries()) if (CHANNEL_SHAPE[spec[0]].arity !== 1) fail(`idle[${i}]: idle noise must be a single-qubit channel`);
  return { after, idle };
}

/**
 * The circuit with the model's channels inserted. Channels already in the circuit stay; the
 * inserted ones carry the source position of the gate they follow (so errors point at it).
 */
export function applyNoiseModel(circuit: Circuit, model: NoiseModel): Circuit {
  const n = circuit.numQubits;
  const withNoise = (g: UnitaryGate): Gate[] => {
    const qubits = g.kind === 'clifford' ? g.qubits : g.pauli.qubits;
    const name = noiseModelGateName(g);
    const specs = model.after[name] ?? model.after[`${qubits.length}q`];
    const out: Gate[] = [g];
    if (specs) for (const spec of specs) out.push(...channelsFor(spec, qubits, name, g.source));
    return out;
  };
  if (model.idle.length === 0) {
    return { ...circuit, gates: circuit.gates.flatMap((g) => (g.kind === 'channel' ? [g] : withNoise(g))) };
  }
  // Idle noise needs moments: the as-soon-as-possible schedule, moment(g) = max level of its qubits.
  // Re-emitting the gates moment by moment only reorders gates on disjoint qubits (on each qubit the
  // order is kept), so the circuit's unitary is unchanged. A channel already in the circuit stays
  // right after the last gate on its qubits (bucket −1 = before every gate).
  const level = new Int32Array(n);
  const buckets: Gate[][] = [];
  const busy: Uint8Array[] = [];
  const before: Gate[] = [];
  for (const g of circuit.gates) {
    const qubits = g.kind === 'rotation' ? g.pauli.qubits : g.qubits;
    let m = 0;
    for (const q of qubits) m = Math.max(m, level[q]!);
    if (g.kind === 'channel') {
      if (m === 0) before.push(g);
      else buckets[m - 1]!.push(g);
      continue;
    }
    for (const q of qubits) level[q] = m + 1;
    while (buckets.length <= m) { buckets.push([]); busy.push(new Uint8Array(n)); }
    for (const q of qubits) busy[m]![q] = 1;
    buckets[m]!.push(...withNoise(g));
  }
  const out: Gate[] = [...before];
  buckets.forEach((ops, m) => {
    out.push(...ops);
    for (let q = 0; q < n; q++) {
      if (busy[m]![q]) continue;
      for (const spec of model.idle) out.push(makeChannel(spec[0], [q], spec.slice(1) as number[]));
    }
  });
  return { ...circuit, gates: out };
}

function channelsFor(spec: ChannelSpec, qubits: readonly number[], gateName: string, source: Gate['source']): Gate[] {
  const [name, ...strengths] = spec;
  const arity = CHANNEL_SHAPE[name].arity;
  if (arity === 1) return qubits.map((q) => makeChannel(name, [q], strengths, source));
  if (qubits.length !== 2) {
    throw new UserError(`noise model: ${name} acts on two qubits but '${gateName}' acts on ${qubits.length}`, source);
  }
  return [makeChannel(name, qubits, strengths, source)];
}
