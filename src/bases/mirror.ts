/**
 * Registry mirrors: `docker.io=mirror.example.com/hub` sends every docker.io reference to that
 * mirror or pull-through cache, as companies run them (Harbor, Artifactory, a registry:2 proxy).
 * Pure functions; credentials for the mirror host come from the Docker config like any other.
 */

export interface Mirror {
  /** The upstream registry host it stands in for, e.g. "docker.io" or "gcr.io". */
  registry: string;
  /** Host and optional path prefix, e.g. "127.0.0.1:5000" or "harbor.example.com/dockerhub". */
  via: string;
}

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$/;
const PREFIX = /^[a-z0-9]+([._/-][a-z0-9]+)*$/;

/** Parses "REGISTRY=HOST[/PREFIX]" as given to --mirror. */
export function parseMirror(text: string): Mirror {
  const [registry, via, extra] = text.split('=');
  const usage = `"${text}" is not REGISTRY=HOST[/PREFIX] (e.g. docker.io=127.0.0.1:5000)`;
  if (extra !== undefined || !registry || !via) throw new Error(usage);
  const [host, ...prefix] = via.replace(/\/+$/, '').split('/');
  if (!HOST.test(registry) || !host || !HOST.test(host)) throw new Error(usage);
  if (prefix.length > 0 && !PREFIX.test(prefix.join('/')))
    throw new Error(`${usage}: the prefix "${prefix.join('/')}" is not a repository path`);
  return { registry: registry === 'index.docker.io' ? 'docker.io' : registry, via: [host, ...prefix].join('/') };
}

/** Registries given twice are an error: which mirror would win is not obvious. */
export function parseMirrors(texts: readonly string[]): Mirror[] {
  const mirrors = texts.map(parseMirror);
  const repeated = mirrors.find((mirror, index) => mirrors.findIndex((other) => other.registry === mirror.registry) !== index);
  if (repeated) throw new Error(`${repeated.registry} is given two mirrors`);
  return mirrors;
}

/** "debian:bookworm-slim" → registry docker.io, path library/debian:bookworm-slim (Docker's own rules). */
export function canonicalReference(ref: string): { registry: string; path: string } {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { registry: first === 'index.docker.io' ? 'docker.io' : first, path: ref.slice(slash + 1) };
  }
  return { registry: 'docker.io', path: slash < 0 ? `library/${ref}` : ref };
}

/** The reference to pull instead, and through which mirror; undefined where no mirror applies. */
export function throughMirror(ref: string, mirrors: readonly Mirror[]): { ref: string; mirror: Mirror } | undefined {
  if (ref === 'scratch') return undefined;
  const { registry, path } = canonicalReference(ref);
  const mirror = mirrors.find((candidate) => candidate.registry === registry);
  return mirror ? { ref: `${mirror.via}/${path}`, mirror } : undefined;
}
