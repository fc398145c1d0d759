import { execa } from 'execa';
import type { ImageClient } from '../engine/clients.js';
import { dockerCredentials } from '../engine/credentials.js';
import { fetchManifestFacts } from '../registry/manifest.js';
import { pushToRegistry } from '../registry/push.js';
import type { Registry } from '../registry/registry.js';
import type { BaseFacts, ResolvedBaseRecord } from '../results/types.js';
import { readAnatomy } from './anatomy.js';

/** Entries of a dpkg status file that are installed. */
export function countDpkgStatus(status: string): number {
  return status.split(/\n\s*\n/).filter((stanza) => /^Status: install ok installed$/m.test(stanza)).length;
}

/** distroless keeps one control file per package in status.d (plus .md5sums files). */
export function countDpkgStatusD(fileNames: readonly string[]): number {
  return fileNames.filter((name) => !name.endsWith('.md5sums') && !name.endsWith('/')).length;
}

/** Alpine's installed database: one "P:" line per package. */
export function countApkInstalled(installed: string): number {
  return installed.split('\n').filter((line) => line.startsWith('P:')).length;
}

const PACKAGE_MANAGERS: ReadonlyArray<[name: string, path: string]> = [
  ['apt', '/usr/bin/apt-get'],
  ['dpkg', '/usr/bin/dpkg'],
  ['apk', '/sbin/apk'],
];

async function present(images: ImageClient, ref: string, paths: readonly string[]): Promise<boolean> {
  for (const candidate of paths) if (await images.statPath(ref, candidate)) return true;
  return false;
}

async function countPackages(images: ImageClient, ref: string): Promise<BaseFacts['packages']> {
  const status = await images.readTree(ref, '/var/lib/dpkg/status');
  if (status?.[0]) return { count: countDpkgStatus(status[0].content.toString('utf8')), database: 'dpkg status' };
  const statusD = await images.readTree(ref, '/var/lib/dpkg/status.d');
  if (statusD) return { count: countDpkgStatusD(statusD.map((file) => file.name)), database: 'dpkg status.d' };
  const apk = await images.readTree(ref, '/lib/apk/db/installed');
  if (apk?.[0]) return { count: countApkInstalled(apk[0].content.toString('utf8')), database: 'apk' };
  return { count: 0, database: 'none' };
}

async function onPath(command: string): Promise<boolean> {
  return execa('sh', ['-c', `command -v ${command}`]).then(
    () => true,
    () => false,
  );
}

/** CVE counts only from a real scanner run; without one the answer is "not scanned", never a guess. */
async function scanForCves(ref: string): Promise<BaseFacts['cves']> {
  if (await onPath('trivy')) {
    try {
      const { stdout } = await execa('trivy', ['image', '--quiet', '--format', 'json', ref], { timeout: 300_000 });
      const report = JSON.parse(stdout) as { Results?: Array<{ Vulnerabilities?: unknown[] }> };
      return { scanner: 'trivy', count: (report.Results ?? []).reduce((sum, result) => sum + (result.Vulnerabilities?.length ?? 0), 0) };
    } catch (error) {
      return { scanner: 'trivy', error: (error as Error).message.split('\n')[0]! };
    }
  }
  if (await onPath('grype')) {
    try {
      const { stdout } = await execa('grype', [ref, '-o', 'json', '-q'], { timeout: 300_000 });
      return { scanner: 'grype', count: ((JSON.parse(stdout) as { matches?: unknown[] }).matches ?? []).length };
    } catch (error) {
      return { scanner: 'grype', error: (error as Error).message.split('\n')[0]! };
    }
  }
  return { scanner: null };
}

const EMPTY_IMAGE_FACTS: BaseFacts = {
  compressedBytes: 0,
  uncompressedBytes: 0,
  layerCount: 0,
  packages: { count: 0, database: 'none' },
  shell: false,
  packageManager: null,
  cves: { scanner: null },
};

/**
 * What the article's base image table compares, read off the image itself: sizes (compressed as
 * pushed to this run's registry), installed packages from its package database, a shell, a
 * package manager, and CVEs where a scanner is installed.
 */
export async function collectBaseFacts(images: ImageClient, registry: Registry, base: ResolvedBaseRecord): Promise<BaseFacts> {
  if (base.source === 'empty') return EMPTY_IMAGE_FACTS;
  if (!(await images.inspect(base.ref))) await images.pull(base.ref);
  const details = (await images.inspect(base.ref))!;
  const repository = `basebench-bases/${base.name}`;
  const pushedRef = `${registry.host}/${repository}:${base.digest.replace(/^sha256:/, '').slice(0, 12)}`;
  await images.tag(base.ref, pushedRef);
  const digest = await pushToRegistry(images, registry, pushedRef);
  const manifest = await fetchManifestFacts(registry.url, repository, digest, dockerCredentials(registry.host));
  let packageManager: string | null = null;
  for (const [name, path] of PACKAGE_MANAGERS) {
    if (await images.statPath(base.ref, path)) {
      packageManager = name;
      break;
    }
  }
  let anatomy: Pick<BaseFacts, 'anatomy' | 'anatomyError'>;
  try {
    const image = { registryUrl: registry.url, repository, layers: manifest.layers, config: manifest.config };
    anatomy = { anatomy: await readAnatomy(image, manifest.layers.length) };
  } catch (error) {
    anatomy = { anatomyError: (error as Error).message.split('\n')[0]! };
  }
  return {
    registryRef: pushedRef,
    diffIds: details.diffIds,
    ...anatomy,
    compressedBytes: manifest.compressedBytes,
    uncompressedBytes: details.sizeBytes,
    layerCount: manifest.layerBytes.length,
    packages: await countPackages(images, base.ref),
    shell: await present(images, base.ref, ['/bin/sh', '/usr/bin/sh']),
    packageManager,
    cves: await scanForCves(base.ref),
  };
}
