import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RegistryCredentials {
  username: string;
  password: string;
  serveraddress: string;
}

/**
 * Credentials for a registry host from the Docker config (inline "auths" entries only;
 * credential helpers are not consulted). Never printed anywhere.
 */
export function dockerCredentials(registryHost: string): RegistryCredentials | undefined {
  const configDir = process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  const file = path.join(configDir, 'config.json');
  if (!existsSync(file)) return undefined;
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (host !== registryHost) continue;
    if (entry.username && entry.password) {
      return { username: entry.username, password: entry.password, serveraddress: host };
    }
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: host };
    }
  }
  return undefined;
}

/** The registry host part of an image reference ("docker.io" when it has none). */
export function registryHostOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const hasHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? first : 'docker.io';
}

/** Splits "host:5000/repo/name:tag" into repository and tag (tag defaults to "latest"). */
export function splitReference(ref: string): { repository: string; tag: string } {
  const lastSlash = ref.lastIndexOf('/');
  const lastColon = ref.lastIndexOf(':');
  if (lastColon > lastSlash) return { repository: ref.slice(0, lastColon), tag: ref.slice(lastColon + 1) };
  return { repository: ref, tag: 'latest' };
}
