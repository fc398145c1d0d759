import { createHash } from 'node:crypto';
import type { BaseEntry } from './catalog.js';

/** Bump when the way recipes are turned into images changes, so cached bases are rebuilt. */
const RECIPE_FORMAT = 1;

/** A content hash of a base's recipe and, recursively, of the bases it is built on. */
export function recipeHash(entry: BaseEntry, catalog: readonly BaseEntry[]): string {
  const parent =
    entry.local.kind === 'dockerfile' ? catalog.find((candidate) => candidate.name === (entry.local as { from: string }).from) : undefined;
  if (entry.local.kind === 'dockerfile' && !parent) {
    throw new Error(`base catalog: "${entry.name}".local.from names unknown base "${entry.local.from}"`);
  }
  const material = JSON.stringify({ format: RECIPE_FORMAT, name: entry.name, recipe: entry.local, parent: parent ? recipeHash(parent, catalog) : null });
  return createHash('sha256').update(material).digest('hex');
}
