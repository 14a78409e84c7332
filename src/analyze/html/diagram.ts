import type { Circuit, Gate } from '../../ir/types.js';

/**
 * The circuit diagram as a standalone SVG string. Small circuits are drawn gate by gate on their
 * ASAP layers, folded into rows of at most FOLD layers; circuits too large for that (many qubits or
 * a long schedule) are summarised as a density map: one row per qubit, one column per group of
 * layers, shaded by how many rotations and Clifford gates act there.
 */
const FOLD = 32;
const MAX_DRAWN_QUBITS = 24;
const MAX_DRAWN_LAYERS = FOLD * 8;
const COL = 34;
const ROW = 26;
const LEFT = 44;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function qubitsOf(g: Gate): readonly number[] {
  return g.kind === 'rotation' ? g.pauli.qubits : g.qubits;
}

function label(g: Gate, names: readonly string[]): { text: string; title: string } {
  if (g.kind === 'clifford') return { text: g.name.toUpperCase(), title: g.name };
  if (g.kind === 'channel') return { text: 'N', title: `${g.name}(${g.strengths.join(', ')})` };
  const letters = g.pauli.letters.join('');
  const ang = g.angle.terms.map((t) => `${t.coeff === 1 ? '' : t.coeff === -1 ? '−' : `${+t.coeff.toPrecision(3)}·`}${names[t.param]}`).join(' + ');
  const constant = g.angle.constant !== 0 ? `${ang ? ' + ' : ''}${+g.angle.constant.toPrecision(4)}` : '';
  return { text: `R${letters.length <= 2 ? letters : 'P'}`, title: `exp(−i·(${ang}${constant})·${g.pauli.qubits.map((q, i) => `${g.pauli.letters[i]}${q}`).join(' ')}/2)` };
}

export function circuitDiagramSvg(circuit: Circuit, layers: Int32Array, names: readonly string[]): { svg: string; summarised: boolean } {
  let depth = 0;
  for (const l of layers) depth = Math.max(depth, l + 1);
  if (circuit.numQubits <= MAX_DRAWN_QUBITS && depth <= MAX_DRAWN_LAYERS) return { svg: drawn(circuit, layers, depth, names), summarised: false };
  return { svg: density(circuit, layers, depth), summarised: true };
}

function drawn(circuit: Circuit, layers: Int32Array, depth: number, names: readonly string[]): string {
  const n = circuit.numQubits;
  const folds = Math.max(1, Math.ceil(depth / FOLD));
  const perFold = Math.min(depth, FOLD);
  const foldHeight = n * ROW + 24;
  const width = LEFT + perFold * COL + 16;
  const height = folds * foldHeight + 8;
  const parts: string[] = [];
  for (let f = 0; f < folds; f++) {
    const y0 = f * foldHeight + 16;
    const layersHere = Math.min(FOLD, depth - f * FOLD);
    for (let q = 0; q < n; q++) {
      const y = y0 + q * ROW + ROW / 2;
      parts.push(`<text x="4" y="${y + 4}" font-size="11" fill="#333">q${q}</text>`);
      parts.push(`<line x1="${LEFT - 6}" y1="${y}" x2="${LEFT + layersHere * COL}" y2="${y}" stroke="#999" stroke-width="1"/>`);
    }
    if (folds > 1) parts.push(`<text x="${LEFT}" y="${y0 - 4}" font-size="10" fill="#777">layers ${f * FOLD + 1}–${f * FOLD + layersHere} of ${depth}</text>`);
  }
  circuit.gates.forEach((g, i) => {
    const layer = layers[i]!;
    const f = Math.floor(layer / FOLD);
    const x = LEFT + (layer - f * FOLD) * COL + COL / 2;
    const y0 = f * foldHeight + 16;
    const yq = (q: number) => y0 + q * ROW + ROW / 2;
    const qs = qubitsOf(g);
    const { text, title } = label(g, names);
    const t = `<title>gate ${i + 1}: ${esc(title)}${qs.length ? ` on ${qs.join(', ')}` : ''}</title>`;
    if (g.kind === 'clifford' && (g.name === 'cx' || g.name === 'cz' || g.name === 'cy') && qs.length === 2) {
      const [c, tq] = qs as [number, number];
      parts.push(`<g>${t}<line x1="${x}" y1="${yq(c)}" x2="${x}" y2="${yq(tq)}" stroke="#333"/><circle cx="${x}" cy="${yq(c)}" r="3.5" fill="#333"/>` +
        (g.name === 'cx'
          ? `<circle cx="${x}" cy="${yq(tq)}" r="8" fill="white" stroke="#333"/><line x1="${x - 8}" y1="${yq(tq)}" x2="${x + 8}" y2="${yq(tq)}" stroke="#333"/><line x1="${x}" y1="${yq(tq) - 8}" x2="${x}" y2="${yq(tq) + 8}" stroke="#333"/>`
          : g.name === 'cz' ? `<circle cx="${x}" cy="${yq(tq)}" r="3.5" fill="#333"/>` : `<rect x="${x - 9}" y="${yq(tq) - 9}" width="18" height="18" fill="white" stroke="#333"/><text x="${x}" y="${yq(tq) + 4}" font-size="10" text-anchor="middle">Y</text>`) +
        '</g>');
      return;
    }
    const lo = Math.min(...qs), hi = Math.max(...qs);
    const fill = g.kind === 'rotation' ? (g.angle.terms.length > 0 ? '#dbe9f6' : '#fde0c5') : '#eeeeee';
    parts.push(`<g>${t}<rect x="${x - 14}" y="${yq(lo) - 10}" width="28" height="${(hi - lo) * ROW + 20}" rx="3" fill="${fill}" stroke="#456"/>` +
      `<text x="${x}" y="${(yq(lo) + yq(hi)) / 2 + 4}" font-size="${text.length > 3 ? 8 : 10}" text-anchor="middle" fill="#123">${esc(text)}</text></g>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" role="img" aria-label="circuit diagram">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
}

function density(circuit: Circuit, layers: Int32Array, depth: number): string {
  const n = circuit.numQubits;
  const cols = Math.min(depth, 160);
  const per = depth / cols;
  const rowH = Math.max(2, Math.min(8, Math.floor(560 / n)));
  const cellW = Math.max(3, Math.min(14, Math.floor(640 / cols)));
  const counts = new Float64Array(n * cols);
  circuit.gates.forEach((g, i) => {
    const c = Math.min(cols - 1, Math.floor(layers[i]! / per));
    for (const q of qubitsOf(g)) counts[q * cols + c] = counts[q * cols + c]! + (g.kind === 'rotation' ? 1 : 0.5);
  });
  let max = 0;
  for (const v of counts) max = Math.max(max, v);
  const width = LEFT + cols * cellW + 10;
  const height = n * rowH + 40;
  const parts: string[] = [];
  for (let q = 0; q < n; q++) {
    if (q % Math.ceil(n / 16) === 0) parts.push(`<text x="4" y="${20 + q * rowH + rowH}" font-size="9" fill="#333">q${q}</text>`);
    for (let c = 0; c < cols; c++) {
      const v = counts[q * cols + c]!;
      if (v === 0) continue;
      const a = (0.15 + 0.85 * (v / max)).toFixed(3);
      parts.push(`<rect x="${LEFT + c * cellW}" y="${20 + q * rowH}" width="${cellW}" height="${rowH}" fill="#1f5f9f" fill-opacity="${a}"/>`);
    }
  }
  parts.push(`<text x="${LEFT}" y="13" font-size="11" fill="#333">summary: ${n} qubits × depth ${depth} (${circuit.gates.length} gates); shade = gates per qubit per ${per > 1 ? `${per.toFixed(1)} layers` : 'layer'}</text>`);
  parts.push(`<text x="${LEFT}" y="${height - 6}" font-size="10" fill="#555">layer →</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" role="img" aria-label="circuit density map">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
}
