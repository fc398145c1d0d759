import os from 'node:os';
import path from 'node:path';

/** Run state, engine locks and the build ledger live with the engines' storage for root, else in the user's state folder. */
export function stateRoot(): string {
  if (process.getuid?.() === 0) return '/var/lib/basebench';
  return path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'basebench');
}
