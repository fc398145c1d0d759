import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { isAlive } from '../common/alive.js';
import { execa } from 'execa';
import { TailBuffer } from '../common/tail-buffer.js';
import type { ImageClient } from '../engine/clients.js';
import { aptInstall, canProvision } from '../engine/provision.js';
import type { Logger } from '../common/log.js';
import { DEBIAN_MIRROR, findBase, parentOf, type BaseCatalog, type BaseEntry } from './catalog.js';
import { recipeHash, renderRecipe, shellQuote } from './recipes.js';
import type { BaseObtained } from '../results/types.js';

export interface LocalBaseContext {
  images: ImageClient;
  log: Logger;
  catalog: BaseCatalog;
  /** Where built bases are saved, so a later run (or one after a cold-cache purge) builds nothing. */
  cacheDir: string;
  /** Where base build output goes (one file per base); none when omitted. */
  logDir?: string;
  /**
   * Another Debian architecture than the machine's (e.g. "arm64"), run under emulation: the same recipes,
   * tagged and cached apart. The engine's import records the machine's architecture in the image config
   * (Docker 20.10 ignores a platform on import); the files are the other architecture's.
   */
  arch?: string;
}

export interface LocalBase {
  ref: string;
  imageId: string;
  recipeHash: string;
  /** How it was obtained this time, and how long that took: the cost of a first run against a rerun. */
  obtained: BaseObtained;
  obtainMs: number;
}

export function defaultBaseCacheDir(): string {
  const root = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(root, 'basebench', 'bases');
}

function localTag(entry: BaseEntry, hash: string, arch?: string): string {
  return `basebench-local/${entry.name}${arch ? `-${arch}` : ''}:${hash.slice(0, 12)}`;
}

/** Present in the engine, else loaded from the cache, else built from its recipe and cached. */
export async function ensureLocalBase(entry: BaseEntry, context: LocalBaseContext): Promise<LocalBase> {
  const hash = recipeHash(entry, context.catalog);
  const ref = localTag(entry, hash, context.arch);
  const cacheName = `${entry.name}${context.arch ? `-${context.arch}` : ''}`;
  const stem = path.join(context.cacheDir, `${cacheName}-${hash.slice(0, 12)}`);
  const cached = CACHE_SUFFIXES.map((suffix) => `${stem}${suffix}`).find((file) => existsSync(file));
  const started = performance.now();
  let obtained: LocalBase['obtained'] = 'present';
  let image = await context.images.inspect(ref);
  if (!image && cached) {
    context.log.info(`Loading local base ${entry.name} from ${cached}`);
    await loadCached(cached, context.images);
    image = await context.images.inspect(ref);
    obtained = 'loaded';
  }
  if (!image) {
    const forArch = context.arch ? ` for ${context.arch}` : '';
    context.log.info(`Building local base ${entry.name}${forArch} (recipe ${hash.slice(0, 12)}) from Debian packages…`);
    await buildFromRecipe(entry, ref, context);
    image = await context.images.inspect(ref);
    if (!image) throw new Error(`local base ${entry.name}: build finished but ${ref} is not in the engine`);
    context.log.info(`Built local base ${entry.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    mkdirSync(context.cacheDir, { recursive: true });
    await saveGzipped(await context.images.save(ref), stem, context.cacheDir, cacheName);
    obtained = 'built';
  }
  const local = { ref, imageId: image.id, recipeHash: hash, obtained, obtainMs: performance.now() - started };
  // Once, outside obtainMs: a bare archive an older basebench saved takes 2.4 times the room. (One a build just replaced is gone.)
  if (cached && !cached.endsWith('.gz') && obtained !== 'built') {
    context.log.info(`Compressing ${cached} (saved bare by an older basebench)`);
    await saveGzipped(createReadStream(cached), stem, context.cacheDir, cacheName);
  }
  return local;
}

/** Saves an archive into the cache gzipped (level 1), as `STEM.tar.gz`, and removes what it makes outdated. */
async function saveGzipped(archive: NodeJS.ReadableStream, stem: string, cacheDir: string, cacheName: string): Promise<void> {
  const saved = `${stem}${CACHE_SUFFIXES[0]}`;
  await pipeline(archive, createGzip({ level: 1 }), createWriteStream(partialOf(saved)));
  renameSync(partialOf(saved), saved);
  removeOutdatedCache(cacheDir, cacheName, saved);
}

/**
 * The cache holds each base as its `docker save` archive, gzipped at level 1: the 30 stand-ins' took 3.4 GB so against
 * 8.1 GB bare, for about 2 minutes of compressing across a first build. An archive an older basebench left bare still loads,
 * and is gzipped the first time a run needs its base.
 */
const CACHE_SUFFIXES = ['.tar.gz', '.tar'] as const;

/** Loads a cached archive into the engine, unzipping it here: every engine gets a bare archive, whatever it can read. */
async function loadCached(file: string, images: ImageClient): Promise<void> {
  if (!file.endsWith('.gz')) return images.load(createReadStream(file));
  const archive = createGunzip();
  const unzipping = pipeline(createReadStream(file), archive);
  try {
    await Promise.all([images.load(archive), unzipping]);
  } catch (error) {
    archive.destroy();
    throw error;
  }
}

/** Where an archive is written before it is renamed into place: this process's own, so two runs never write one file. */
const partialOf = (file: string) => `${file}.${process.pid}.partial`;

/**
 * Saved images of earlier recipes of the same base are never used again, nor a bare archive once a gzipped one is
 * saved, nor what a process that is gone (a killed run) was writing.
 */
function removeOutdatedCache(cacheDir: string, baseName: string, current: string): void {
  const archive = new RegExp(`^${baseName.replace(/[.]/g, '\\.')}-[0-9a-f]{12}\\.tar(?:\\.gz)?(?:\\.(\\d+)\\.partial)?$`);
  for (const file of readdirSync(cacheDir)) {
    const found = archive.exec(file);
    if (!found || path.join(cacheDir, file) === current) continue;
    const writer = found[1] === undefined ? undefined : Number(found[1]);
    if (writer === undefined || !isAlive(writer)) rmSync(path.join(cacheDir, file), { force: true });
  }
}

async function buildFromRecipe(entry: BaseEntry, ref: string, context: LocalBaseContext): Promise<void> {
  const recipe = entry.local;
  if (!recipe || 'empty' in recipe) throw new Error(`base ${entry.name} has nothing to build`);
  const logFile = context.logDir ? path.join(context.logDir, `base-${entry.name}.build.log`) : undefined;
  if (context.logDir) mkdirSync(context.logDir, { recursive: true });
  const log = logFile ? createWriteStream(logFile) : undefined;
  const tail = new TailBuffer(30);
  const record = (line: string) => {
    log?.write(`${line}\n`);
    tail.push(line);
  };
  try {
    if ('mmdebstrap' in recipe) {
      await buildWithMmdebstrap(recipe.mmdebstrap, ref, context, record);
    } else {
      await buildOnParent(entry, ref, context, (line) => {
        record(line);
        if (/^Step \d+\/\d+/.test(line)) context.log.info(`  ${entry.name}: ${line.split('\n')[0]!.slice(0, 120)}`);
      });
    }
  } catch (error) {
    const where = logFile ? ` (log: ${logFile})` : '';
    throw new Error(`building ${entry.name} failed: ${(error as Error).message.split('\n')[0]}${where}\n${tail.text()}`);
  } finally {
    log?.end();
  }
}

async function buildOnParent(entry: BaseEntry, ref: string, context: LocalBaseContext, onOutput: (line: string) => void): Promise<void> {
  const parent = await ensureLocalBase(findBase(context.catalog, parentOf(entry.local)!)!, context);
  const rendered = renderRecipe(entry, context.catalog)!;
  const contextDir = mkdtempSync(path.join(os.tmpdir(), 'basebench-base-'));
  try {
    writeFileSync(path.join(contextDir, 'Dockerfile'), rendered.dockerfile);
    for (const [name, content] of Object.entries(rendered.files)) writeFileSync(path.join(contextDir, name), content, { mode: 0o755 });
    await context.images.build({ contextDir, dockerfile: 'Dockerfile', tag: ref, buildArgs: { FROM_IMAGE: parent.ref }, onOutput });
  } finally {
    rmSync(contextDir, { recursive: true, force: true });
  }
}

/** Options that make a minbase rootfs match the official slim images: no docs, man pages or locales. */
const SLIM_DPKG_OPTIONS = [
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-exclude=/usr/share/lintian/*',
];

const APT_CLEANUP = 'rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true';

/**
 * The apt and dpkg settings the official Debian images ship, so that a Dockerfile on a stand-in
 * makes the layer it would make on the real base: no downloaded packages or apt caches left
 * after an install, package lists without translations and kept compressed, no unsafe-io fsyncs.
 */
const CONTAINER_SETTINGS: Record<string, string[]> = {
  '/etc/apt/apt.conf.d/docker-clean': [
    `DPkg::Post-Invoke { "${APT_CLEANUP}"; };`,
    `APT::Update::Post-Invoke { "${APT_CLEANUP}"; };`,
    'Dir::Cache::pkgcache "";',
    'Dir::Cache::srcpkgcache "";',
  ],
  '/etc/apt/apt.conf.d/docker-no-languages': ['Acquire::Languages "none";'],
  '/etc/apt/apt.conf.d/docker-gzip-indexes': ['Acquire::GzipIndexes "true";'],
  '/etc/apt/apt.conf.d/docker-autoremove-suggests': ['Apt::AutoRemove::SuggestsImportant "false";'],
  '/etc/dpkg/dpkg.cfg.d/docker-apt-speedup': ['force-unsafe-io'],
};

/** mmdebstrap customize hooks (shell, the root filesystem in "$1") that write the container settings, after the bootstrap. */
function containerSettingsHooks(): string[] {
  const write = Object.entries(CONTAINER_SETTINGS).map(
    ([file, lines]) => `--customize-hook=printf '%s\\n' ${lines.map(shellQuote).join(' ')} > "$1${file}"`,
  );
  // With these settings apt no longer knows its binary caches, so mmdebstrap's closing `apt-get clean` would keep them (72 MB).
  return [...write, '--customize-hook=rm -f "$1"/var/cache/apt/*.bin'];
}

async function buildWithMmdebstrap(
  recipe: { suite: string; slim: boolean },
  ref: string,
  context: LocalBaseContext,
  onOutput: (line: string) => void,
): Promise<void> {
  if (!existsSync('/usr/bin/mmdebstrap')) {
    if (!canProvision()) throw new Error('mmdebstrap is needed to build local Debian bases; install it (Debian package "mmdebstrap")');
    await aptInstall(['mmdebstrap'], context.log);
  }
  const args = [
    '--variant=minbase',
    '--format=tar',
    ...(context.arch ? [`--architectures=${context.arch}`] : []),
    // Merged /usr without the usrmerge package (which would drag perl into the image).
    '--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr',
    ...(recipe.slim ? SLIM_DPKG_OPTIONS.map((option) => `--dpkgopt=${option}`) : []),
    ...containerSettingsHooks(),
    recipe.suite,
    '-',
    DEBIAN_MIRROR,
  ];
  const child = execa('mmdebstrap', args, { buffer: false, stdout: 'pipe', stderr: 'pipe' });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) onOutput(line);
  });
  await Promise.all([context.images.importRootfs(child.stdout!, ref), child]);
}
