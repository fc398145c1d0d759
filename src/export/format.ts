/** Number formatting shared by the text exporters. */
export function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? '' : (bytes / 1_000_000).toFixed(2);
}

export function millis(value: number | undefined): string {
  return value === undefined ? '' : value.toFixed(1);
}
