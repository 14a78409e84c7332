/**
 * "Did you mean …?" for misspelled names (gates, observables): the closest candidate by
 * optimal-string-alignment distance (adjacent swaps count once), if it is close enough that the
 * suggestion is likely the intended name. Case differences cost nothing extra when that is the
 * only difference (`CZ` → `cz`).
 */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === lower ? 0.5 : distance(lower, c.toLowerCase());
    // Ties: a candidate with the same first letter, then the alphabetically first.
    const better = best === null || (c[0] === name[0]) > (best[0] === name[0]) || ((c[0] === name[0]) === (best[0] === name[0]) && c < best);
    if (d < bestD || (d === bestD && better)) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== null && bestD <= limit ? best : null;
}

/** ` (did you mean 'cz'?)` or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closestName(name, candidates);
  return c === null ? '' : ` (did you mean '${c}'?)`;
}

function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}
