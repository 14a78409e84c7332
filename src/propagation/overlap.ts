import type { InitialState } from '../ir/states.js';
import { packBasisBits } from '../ir/states.js';
import type { NumberCoefficients } from './coefficients.js';
import type { PropagationCore } from './core.js';

/** Σ c·⟨ψ0|P|ψ0⟩ over the core's terms, for a product initial state. */
export function overlapOf(core: PropagationCore<NumberCoefficients>, state: InitialState): number {
  const { store, kind } = core;
  let v = 0;
  if (state.kind === 'zero') {
    for (let e = 0; e < store.size; e++) if (store.xZero(e)) v += kind.get(e);
  } else if (state.kind === 'plus') {
    for (let e = 0; e < store.size; e++) if (store.zZero(e)) v += kind.get(e);
  } else {
    const bits = packBasisBits(state.bits, store.W);
    for (let e = 0; e < store.size; e++) {
      if (!store.xZero(e)) continue;
      v += store.zParity(e, bits) ? -kind.get(e) : kind.get(e);
    }
  }
  return v;
}
