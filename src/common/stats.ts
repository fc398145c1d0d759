/**
 * Statistics for a handful of samples, robust to the odd slow one: medians, order-statistic
 * confidence intervals and a MAD-based outlier flag. Percentiles interpolate between ranks.
 */
export function percentile(values: readonly number[], fraction: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (rank - lower);
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number | undefined {
  const median = percentile(values, 0.5);
  if (median === undefined) return undefined;
  return percentile(
    values.map((value) => Math.abs(value - median)),
    0.5,
  );
}

function binomialCdfHalf(k: number, n: number): number {
  // P(B <= k) for B ~ Binomial(n, 1/2)
  let sum = 0;
  let coefficient = 1;
  for (let i = 0; i <= k; i += 1) {
    sum += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}

export interface MedianInterval {
  low: number;
  high: number;
  /** The interval's actual coverage: at least 0.95 when n allows, else what [min, max] gives. */
  coverage: number;
}

/**
 * A distribution-free confidence interval for the median from order statistics: the widest
 * symmetric pair of ranks whose binomial tails still leave at least 95% coverage (with fewer
 * than 6 samples even [min, max] falls short, and the coverage says so).
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  let rank = 1; // 1-based rank of the lower bound
  while (rank + 1 <= Math.ceil(n / 2) && 1 - 2 * binomialCdfHalf(rank, n) >= level) rank += 1;
  return { low: sorted[rank - 1]!, high: sorted[n - rank]!, coverage: 1 - 2 * binomialCdfHalf(rank - 1, n) };
}

/** Iglewicz and Hoaglin's modified Z-score: above 3.5 in magnitude marks an outlier… */
export const OUTLIER_Z = 3.5;
/**
 * …if it is also this far from the median. With five samples, three nearly equal ones make the
 * MAD tiny and every fraction of a percent an "outlier"; a machine is not that steady.
 */
export const OUTLIER_MIN_RELATIVE_DISTANCE = 0.05;

export function modifiedZScores(values: readonly number[]): number[] {
  const median = percentile(values, 0.5);
  const mad = medianAbsoluteDeviation(values);
  if (median === undefined || mad === undefined || mad === 0) return values.map(() => 0);
  return values.map((value) => (0.6745 * (value - median)) / mad);
}

export interface Spread {
  n: number;
  median?: number;
  p95?: number;
  min?: number;
  max?: number;
  mad?: number;
  ci?: MedianInterval;
  /** Positions (in the input order) of samples flagged as outliers; they stay in every figure. */
  outliers: number[];
  outlierValues: number[];
}

export function spread(values: readonly number[]): Spread {
  const zScores = modifiedZScores(values);
  const median = percentile(values, 0.5);
  const farEnough = (value: number) => median === undefined || Math.abs(value - median) > OUTLIER_MIN_RELATIVE_DISTANCE * Math.abs(median);
  const outliers = zScores.flatMap((score, index) => (Math.abs(score) > OUTLIER_Z && farEnough(values[index]!) ? [index] : []));
  return {
    n: values.length,
    median,
    p95: percentile(values, 0.95),
    min: values.length ? Math.min(...values) : undefined,
    max: values.length ? Math.max(...values) : undefined,
    mad: medianAbsoluteDeviation(values),
    ci: medianInterval(values),
    outliers,
    outlierValues: outliers.map((index) => values[index]!),
  };
}
