/**
 * containerd from Debian trixie's package, unpacked into basebench's cache: the cri engine's nodes run
 * it, the cluster engine's purger carries its ctr. The host's own containerd package is never replaced.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Logger } from '../../common/log.js';
import { canProvision } from '../provision.js';

export interface ContainerdBinaries {
  /** The folder holding containerd, ctr and containerd-shim-runc-v2. */
  dir: string;
  /** The Debian package's version, e.g. 1.7.24~ds1-6+deb13u1. */
  packageVersion: string;
}

function cacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'basebench', 'containerd');
}

/**
 * containerd from Debian trixie, unpacked into the cache once: apt fetches the package (signature
 * checked against Debian's keyring) with a sources list and package lists of basebench's own, so
 * the host's apt configuration and its installed containerd are left alone.
 */
export async function containerdBinaries(log: Logger): Promise<ContainerdBinaries> {
  const root = cacheRoot();
  const cached = existsSync(root) ? readdirSync(root).filter((name) => existsSync(path.join(root, name, 'usr/bin/containerd'))) : [];
  if (cached.length > 0) {
    const packageVersion = cached.sort().at(-1)!;
    return { dir: path.join(root, packageVersion, 'usr/bin'), packageVersion };
  }
  if (!canProvision()) throw new Error('the cri engine needs root on Debian/Ubuntu with apt, to fetch containerd 1.7 from Debian trixie');
  log.info("Fetching Debian trixie's containerd package for the cri engine (into basebench's cache; the host's containerd stays)…");
  const work = path.join(root, '.apt');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, 'lists', 'partial'), { recursive: true });
  mkdirSync(path.join(work, 'cache', 'archives', 'partial'), { recursive: true });
  const sources = path.join(work, 'trixie.sources');
  writeFileSync(
    sources,
    'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\n' +
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
  );
  const apt = [
    '-o',
    `Dir::Etc::SourceList=${sources}`,
    '-o',
    'Dir::Etc::SourceParts=/nonexistent',
    '-o',
    `Dir::State::Lists=${path.join(work, 'lists')}`,
    '-o',
    'Dir::State::Status=/dev/null',
    '-o',
    `Dir::Cache=${path.join(work, 'cache')}`,
    '-o',
    'APT::Sandbox::User=root',
  ];
  try {
    await execa('apt-get', [...apt, 'update'], { cwd: work });
    await execa('apt-get', [...apt, 'download', 'containerd'], { cwd: work });
    const deb = readdirSync(work).find((name) => /^containerd_.*\.deb$/.test(name));
    if (!deb) throw new Error('apt-get download containerd left no package');
    const packageVersion = (await execa('dpkg-deb', ['-f', path.join(work, deb), 'Version'])).stdout.trim();
    const target = path.join(root, packageVersion);
    await execa('dpkg-deb', ['-x', path.join(work, deb), target]);
    log.info(`containerd ${packageVersion} unpacked into ${target}`);
    return { dir: path.join(target, 'usr/bin'), packageVersion };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
