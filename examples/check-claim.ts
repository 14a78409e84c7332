/**
 * Check a simulability claim with property testing: "an order-4 Taylor surrogate is within 1e−3 of
 * the exact cost for δ ~ N(0, σ²I), σ = 1/D". A false claim (order 0 for a wide region) is refuted
 * with a shrunk counterexample. Run: `npm run build && npx tsx examples/check-claim.ts`.
 */
import { buildAnsatz, checkClaim, parseClaim, parseObservableText } from 'nearclifford';

const circuit = buildAnsatz('mhea', { qubits: 6, layers: 2 });
const observable = parseObservableText('Z0 Z1 + 0.5*X2', { numQubits: 6 });

const good = checkClaim(circuit, observable, parseClaim('order=4 eps=1e-3 sigma=1/D'), { samples: 20, seed: 1 });
console.log(`order=4 eps=1e-3 sigma=1/D: ${good.status} (worst error ${good.worst?.error.toExponential(2) ?? '—'})`);

const bad = checkClaim(circuit, observable, parseClaim('order=0 eps=1e-6 sigma=0.5'), { samples: 20, seed: 1, shrinkSeconds: 2 });
console.log(`order=0 eps=1e-6 sigma=0.5: ${bad.status}; counterexample error ${bad.counterexample?.error.toExponential(2)} (replay: seed ${bad.seed})`);

if (good.status !== 'held' || bad.status !== 'refuted') throw new Error('unexpected verdicts');
console.log('ok');
