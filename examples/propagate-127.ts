/**
 * Pauli propagation on 127 qubits (the size of IBM's Eagle chip): a TFI Trotter circuit with
 * truncation, plus the exact value at a Clifford point for comparison.
 * Run: `npm run build && npx tsx examples/propagate-127.ts`.
 */
import { buildAnsatz, cliffordExpectation, parseObservableText, propagate } from 'nearclifford';

const circuit = buildAnsatz('tfi', { qubits: 127, layers: 6 });
const Z62 = parseObservableText('Z62', { numQubits: 127, name: 'Z62' });

// Near θ = 0 the circuit is close to the identity and the truncated sum stays small.
const theta = new Float64Array(circuit.numParameters).fill(0.1);
const r = propagate(circuit, theta, Z62, { maxWeight: 6, minAbs: 1e-6 });
console.log(`⟨Z62⟩ at θ = 0.1: ${r.value.toFixed(9)} (${r.terms} terms at the end, peak ${r.peakTerms}, dropped weight ${r.droppedWeight.toExponential(2)}, ${r.seconds.toFixed(3)} s)`);

// At θ = 0 (a Clifford point) the exact value needs no truncation: both engines must give 1.
const zero = new Float64Array(circuit.numParameters);
const exact = cliffordExpectation(circuit, zero, Z62);
const numeric = propagate(circuit, zero, Z62).value;
console.log(`⟨Z62⟩ at θ = 0: Clifford evaluation ${exact}, propagation ${numeric}`);
if (exact !== 1 || Math.abs(numeric - 1) > 1e-12) throw new Error('the Clifford point value is wrong');
if (!(Math.abs(r.value) <= 1)) throw new Error('an expectation of a Pauli string must lie in [−1, 1]');
console.log('ok');
