/**
 * Figures quoted from the article the reports re-measure, shown beside the measured ones with
 * attribution. Only numbers and short labels are quoted.
 */
const ARTICLE = {
  title: 'Docker Image Optimization — Distroless, Scratch, and Alpine Compared',
  author: 'Goel Academy',
} as const;

export const ATTRIBUTION = `Article figures quoted from “${ARTICLE.title}” (${ARTICLE.author}).`;

export interface ArticleBaseRow {
  /** The article's label. */
  label: string;
  /** Our catalog name for it. */
  base: string;
  compressed: string;
  packages: string;
  shell: string;
  packageManager: string;
  cves: string;
}

export const ARTICLE_BASES: readonly ArticleBaseRow[] = [
  {
    label: 'ubuntu:24.04',
    base: 'ubuntu-24.04',
    compressed: '~78 MB',
    packages: '~100+',
    shell: 'Yes',
    packageManager: 'apt',
    cves: '20-50',
  },
  {
    label: 'debian:bookworm',
    base: 'debian-bookworm',
    compressed: '~52 MB',
    packages: '~80+',
    shell: 'Yes',
    packageManager: 'apt',
    cves: '15-40',
  },
  {
    label: 'debian:bookworm-slim',
    base: 'debian-bookworm-slim',
    compressed: '~27 MB',
    packages: '~40+',
    shell: 'Yes',
    packageManager: 'apt',
    cves: '5-15',
  },
  { label: 'alpine:3.20', base: 'alpine-3.20', compressed: '~3.5 MB', packages: '~15', shell: 'Yes', packageManager: 'apk', cves: '0-5' },
  {
    label: 'gcr.io/distroless/static',
    base: 'distroless-static-debian12',
    compressed: '~2 MB',
    packages: '0',
    shell: 'No',
    packageManager: 'No',
    cves: '0-1',
  },
  {
    label: 'gcr.io/distroless/base',
    base: 'distroless-base-debian12',
    compressed: '~20 MB',
    packages: 'glibc only',
    shell: 'No',
    packageManager: 'No',
    cves: '0-3',
  },
  { label: 'scratch', base: 'scratch', compressed: '0 MB', packages: '0', shell: 'No', packageManager: 'No', cves: '0' },
];

/** The article's Node.js image sizes, by our variant id. */
export const ARTICLE_NODE_SIZES: Readonly<Record<string, string>> = {
  'node-hello/node-20': '~1.1 GB',
  'node-hello/node-20-slim': '~200 MB',
  'node-hello/node-20-alpine': '~130 MB',
  'node-hello/distroless-nodejs20': '~120 MB',
};

/** The article's Python before/after steps, by our variant id. */
export const ARTICLE_PYTHON_STEPS: ReadonlyArray<{ step: string; variant: string; size: string; reduction: string }> = [
  { step: 'python:3.12 (full)', variant: 'python-hello/python-3.12', size: '1.2 GB', reduction: 'baseline' },
  { step: 'python:3.12-slim', variant: 'python-hello/python-3.12-slim', size: '350 MB', reduction: '-71%' },
  { step: 'Multi-stage with slim', variant: 'python-hello/multistage-slim', size: '200 MB', reduction: '-83%' },
  { step: 'Distroless final stage', variant: 'python-hello/distroless-python3', size: '145 MB', reduction: '-88%' },
];

export const ARTICLE_UPX = { before: '~15 MB', after: '~4 MB', claim: '50-70% smaller binaries, slightly slower startup' } as const;

/** The article's recommended base per language, as our runtime base names. */
export const ARTICLE_RECOMMENDATIONS: Readonly<Record<string, { label: string; bases: string[] }>> = {
  go: { label: 'scratch', bases: ['scratch'] },
  rust: { label: 'scratch or distroless/static', bases: ['scratch', 'distroless-static-debian12'] },
  java: { label: 'distroless/java21', bases: ['distroless-java21-debian12'] },
  node: { label: 'distroless/nodejs20', bases: ['distroless-nodejs20-debian12'] },
  python: { label: 'python:3.12-slim or distroless/python3', bases: ['python-3.12-slim', 'distroless-python3-debian12'] },
};
