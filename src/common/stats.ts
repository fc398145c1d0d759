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
const OUTLIER_Z = 3.5;
/**
 * …if it is also this far from the median. With five samples, three nearly equal ones make the
 * MAD tiny and every fraction of a percent an "outlier"; a machine is not that steady.
 */
const OUTLIER_MIN_RELATIVE_DISTANCE = 0.05;

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

/** Which way a paired comparison came out: A lower than B, higher, or no difference found. */
export type Direction = 'lower' | 'higher' | 'tie';

export interface PairedDecision {
  /** Pairs (rounds) the comparison rests on. */
  n: number;
  /** Median of the per-pair differences A − B. */
  median?: number;
  ci?: MedianInterval;
  /** The coverage asked for; the interval's own may fall short of it with few pairs. */
  level: number;
  direction: Direction;
  /** Two independent samples (n is the smaller), not pairs. */
  twoSample?: true;
}

/**
 * A decision from per-pair differences (A − B, each pair measured in the same round, so the
 * machine's drift cancels): the distribution-free interval of their median (a sign-test
 * interval). A direction only when that interval reaches the coverage asked for and excludes 0;
 * with too few pairs for that coverage (5 give at most 93.75%), a tie.
 */
export function decidePaired(differences: readonly number[], level = 0.95): PairedDecision {
  const n = differences.length;
  if (n === 0) return { n, level, direction: 'tie' };
  const ci = medianInterval(differences, level)!;
  const median = percentile(differences, 0.5)!;
  const reaches = ci.coverage >= level;
  const direction: Direction = reaches && ci.high < 0 ? 'lower' : reaches && ci.low > 0 ? 'higher' : 'tie';
  return { n, median, ci, level, direction };
}

/** Whether a decision's interval reaches the coverage asked for: too few pairs can't, whatever their differences. */
export const reachesLevel = (decision: Pick<PairedDecision, 'ci' | 'level'>): boolean =>
  decision.ci !== undefined && decision.ci.coverage >= decision.level;

/** The fewest pairs whose sign-test interval can reach this coverage at all: [min, max] covers 1 − 2/2^n. */
export function pairsNeeded(level: number): number {
  let n = 1;
  while (1 - 2 / 2 ** n < level) n += 1;
  return n;
}

/**
 * Sampling until decided looks at the data several times; deciding at 95% at every look would
 * declare identical variants different far more often than 5% of the time. The rule here is a
 * Bonferroni split of the error over the looks: K planned looks (rounds 8, 12, 18, 27, …, up to
 * the cap) plus one unplanned final look (a time budget running out) each test at (1 − level)/(K + 1),
 * so the chance of any false decision over the whole run stays within 1 − level, whatever the
 * looks find. Conservative, distribution-free (sign-test intervals), and simple to check: the
 * simulation in test/unit/sequential.test.ts counts false decisions on identical variants.
 */
export interface SequentialDesign {
  /** Overall coverage: the chance that no comparison is decided wrongly, over all looks. */
  level: number;
  /** Measured rounds after which the comparisons are looked at; the last is the cap. */
  looks: number[];
  /** Coverage of each look's interval. */
  lookLevel: number;
}

export function sequentialDesign(maxRounds: number, level = 0.95): SequentialDesign {
  const looks: number[] = [];
  for (let next = 8; next < maxRounds; next = Math.ceil(next * 1.5)) looks.push(next);
  looks.push(maxRounds);
  return { level, looks, lookLevel: 1 - (1 - level) / (looks.length + 1) };
}

/** P(U ≤ u) for the Mann–Whitney U of samples of sizes m and n under no shift, for u = 0 … mn: exact, by counting. */
function mannWhitneyCdf(m: number, n: number): number[] {
  // ways[j][u]: arrangements of i values of A among j of B with U = u, built up one A value at a time (Gaussian binomial).
  let ways: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i += 1) {
    const next: number[][] = [];
    for (let j = 0; j <= n; j += 1) {
      const row = new Array<number>(i * j + 1).fill(0);
      // The largest of i + j values is either an A value (adds j to U) or a B value.
      for (const [u, count] of ways[j]!.entries()) row[u + j] = (row[u + j] ?? 0) + count;
      if (j > 0) for (const [u, count] of next[j - 1]!.entries()) row[u] = (row[u] ?? 0) + count;
      next.push(row);
    }
    ways = next;
  }
  const counts = ways[n]!;
  const total = counts.reduce((sum, count) => sum + count, 0);
  const cdf: number[] = [];
  let running = 0;
  for (const count of counts) {
    running += count;
    cdf.push(running / total);
  }
  return cdf;
}

/**
 * Two independent samples (two runs, which share no rounds): the Hodges–Lehmann shift B − A (the
 * median of all differences b − a) with its distribution-free interval from the Mann–Whitney
 * distribution, and a direction only where that interval reaches the coverage and excludes 0.
 */
export function decideShift(a: readonly number[], b: readonly number[], level = 0.95): PairedDecision {
  const [m, n] = [a.length, b.length];
  if (m === 0 || n === 0) return { n: Math.min(m, n), level, direction: 'tie' };
  const differences = b.flatMap((y) => a.map((x) => y - x)).sort((x, y) => x - y);
  const cdf = mannWhitneyCdf(m, n);
  // The widest k whose tails leave at least the coverage: [d(k), d(mn + 1 − k)], 1-based.
  let k = 1;
  while (k < Math.ceil((m * n) / 2) && 1 - 2 * cdf[k]! >= level) k += 1;
  const coverage = 1 - 2 * (cdf[k - 1] ?? 0);
  const ci = { low: differences[k - 1]!, high: differences[m * n - k]!, coverage };
  const reaches = coverage >= level;
  const direction: Direction = reaches && ci.high < 0 ? 'lower' : reaches && ci.low > 0 ? 'higher' : 'tie';
  return { n: Math.min(m, n), median: percentile(differences, 0.5)!, ci, level, direction, twoSample: true };
}
