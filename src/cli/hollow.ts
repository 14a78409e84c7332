/**
 * Hollow-answer detection: an answer can be formally correct and still say nothing — a
 * propagation whose observable was truncated away reports 0 with exit status 0, a bound larger
 * than the value it qualifies does not even fix the sign. These functions name such cases; the
 * commands add them to their JSON as `"warnings"` and print them on stderr (exit code unchanged).
 */

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

/** Truncated propagation: `terms` live at the end, `dropped` = Σ|c| of what truncation removed. */
export function truncationWarnings(value: number, terms: number, dropped: number, advice: string): string[] {
  if (!(dropped > 0)) return [];
  if (terms === 0) {
    return [`the observable was truncated away: no term survived (dropped weight ${fmt(dropped)}), so the value ${fmt(value)} says nothing; ${advice}`];
  }
  if (dropped >= Math.abs(value)) {
    return [`the dropped weight ${fmt(dropped)} is ≥ |value| = ${fmt(Math.abs(value))}: the truncation error bound does not even fix the sign; ${advice}`];
  }
  return [];
}

/** Per-point error bounds that are at least the value they qualify. */
export function pointBoundWarnings(values: ArrayLike<number>, bounds: ArrayLike<number>, what: string): string[] {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (bounds[i]! >= Math.abs(values[i]!) && bounds[i]! > 0) n++;
  if (n === 0) return [];
  return [`at ${n} of ${values.length} points the ${what} error bound is ≥ |value|: there the value is not determined even in sign`];
}

/**
 * A region bound on |C − T| that is at least the largest |C| can be (‖O‖₁ plus the identity part)
 * guarantees nothing any guess would not.
 */
export function regionBoundWarnings(bound: number | null, maxAbsValue: number): string[] {
  if (bound === null || !(bound >= maxAbsValue) || maxAbsValue === 0) return [];
  return [
    `the region bound ${fmt(bound)} is ≥ ${fmt(maxAbsValue)}, the largest |value| the observable allows: it guarantees nothing on this region; ` +
      'use a higher order or a smaller region',
  ];
}
