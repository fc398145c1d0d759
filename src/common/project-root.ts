import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout basebench runs from: scenarios, the base catalog and package.json are found from here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A file as results name it: relative to basebench (its scenarios, the floor) when it is one of
 * basebench's, else relative to where the command runs (a project's own scenario, with basebench
 * installed as a package).
 */
export function shownPath(file: string): string {
  const inside = path.relative(PROJECT_ROOT, file);
  return inside.startsWith('..') || path.isAbsolute(inside) ? path.relative(process.cwd(), file) : inside;
}
