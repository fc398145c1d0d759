import type { RunResults } from '../results/types.js';

export function resultsJson(results: RunResults): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}
