/**
 * Simulate a circuit exactly and take its gradient (adjoint method), then check one component
 * against a central finite difference. Run: `npm run build && npx tsx examples/simulate-gradient.ts`.
 */
import { CircuitBuilder, expectation, expectationAndGradient } from 'nearclifford';

// A 4-qubit hardware-efficient layer written in code; the same circuit could come from parseDsl.
const b = new CircuitBuilder(4).param('theta', 8);
for (let q = 0; q < 4; q++) b.ry(`theta[${q}]`, q);
for (let q = 0; q < 3; q++) b.cx(q, q + 1);
for (let q = 0; q < 4; q++) b.rz(`theta[${4 + q}]`, q);
const circuit = b.observable('H', '0.5*Z0 Z1 - X3 + 0.25*Y1 Y2').build();
const H = circuit.observables[0]!;

const theta = Float64Array.from({ length: circuit.numParameters }, (_, k) => 0.1 * (k + 1));
const { value, gradient } = expectationAndGradient(circuit, theta, H);

// Central difference on parameter 2 (step h: error O(h²)).
const h = 1e-5;
const plus = Float64Array.from(theta), minus = Float64Array.from(theta);
plus[2]! += h;
minus[2]! -= h;
const fd = (expectation(circuit, plus, H) - expectation(circuit, minus, H)) / (2 * h);

console.log(`C(θ) = ${value.toFixed(12)}`);
console.log(`∇C(θ) = [${Array.from(gradient, (g) => g.toFixed(6)).join(', ')}]`);
console.log(`∂C/∂θ2: adjoint ${gradient[2]!.toFixed(9)}, finite difference ${fd.toFixed(9)}`);
if (Math.abs(gradient[2]! - fd) > 1e-8) throw new Error('adjoint gradient and finite difference disagree');
console.log('ok');
