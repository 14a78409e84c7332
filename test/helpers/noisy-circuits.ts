/**
 * fast-check arbitraries for small random noisy circuits: the random IR gates of
 * random-circuits.ts with noise channels of every kind interleaved (valid strengths, including
 * the extremes 0 and 1). Shared by the propagation and surrogate noise tests.
 */
import fc from 'fast-check';
import type { ChannelName, Circuit, Gate } from '../../src/ir/types.js';
import { CHANNEL_NAMES, makeChannel, type NoiseChannel } from '../../src/noise/channels.js';
import { circuitOf, gateArb, qubitsArb, uniformArb } from './random-circuits.js';

/** Strengths of a channel: mostly moderate, sometimes exactly 0 or 1. */
const strengthArb = fc.oneof({ weight: 6, arbitrary: uniformArb(0, 0.6) }, { weight: 1, arbitrary: fc.constantFrom(0, 1) });

/** A channel of kind `name` on random qubits of an n-qubit register (n ≥ 2 for depolarize2). */
export const channelOfKind = (n: number, name: ChannelName): fc.Arbitrary<NoiseChannel> => {
  const arity = name === 'depolarize2' ? 2 : 1;
  const strengths = name === 'pauli_noise'
    ? fc.tuple(uniformArb(0, 0.33), uniformArb(0, 0.33), uniformArb(0, 0.33)).map((t) => [...t])
    : strengthArb.map((p) => [p]);
  return fc.tuple(qubitsArb(n, arity, arity), strengths).map(([qs, s]) => makeChannel(name, qs, s));
};

/** A channel of any kind that fits n qubits. */
export const channelArb = (n: number): fc.Arbitrary<NoiseChannel> =>
  fc.constantFrom(...CHANNEL_NAMES.filter((c) => c !== 'depolarize2' || n >= 2)).chain((name) => channelOfKind(n, name));

/**
 * Random noisy circuits of 1…maxQubits qubits: gates and channels interleaved (about one channel
 * per three gates); `only` restricts the channels to one kind and makes sure one is present.
 */
export const noisyCircuitArb = (opts: { minQubits?: number; maxQubits: number; maxGates: number; maxParams?: number; only?: ChannelName }) =>
  fc.integer({ min: Math.max(opts.minQubits ?? 1, opts.only === 'depolarize2' ? 2 : 1), max: opts.maxQubits }).chain((n) =>
    fc.integer({ min: 0, max: opts.maxParams ?? 4 }).chain((d) => {
      const ch = opts.only ? channelOfKind(n, opts.only) : channelArb(n);
      const op = fc.oneof({ weight: 2, arbitrary: gateArb(n, d) }, { weight: 1, arbitrary: ch as fc.Arbitrary<Gate> });
      return fc.tuple(fc.array(op, { minLength: 1, maxLength: opts.maxGates, size: 'max' }), ch, fc.nat())
        .map(([gates, extra, at]): Circuit => {
          const all = [...gates];
          // At least one channel (of the requested kind) somewhere.
          all.splice(at % (all.length + 1), 0, extra);
          return circuitOf(n, d, all);
        });
    }));
