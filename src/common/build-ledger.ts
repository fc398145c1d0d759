/**
 * Every image a basebench build made, its intermediate stages included: the classic builder
 * leaves a multi-stage build's earlier stages as untagged images (0.1–0.7 GB each, without the
 * build's labels), and only this list tells them from images of anyone else's.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeFolder } from './output-folder.js';
import { stateRoot } from './state-root.js';

const ledgerFile = (root = stateRoot()) => path.join(root, 'built-images.txt');

/** Adds image ids (full "sha256:…" or short) to the ledger. */
export function recordBuilt(ids: readonly string[], root = stateRoot()): void {
  if (ids.length === 0) return;
  makeFolder(root);
  appendFileSync(ledgerFile(root), ids.map((id) => `${id}\n`).join(''));
}

export function builtImages(root = stateRoot()): string[] {
  const file = ledgerFile(root);
  return existsSync(file) ? [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))] : [];
}

/** Keeps only the ids still on some engine (the rest were removed). */
export function forgetBuilt(removed: readonly string[], root = stateRoot()): void {
  const gone = new Set(removed);
  const kept = builtImages(root).filter((id) => !gone.has(id));
  if (existsSync(ledgerFile(root))) writeFileSync(ledgerFile(root), kept.map((id) => `${id}\n`).join(''));
}

/** Whether a ledger id ("abc123def456" from build output) names an image id ("sha256:abc123…"). */
export const sameImage = (ledgerId: string, imageId: string) =>
  imageId.replace(/^sha256:/, '').startsWith(ledgerId.replace(/^sha256:/, ''));
