/** Number formatting shared by the exporters: plain numbers for tables of figures (CSV, summary)… */
export function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? '' : (bytes / 1_000_000).toFixed(2);
}

export function millis(value: number | undefined): string {
  return value === undefined ? '' : value.toFixed(1);
}

/** …and human units for report cells. */
export function mb(bytes: number | undefined): string {
  if (bytes === undefined) return '–';
  if (bytes === 0) return '0 MB';
  return bytes >= 10_000_000 ? `${(bytes / 1_000_000).toFixed(0)} MB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function ms(value: number | undefined): string {
  if (value === undefined) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

/** A short delay's median and p95, to the hundredth of a ms: "1.62 / 2.40 ms". */
export function delayMedianP95(values: { median?: number; p95?: number }): string {
  return values.median === undefined || values.p95 === undefined ? '–' : `${values.median.toFixed(2)} / ${values.p95.toFixed(2)} ms`;
}
