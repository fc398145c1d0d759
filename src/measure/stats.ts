/** Order statistics for a handful of samples. Percentiles interpolate linearly between ranks. */
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

export interface Spread {
  n: number;
  median?: number;
  p95?: number;
}

export function spread(values: readonly number[]): Spread {
  return { n: values.length, median: percentile(values, 0.5), p95: percentile(values, 0.95) };
}
