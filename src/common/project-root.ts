import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout basebench runs from: scenarios, the base catalog and package.json are found from here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
