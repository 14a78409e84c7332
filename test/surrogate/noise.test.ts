import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerSurrogateCommands } from '../../src/cli/commands/surrogate.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parameterExpr } from '../../src/ir/affine.js';
import type { Circuit, Gate } from '../../src/ir/types.js';
import { makeChannel } from '../../src/noise/channels.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { createRng } from '../../src/random/rng.js';
import { densityExpectation } from '../../src/simulators/density/index.js';
import { buildPathSurrogate } from '../../src/surrogate/paths-build.js';
import { hasChannels, lowerForSurrogate, STEP_CHANNEL } from '../../src/surrogate/program.js';
import { surrogateDocument, surrogateFromJSON } from '../../src/surrogate/serialize.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';
import { channelArb } from '../helpers/noisy-circuits.js';
import { circuitOf } from '../helpers/random-circuits.js';
import { naiveOverlap, naivePropagate } from '../propagation/naive.js';
import { surrogateCaseArb, type SurrogateCase } from './cases.js';

/**
 * Noise channels in both surrogates: fixed Pauli transfer maps carried through the Clifford frame
 * (surrogate/program.ts). Checked against the exact density matrix (Kraus operators, no frame):
 * Taylor surrogates of high order at small displacements and path surrogates without truncation
 * must reproduce it, and at any order the rigorous bounds must hold.
 */
const SEED = Number(process.env.NC_SEED ?? 14142);

/** A random surrogate case with 1–4 channels of any kind inserted at random places. */
const noisyCaseArb = (opts: Parameters<typeof surrogateCaseArb>[0]): fc.Arbitrary<SurrogateCase> =>
  surrogateCaseArb(opts).chain((c) =>
    fc.array(fc.tuple(fc.nat(), channelArb(c.circuit.numQubits)), { minLength: 1, maxLength: 4 }).map((chs) => {
      const gates: Gate[] = [...c.circuit.gates];
      for (const [at, ch] of chs) gates.splice(at % (gates.length + 1), 0, ch);
      return { ...c, circuit: { ...c.circuit, gates } };
    }),
  );

function pointNear(c: SurrogateCase, scale: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from(c.center, (x) => x + scale * (2 * rng.next() - 1));
}

const exactAt = (c: SurrogateCase, point: ArrayLike<number>) => densityExpectation(c.circuit, point, c.observable, { initialState: c.state });

describe('Taylor surrogate of noisy circuits', () => {
  it('at high order and small displacement equals the density matrix (every channel kind, fixed gates, Clifford centers)', () => {
    const arb = fc.tuple(noisyCaseArb({ maxQubits: 4, maxGates: 8, maxParams: 3, nonClifford: true }), fc.nat());
    fc.assert(
      fc.property(arb, ([c, seed]) => {
        const s = buildTaylorSurrogate(c.circuit, c.observable, { order: 14, center: c.center, initialState: c.state });
        expect(Math.abs(s.value(c.center) - exactAt(c, c.center))).toBeLessThanOrEqual(1e-12);
        const p = pointNear(c, 0.02, seed);
        const exact = exactAt(c, p);
        expect(Math.abs(s.value(p) - exact)).toBeLessThanOrEqual(1e-11);
        expect(Math.abs(s.value(p) - exact)).toBeLessThanOrEqual(s.bound(p) + 1e-12);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('the a-priori and light-cone bounds stay rigorous at every order (channels are Pauli 1-norm contractions)', () => {
    const arb = fc.tuple(noisyCaseArb({ maxQubits: 4, maxGates: 10, maxParams: 4, nonClifford: true }), fc.integer({ min: 0, max: 4 }), fc.nat());
    fc.assert(
      fc.property(arb, ([c, order, seed]) => {
        const s = buildTaylorSurrogate(c.circuit, c.observable, { order, center: c.center, initialState: c.state });
        const p = pointNear(c, 0.4, seed);
        const err = Math.abs(s.value(p) - exactAt(c, p));
        const k = s.boundsByKind(p);
        expect(err).toBeLessThanOrEqual(k.apriori + 1e-12);
        if (k.lightCone !== null) expect(err).toBeLessThanOrEqual(k.lightCone + 1e-12);
        // The a-posteriori certificate's drop accounting does not cover channels: absent, as
        // for fixed non-Clifford steps (docs/bounds.md §7). Channels of strength 0 are no steps.
        if (hasChannels(lowerForSurrogate(c.circuit, c.observable, c.center))) {
          expect(k.aposteriori).toBeNull();
          expect(s.meta.certificates?.aposteriori).toBeUndefined();
        } else if (k.aposteriori !== null) {
          expect(err).toBeLessThanOrEqual(k.aposteriori + 1e-12);
        }
      }),
      { seed: SEED + 1, numRuns: 120 },
    );
  });

  it('equals the coefficients of a naive propagation of the noisy circuit at the center (order 0)', () => {
    // Order 0 is C(θ*): the naive reference propagates the channels without any frame.
    const arb = noisyCaseArb({ maxQubits: 4, maxGates: 10, maxParams: 3, nonClifford: true });
    fc.assert(
      fc.property(arb, (c) => {
        const s = buildTaylorSurrogate(c.circuit, c.observable, { order: 0, center: c.center, initialState: c.state });
        const ref = naivePropagate(c.circuit, c.center, c.observable, { minAbs: 0 });
        expect(Math.abs(s.value(c.center) - naiveOverlap(ref.terms, c.state))).toBeLessThanOrEqual(1e-12);
      }),
      { seed: SEED + 2, numRuns: 80 },
    );
  });
});

describe('Pauli-path surrogate of noisy circuits', () => {
  it('without truncation (S ≥ symbolic gates) equals the density matrix at any point', () => {
    const arb = fc.tuple(noisyCaseArb({ maxQubits: 4, maxGates: 10, maxParams: 3, nonClifford: true }), fc.nat());
    fc.assert(
      fc.property(arb, ([c, seed]) => {
        const s = buildPathSurrogate(c.circuit, c.observable, { maxSins: 64, center: c.center, initialState: c.state });
        const p = pointNear(c, 1.5, seed);
        expect(Math.abs(s.value(p) - exactAt(c, p))).toBeLessThanOrEqual(1e-11);
        // Gradients of the exact DAG: central differences of the density matrix.
        const g = s.gradient(p);
        for (let k = 0; k < p.length; k++) {
          const h = 1e-5, a = Float64Array.from(p), b = Float64Array.from(p);
          a[k]! += h;
          b[k]! -= h;
          expect(Math.abs(g[k]! - (exactAt(c, a) - exactAt(c, b)) / (2 * h))).toBeLessThanOrEqual(1e-7);
        }
      }),
      { seed: SEED + 3, numRuns: 80 },
    );
  });

  it('with few sins the bounds hold and no a-posteriori certificate is claimed for channels', () => {
    const arb = fc.tuple(noisyCaseArb({ maxQubits: 4, maxGates: 10, maxParams: 4, nonClifford: true }), fc.integer({ min: 0, max: 2 }), fc.nat());
    fc.assert(
      fc.property(arb, ([c, S, seed]) => {
        const s = buildPathSurrogate(c.circuit, c.observable, { maxSins: S, center: c.center, initialState: c.state });
        const noisy = hasChannels(lowerForSurrogate(c.circuit, c.observable, c.center));
        if (noisy) expect(s.drops).toBeUndefined();
        const p = pointNear(c, 0.5, seed);
        const err = Math.abs(s.value(p) - exactAt(c, p));
        const k = s.boundsByKind(p);
        expect(err).toBeLessThanOrEqual(k.apriori + 1e-12);
        if (k.lightCone !== null) expect(err).toBeLessThanOrEqual(k.lightCone + 1e-12);
        if (noisy) expect(k.aposteriori).toBeNull();
        else if (k.aposteriori !== null) expect(err).toBeLessThanOrEqual(k.aposteriori + 1e-12);
      }),
      { seed: SEED + 4, numRuns: 120 },
    );
  });
});

describe('channels in the Clifford frame', () => {
  const a = parameterExpr(0);
  const oneParam = (gates: Gate[], n = 1): Circuit => ({ ...circuitOf(n, 1, gates), parameters: [{ name: 'a', length: null, offset: 0 }] });

  it('amplitude damping after x: the identity branch carries the frame sign (⟨Z⟩ = (2g − 1)·cos a)', () => {
    const g = 0.35;
    const c = oneParam([{ kind: 'clifford', name: 'x', qubits: [0] }, makeChannel('amplitude_damp', [0], [g]), { kind: 'rotation', pauli: { qubits: [0], letters: ['Y'] }, angle: a }]);
    const obs = parseObservableText('Z0');
    const prog = lowerForSurrogate(c, obs, [0]);
    // The channel is one step; its identity string is the frame image of Z_0, which is −Z_0.
    const s = Array.from(prog.kind).indexOf(STEP_CHANNEL);
    expect(s).toBeGreaterThanOrEqual(0);
    expect(prog.genSigns[s]).toBe(-1);
    const t = buildTaylorSurrogate(c, obs, { order: 10 });
    const p = buildPathSurrogate(c, obs, { maxSins: 4 });
    for (const x of [0, 0.1, -0.3]) {
      expect(t.value([x])).toBeCloseTo((2 * g - 1) * Math.cos(x), 12);
      expect(p.value([x])).toBeCloseTo((2 * g - 1) * Math.cos(x), 14);
    }
  });

  it('amplitude damping inside h·s … sdg·h: the probes and the identity string are Y-type frame images', () => {
    const g = 0.2;
    const c = oneParam([
      { kind: 'rotation', pauli: { qubits: [0], letters: ['X'] }, angle: a },
      { kind: 'clifford', name: 'h', qubits: [0] },
      { kind: 'clifford', name: 's', qubits: [0] },
      makeChannel('amplitude_damp', [0], [g]),
      { kind: 'clifford', name: 'sdg', qubits: [0] },
      { kind: 'clifford', name: 'h', qubits: [0] },
    ]);
    for (const o of ['Z0', 'X0', 'Y0', '0.5*Z0 - X0 + 0.25*Y0']) {
      const obs = parseObservableText(o);
      const t = buildTaylorSurrogate(c, obs, { order: 12 });
      const p = buildPathSurrogate(c, obs, { maxSins: 4 });
      for (const x of [0, 0.05, -0.1]) {
        const exact = densityExpectation(c, [x], obs);
        expect(Math.abs(t.value([x]) - exact)).toBeLessThanOrEqual(1e-11);
        expect(Math.abs(p.value([x]) - exact)).toBeLessThanOrEqual(1e-13);
      }
    }
  });

  it('two-qubit depolarizing reads both pre-image letters through the frame', () => {
    const p = 0.3;
    const c = oneParam([
      { kind: 'rotation', pauli: { qubits: [0], letters: ['Y'] }, angle: a },
      { kind: 'clifford', name: 'cx', qubits: [0, 1] },
      makeChannel('depolarize2', [0, 1], [p]),
      { kind: 'clifford', name: 'cx', qubits: [0, 1] },
    ], 2);
    // Observables whose pre-image on (0, 1) is non-identity are damped by 1 − p, through the cx frame.
    for (const o of ['Z1', 'Z0', 'X0 X1', 'Z0 Z1']) {
      const obs = parseObservableText(o);
      const t = buildTaylorSurrogate(c, obs, { order: 10 });
      for (const x of [0, 0.1]) expect(Math.abs(t.value([x]) - densityExpectation(c, [x], obs))).toBeLessThanOrEqual(1e-11);
    }
  });

  it('a channel of strength 0 is no step at all', () => {
    const c = oneParam([{ kind: 'rotation', pauli: { qubits: [0], letters: ['Y'] }, angle: a }, makeChannel('depolarize', [0], [0]), makeChannel('amplitude_damp', [0], [0])]);
    const prog = lowerForSurrogate(c, parseObservableText('Z0'), [0]);
    expect(prog.numChannels).toBe(0);
    expect(Array.from(prog.kind)).not.toContain(STEP_CHANNEL);
  });
});

describe('saved noisy surrogates', () => {
  it('round-trip through JSON with the same values and bounds', () => {
    const arb = fc.tuple(noisyCaseArb({ minQubits: 2, maxQubits: 4, maxGates: 10, maxParams: 3, nonClifford: true }), fc.nat());
    fc.assert(
      fc.property(arb, ([c, seed]) => {
        const p = pointNear(c, 0.3, seed);
        for (const s of [
          buildTaylorSurrogate(c.circuit, c.observable, { order: 3, center: c.center, initialState: c.state }),
          buildPathSurrogate(c.circuit, c.observable, { maxSins: 2, center: c.center, initialState: c.state }),
        ]) {
          const back = surrogateFromJSON(JSON.parse(JSON.stringify(surrogateDocument(s))), 'noisy.json');
          expect(back.kind).toBe(s.kind);
          expect(back.value(p)).toBe(s.value(p));
          expect(back.bound(p)).toBe(s.bound(p));
        }
      }),
      { seed: SEED + 5, numRuns: 30 },
    );
  });
});

/** Runs `surrogate` / `evaluate` in-process and captures stdout (as test/surrogate/cli.test.ts). */
async function runSurrogateCli(args: string[]): Promise<string> {
  const program = new Command();
  program.exitOverride();
  registerSurrogateCommands(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'nearclifford', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('`nearclifford surrogate` on a noisy circuit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nc-surrogate-noise-'));
  const source = `qubits 3;
param t[3];
for i in 0..3 { ry(t[i]) i; depolarize(0.02) i; }
cx 0 1; depolarize2(0.05) 0 1;
h 2; amplitude_damp(0.1) 2; rzz(t[0] + t[2]) 1 2; dephase(0.1) 1; pauli_noise(0.01, 0.02, 0.03) 0;
observable H = Z0 Z1 + 0.5*X2 - 0.25*Z2;
`;
  const circuitFile = join(dir, 'noisy.ncl');
  writeFileSync(circuitFile, source);
  const pointObjs = [{ t: [0.01, -0.02, 0.015] }, { t: [-0.03, 0.02, 0] }];
  const pointsFile = join(dir, 'points.json');
  writeFileSync(pointsFile, JSON.stringify(pointObjs));

  it.each(['taylor', 'paths'] as const)('%s: builds, evaluates within its bound of the density matrix, saves and reloads', async (kind) => {
    const saved = join(dir, `${kind}.json`);
    const args = kind === 'taylor' ? ['--order', '6'] : ['--kind', 'paths', '--max-sins', '3'];
    const out = JSON.parse(await runSurrogateCli(['surrogate', circuitFile, ...args, '--eval', pointsFile, '--save', saved, '--sigma', '0.02', '--estimate', '8', '--json']));
    const c = parseDsl(source, 'noisy.ncl');
    const obs = c.observables[0]!;
    pointObjs.forEach((pt, i) => {
      const exact = densityExpectation(c, pt.t, obs);
      expect(Math.abs(out.values[i] - exact)).toBeLessThanOrEqual(out.bounds[i] + 1e-12);
    });
    expect(out.estimates.reference).toBe('exact density matrix');
    const ev = JSON.parse(await runSurrogateCli(['evaluate', saved, '--at', pointsFile, '--json']));
    expect(ev.values).toEqual(out.values);
    expect(ev.bounds).toEqual(out.bounds);
  });
});

describe('light cones of noisy circuits', () => {
  it('a channel never widens a term\'s cone: depolarize2 on (0, 1) leaves the rotation on qubit 1 out of Z0\'s cone', () => {
    const c: Circuit = {
      ...circuitOf(2, 2, [
        { kind: 'rotation', pauli: { qubits: [1], letters: ['X'] }, angle: parameterExpr(1) },
        { kind: 'rotation', pauli: { qubits: [0], letters: ['X'] }, angle: parameterExpr(0) },
        makeChannel('depolarize2', [0, 1], [0.2]),
      ]),
    };
    const obs = parseObservableText('Z0');
    const s = buildTaylorSurrogate(c, obs, { order: 2 });
    const x = [0.3, 0.9];
    // Z0's value depends on a (row 1 in circuit order: rows are [b, a]) only; its cone bound uses |a| alone.
    const exact = densityExpectation(c, x, obs);
    expect(exact).toBeCloseTo(0.8 * Math.cos(0.3), 14);
    const k = s.boundsByKind(x);
    expect(k.lightCone).toBeCloseTo(0.3 ** 3 / 6, 14);
    expect(k.apriori).toBeCloseTo(1.2 ** 3 / 6, 14);
    expect(Math.abs(s.value(x) - exact)).toBeLessThanOrEqual(k.lightCone!);
  });
});
