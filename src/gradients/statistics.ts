/** Descriptive statistics of samples: mean, standard deviation, median and quantiles. */

export interface Summary {
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for a single sample. */
  readonly std: number;
  readonly min: number;
  readonly q05: number;
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  readonly q95: number;
  readonly max: number;
}

/** Linear-interpolation quantile (type 7, as numpy's default) of sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Mean, standard deviation, standard error, extremes and quartiles of a sample (NaN fields when empty). */
export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i]!;
  mean = n ? mean / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  return {
    count: n,
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: n ? sorted[0]! : NaN,
    q05: quantileSorted(sorted, 0.05),
    q25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q75: quantileSorted(sorted, 0.75),
    q95: quantileSorted(sorted, 0.95),
    max: n ? sorted[n - 1]! : NaN,
  };
}

/** Unbiased sample variance; 0 for fewer than two values. */
export function variance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return ss / (n - 1);
}

/**
 * Geometric mean of the positive values (exp of the mean log) — the central value a log-scale fit
 * estimates, and robust to the heavy right tail of gradient norms. Zeros have no logarithm: they are
 * left out and counted in `zeros`.
 */
export function geometricMean(values: ArrayLike<number>): { value: number; zeros: number } {
  let s = 0, n = 0, zeros = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > 0 && Number.isFinite(v)) {
      s += Math.log(v);
      n++;
    } else zeros++;
  }
  return { value: n ? Math.exp(s / n) : 0, zeros };
}

/** Central values of one cell of samples: the arithmetic mean the paper reports, and two robust ones. */
export interface CentralValues {
  readonly samples: number;
  readonly mean: number;
  readonly median: number;
  readonly geometricMean: number;
  /** Samples ≤ 0 (left out of the geometric mean). */
  readonly zeros: number;
  readonly q05: number;
  readonly q25: number;
  readonly q75: number;
  readonly q95: number;
}

export function centralValues(values: ArrayLike<number>): CentralValues {
  const s = summarize(values);
  const g = geometricMean(values);
  return { samples: s.count, mean: s.mean, median: s.median, geometricMean: g.value, zeros: g.zeros, q05: s.q05, q25: s.q25, q75: s.q75, q95: s.q95 };
}

/** Percentile interval [q_{α/2}, q_{1−α/2}] of bootstrap replicates (sorted in place). */
export function percentileInterval(replicates: Float64Array, level: number): [number, number] {
  replicates.sort();
  const a = (1 - level) / 2;
  return [quantileSorted(replicates, a), quantileSorted(replicates, 1 - a)];
}
