/**
 * What an image's layers hold, file by file, and what follows from stacking them: the bytes a
 * later layer hides (overwrites or deletes), dive's efficiency score, and the final filesystem
 * sorted into kinds of files. Pure functions over layer entry lists; reading the tarballs is in
 * layer-reader.ts.
 */
import { fileKind as fileKindSchema } from '../results/base-schema.js';
import type { FileKind, LayerEfficiency } from '../results/types.js';

/** One entry of a layer tarball, as the OCI image spec's changeset layers have them. */
export interface LayerEntry {
  /** Without a leading "/" or "./", e.g. "usr/bin/env". */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

export function normalizePath(name: string): string {
  return name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

const parentOf = (entryPath: string) => (entryPath.includes('/') ? entryPath.slice(0, entryPath.lastIndexOf('/')) : '');
const baseName = (entryPath: string) => entryPath.slice(entryPath.lastIndexOf('/') + 1);
const isUnder = (entryPath: string, folder: string) => folder === '' || entryPath.startsWith(`${folder}/`);

/** A regular file (or link) as the stacked filesystem holds it, and the layer it came from. */
interface StackedFile {
  size: number;
  mode: number;
  type: LayerEntry['type'];
  layer: number;
}

export interface StackedImage {
  /** Path → the file the final filesystem holds. */
  files: Map<string, StackedFile>;
  /**
   * dive's score: over every path any layer writes or deletes, the sum of its smallest version (0 where deleted)
   * over the sum of all its versions; hidden bytes: what earlier layers hold that later ones overwrite or delete.
   */
  efficiency: LayerEfficiency;
}

/**
 * Applies the layers in order, as an engine extracts them: a whiteout `.wh.NAME` deletes NAME
 * (and what is under it), `.wh..wh..opq` empties its folder of what lower layers put there, any
 * other entry replaces what was at its path. Every version of every path is tallied for the
 * efficiency figures.
 */
export function stackLayers(layers: ReadonlyArray<readonly LayerEntry[]>): StackedImage {
  const files = new Map<string, StackedFile>();
  const versions = new Map<string, number[]>();
  const tally = (entryPath: string, size: number) => {
    const list = versions.get(entryPath);
    if (list) list.push(size);
    else versions.set(entryPath, [size]);
  };
  let hiddenBytes = 0;
  let overwrittenFiles = 0;
  let deletedFiles = 0;
  let whiteouts = 0;
  let opaqueDirectories = 0;
  /** Deletes a path and what is under it, where `which` agrees. */
  const remove = (entryPath: string, which: (file: StackedFile) => boolean) => {
    for (const [existing, file] of files) {
      if ((existing === entryPath || isUnder(existing, entryPath)) && which(file)) {
        files.delete(existing);
        hiddenBytes += file.size;
        deletedFiles += 1;
        tally(existing, 0);
      }
    }
  };
  layers.forEach((entries, layer) => {
    for (const entry of entries) {
      const name = baseName(entry.path);
      if (name === OPAQUE) {
        opaqueDirectories += 1;
        // Only what lower layers put there: this layer's own entries in the folder stay.
        remove(parentOf(entry.path), (file) => file.layer < layer);
        continue;
      }
      if (name.startsWith(WHITEOUT)) {
        whiteouts += 1;
        const target = `${parentOf(entry.path) ? `${parentOf(entry.path)}/` : ''}${name.slice(WHITEOUT.length)}`;
        remove(target, () => true);
        continue;
      }
      if (entry.type === 'directory') {
        // A file replaced by a folder is gone; a folder over a folder merges.
        const previous = files.get(entry.path);
        if (previous) remove(entry.path, () => true);
        continue;
      }
      const previous = files.get(entry.path);
      if (previous) {
        hiddenBytes += previous.size;
        overwrittenFiles += 1;
      }
      files.set(entry.path, { size: entry.size, mode: entry.mode, type: entry.type, layer });
      tally(entry.path, entry.size);
    }
  });
  let minimum = 0;
  let total = 0;
  let diveWastedBytes = 0;
  for (const sizes of versions.values()) {
    const sum = sizes.reduce((acc, size) => acc + size, 0);
    minimum += Math.min(...sizes);
    total += sum;
    if (sizes.length > 1) diveWastedBytes += sum;
  }
  return {
    files,
    efficiency: {
      score: total === 0 ? 1 : minimum / total,
      hiddenBytes,
      diveWastedBytes,
      overwrittenFiles,
      deletedFiles,
      whiteouts,
      opaqueDirectories,
    },
  };
}

const RULES: ReadonlyArray<[FileKind, RegExp]> = [
  ['certificates and time zones', /^(etc\/ssl|etc\/pki|usr\/share\/ca-certificates|usr\/share\/zoneinfo|etc\/ca-certificates)(\/|$)/],
  ['docs, man pages, locales', /^(usr\/share\/(doc|man|info|locale|i18n|lintian|help)|usr\/lib\/locale)(\/|$)/],
  ['package database', /^(var\/lib\/(dpkg|apt|rpm)|var\/cache\/(apt|apk|debconf)|lib\/apk|etc\/apk|var\/log\/(apt|dpkg))(\/|$)/],
  [
    'language runtime',
    new RegExp(
      '^(usr/lib/jvm|opt/java|usr/(local/)?lib/python3|usr/lib/python3\\.\\d+|usr/(local/)?bin/python|usr/(local/)?bin/pip|' +
        'nodejs|usr/(local/)?bin/(node|nodejs|npm|npx|corepack|yarn)$|usr/(local/)?(lib|share)/node(js|_modules)?|usr/local/include/node|' +
        'usr/(local/)?lib/go|usr/local/go|usr/lib/rustlib|usr/local/(cargo|rustup)|usr/lib/gcc|' +
        'usr/(local/)?bin/(java|javac|jar|go|cargo|rustc)$|' +
        'usr/share/(java|python3|gocode|openjdk))(/|$|[-.0-9])',
    ),
  ],
  [
    'C library',
    new RegExp(
      '^(usr/)?lib(64|32|x32)?/([a-z0-9_]+-linux-[a-z]+/)?(ld-linux[^/]*|ld-musl[^/]*|libc[.-][^/]*|libm[.-][^/]*|' +
        'libpthread[.-][^/]*|libdl[.-][^/]*|librt[.-][^/]*|libresolv[.-][^/]*|libutil[.-][^/]*|libnss_[^/]*|libmvec[^/]*|libanl[^/]*)$',
    ),
  ],
  ['shared libraries', /^(usr\/)?(local\/)?lib(64|32|x32)?\/.*\.so(\.[0-9.]+)?$/],
  ['shell and core utilities', /^(usr\/)?(local\/)?s?bin\//],
];

/** The kind of a file of the final filesystem: the app (its layers above the base) first, then by path. */
export function fileKind(entryPath: string, fromApp: boolean): FileKind {
  if (fromApp) return 'app';
  for (const [kind, pattern] of RULES) if (pattern.test(entryPath)) return kind;
  return 'other';
}

export interface KindTotal {
  kind: FileKind;
  files: number;
  bytes: number;
}

/** Files and bytes per kind in the final filesystem; layers from `appFrom` on are the app's. */
export function filesByKind(stacked: StackedImage, appFrom: number): KindTotal[] {
  const totals = new Map<FileKind, KindTotal>(fileKindSchema.options.map((kind) => [kind, { kind, files: 0, bytes: 0 }]));
  for (const [entryPath, file] of stacked.files) {
    const total = totals.get(fileKind(entryPath, file.layer >= appFrom))!;
    total.files += 1;
    total.bytes += file.size;
  }
  return [...totals.values()].filter((total) => total.files > 0);
}

/** Executables with the setuid or setgid bit: what a container running as root could be escalated through. */
export function setuidFiles(stacked: StackedImage): string[] {
  return [...stacked.files]
    .filter(([, file]) => file.type === 'file' && (file.mode & 0o6000) !== 0 && (file.mode & 0o111) !== 0)
    .map(([entryPath]) => `/${entryPath}`)
    .sort();
}
