/**
 * The analysis time budget. `analyze` promises to finish in about S seconds, so every costly step
 * asks the budget first: it runs when its predicted cost fits the time left to its section, and is
 * otherwise recorded as "did not fit" with the prediction, so the report can say what was skipped
 * and why instead of silently leaving it out. Long builds also receive a deadline they check in
 * their progress callbacks (DeadlineExceeded aborts the build; the caller records that).
 */
export class DeadlineExceeded extends Error {
  constructor(readonly what: string, readonly seconds: number) {
    super(`${what}: stopped at the section deadline after ${seconds.toFixed(2)} s`);
  }
}

export interface SkippedItem {
  readonly section: string;
  readonly item: string;
  readonly reason: string;
  /** Predicted seconds when the skip was a prediction, null when the step was aborted or impossible. */
  readonly predictedSeconds: number | null;
}

export class TimeBudget {
  private readonly start = performance.now();
  readonly skipped: SkippedItem[] = [];

  constructor(readonly totalSeconds: number) {}

  elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  remaining(): number {
    return Math.max(0, this.totalSeconds - this.elapsed());
  }

  /**
   * A section's deadline: `share` of the time that is left now, after holding back `reserve`
   * seconds for what must still run after every section (writing the report and its plots).
   */
  section(name: string, share: number, reserve = 0): SectionBudget {
    const available = Math.max(0, this.remaining() - reserve);
    return new SectionBudget(this, name, available * share);
  }

  skip(section: string, item: string, reason: string, predictedSeconds: number | null = null): void {
    this.skipped.push({ section, item, reason, predictedSeconds });
  }
}

export class SectionBudget {
  private readonly start = performance.now();

  constructor(readonly budget: TimeBudget, readonly name: string, readonly seconds: number) {}

  elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  left(): number {
    return Math.max(0, this.seconds - this.elapsed());
  }

  /** True when a step predicted to take `seconds` fits; otherwise records it as skipped. */
  fits(item: string, seconds: number): boolean {
    if (seconds <= this.left()) return true;
    this.budget.skip(
      this.name, item,
      `predicted ${formatSeconds(seconds)}, but only ${formatSeconds(this.left())} of this section's ${formatSeconds(this.seconds)} were left`,
      seconds,
    );
    return false;
  }

  /** A progress callback for builds that throws DeadlineExceeded once this section's time is up. */
  guard(what: string): () => void {
    return () => {
      if (this.left() <= 0) throw new DeadlineExceeded(what, this.elapsed());
    };
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  // Two significant digits, without exponent notation below a million.
  const two = (v: number) => (v >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(2))));
  if (s < 0.01) return `${two(s * 1000)} ms`;
  if (s < 120) return `${two(s)} s`;
  if (s < 7200) return `${two(s / 60)} min`;
  if (s < 3600 * 48) return `${two(s / 3600)} h`;
  if (s < 86400 * 365) return `${two(s / 86400)} days`;
  const years = s / (86400 * 365);
  return years < 1e6 ? `${two(years)} years` : `10^${Math.log10(years).toFixed(0)} years`;
}
