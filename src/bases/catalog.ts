/**
 * The base catalog: every base a variant may name, by logical name, with the two ways to get it.
 * Upstream is the official image; local is a stand-in built here from Debian packages, used when
 * upstream registries can't be reached. Reports always say which one was measured.
 */

export type LocalRecipe =
  /** The empty image: nothing to build or pull. */
  | { kind: 'empty' }
  /** A Debian root filesystem from mmdebstrap, imported as a single-layer image. */
  | {
      kind: 'mmdebstrap';
      suite: string;
      variant: 'minbase' | 'essential' | 'apt' | 'required' | 'important' | 'standard';
      /** Drop docs, man pages, info and locales at install time, as the official slim images do. */
      slim: boolean;
      include: string[];
    }
  /** A Dockerfile on top of another catalog base (given to it as the FROM_IMAGE build arg). */
  | { kind: 'dockerfile'; from: string; dockerfile: string };

export interface BaseEntry {
  name: string;
  role: 'builder' | 'runtime';
  /** The official reference, or "scratch". */
  upstream: string;
  local: LocalRecipe;
}

export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';

export const BASE_CATALOG: readonly BaseEntry[] = [
  { name: 'scratch', role: 'runtime', upstream: 'scratch', local: { kind: 'empty' } },
  {
    name: 'debian-bookworm-slim',
    role: 'runtime',
    upstream: 'debian:bookworm-slim',
    local: { kind: 'mmdebstrap', suite: 'bookworm', variant: 'minbase', slim: true, include: [] },
  },
  {
    name: 'go-builder',
    role: 'builder',
    upstream: 'golang:1.23',
    local: {
      kind: 'dockerfile',
      from: 'debian-bookworm-slim',
      // Go 1.23 comes from bookworm-backports, to match the golang:1.23 image the article builds with.
      dockerfile: [
        'ARG FROM_IMAGE',
        'FROM ${FROM_IMAGE}',
        `RUN echo "deb ${DEBIAN_MIRROR} bookworm-backports main" > /etc/apt/sources.list.d/backports.list \\`,
        ' && apt-get update \\',
        ' && apt-get install -y --no-install-recommends golang-1.23-go ca-certificates tzdata \\',
        ' && rm -rf /var/lib/apt/lists/*',
        'ENV PATH=/usr/lib/go-1.23/bin:$PATH GOCACHE=/tmp/go-build GOFLAGS=-trimpath',
        '',
      ].join('\n'),
    },
  },
];

export function findBase(name: string, catalog: readonly BaseEntry[] = BASE_CATALOG): BaseEntry | undefined {
  return catalog.find((entry) => entry.name === name);
}

export function baseNames(catalog: readonly BaseEntry[] = BASE_CATALOG): string[] {
  return catalog.map((entry) => entry.name);
}
