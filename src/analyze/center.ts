import { cliffordPointGradient, freezeCircuit } from '../clifford-point/frozen.js';
import { encodeLce, type LceResult } from '../encoder/lce.js';
import { unitarySkeleton, withEncoderGates } from '../encoder/noisy.js';
import { hasNoise } from '../ir/circuit.js';
import { UserError } from '../ir/errors.js';
import { parameterName } from '../ir/parameters.js';
import type { Circuit, Observable } from '../ir/types.js';
import { isCliffordPoint } from '../clifford-point/heisenberg.js';
import { expectationAndGradient } from '../simulators/statevector/index.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import { l2Norm } from '../gradients/sampling.js';

/**
 * The Clifford-center section: C(θ*) and ∇C(θ*), exact at any size (Clifford-point gradient when
 * every rotation sits at a multiple of π/2; otherwise the state vector up to its cap, or the order-1
 * Taylor surrogate, whose coefficients are the exact value and gradient at the center), and what the
 * Linear Clifford Encoder changes there.
 */
export type CenterEngine = 'clifford' | 'statevector' | 'taylor-order-1';

export interface CenterPoint {
  readonly value: number;
  readonly gradient: Float64Array;
  readonly gradientNorm: number;
  readonly nonzero: number;
  readonly engine: CenterEngine;
  readonly seconds: number;
}

export interface LceSummary {
  readonly applied: true;
  readonly result: LceResult;
  readonly point: CenterPoint;
  readonly gatesAdded: number;
}

export interface CenterSection {
  readonly point: CenterPoint;
  /** The LCE at this center, or why it does not apply. */
  readonly lce: LceSummary | { readonly applied: false; readonly reason: string };
}

/** Components smaller than this count as zero (the Clifford engine gives exact 0, ±1, ±c). */
const ZERO = 1e-12;

export function centerPoint(circuit: Circuit, observable: Observable, center: Float64Array, stateVectorQubits: number): CenterPoint {
  const t0 = performance.now();
  let value: number, gradient: Float64Array, engine: CenterEngine;
  // A noisy circuit has no Clifford-point or state-vector path; the order-1 Taylor surrogate (which
  // applies the channels) gives its exact value and gradient at the center at any size.
  const noisy = hasNoise(circuit);
  if (!noisy && isCliffordPoint(circuit, center)) {
    const frame = freezeCircuit(circuit.gates, circuit.numQubits, center);
    ({ value, gradient } = cliffordPointGradient(frame, circuit.numParameters, observable.terms));
    engine = 'clifford';
  } else if (!noisy && circuit.numQubits <= stateVectorQubits) {
    ({ value, gradient } = expectationAndGradient(circuit, center, observable, { maxQubits: stateVectorQubits }));
    engine = 'statevector';
  } else {
    const s = buildTaylorSurrogate(circuit, observable, { order: 1, center });
    value = s.value(center);
    gradient = s.gradient(center);
    engine = 'taylor-order-1';
  }
  let nonzero = 0;
  for (const g of gradient) if (Math.abs(g) > ZERO) nonzero++;
  return { value, gradient, gradientNorm: l2Norm(gradient), nonzero, engine, seconds: (performance.now() - t0) / 1000 };
}

export function centerSection(circuit: Circuit, observable: Observable, center: Float64Array, stateVectorQubits: number): CenterSection {
  const point = centerPoint(circuit, observable, center, stateVectorQubits);
  let lce: CenterSection['lce'];
  try {
    // Noisy circuits: the encoder of the unitary skeleton, its noiseless gates around the channels.
    const result = encodeLce(unitarySkeleton(circuit), observable, { target: 'auto', center });
    const encoded = withEncoderGates(circuit, result);
    lce = {
      applied: true,
      result: encoded === result.circuit ? result : { ...result, circuit: encoded },
      point: centerPoint(encoded, observable, center, stateVectorQubits),
      gatesAdded: result.prefix.length + result.suffix.length,
    };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    lce = { applied: false, reason: e.message };
  }
  return { point, lce };
}

/** The largest gradient components at the center, for the report's table. */
export function topComponents(circuit: Circuit, gradient: Float64Array, count: number): { name: string; value: number }[] {
  const idx = Array.from(gradient.keys()).filter((k) => Math.abs(gradient[k]!) > ZERO);
  idx.sort((a, b) => Math.abs(gradient[b]!) - Math.abs(gradient[a]!) || a - b);
  return idx.slice(0, count).map((k) => ({ name: parameterName(circuit.parameters, k), value: gradient[k]! }));
}
