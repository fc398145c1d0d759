/**
 * The base catalog: every base a variant may name, by logical name, with the two ways to get it.
 * Upstream is the official image; local is a stand-in built here from Debian packages, for when
 * upstream registries can't be reached. Reports always say which one was measured.
 */
import path from 'node:path';
import { z } from 'zod';
import { InputError, inputErrorFrom, readYamlFile } from '../common/input-error.js';

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;

const packageList = z.array(z.string().regex(PACKAGE, 'a Debian package name')).min(1);

const LocalRecipeSchema = z.union(
  [
    /** The empty image: nothing to build or pull. */
    z.object({ empty: z.literal(true) }).strict(),
    /** A Debian root filesystem from mmdebstrap (minbase), imported as one layer. */
    z
      .object({
        mmdebstrap: z
          .object({
            suite: z.string().regex(NAME),
            /** Leave out docs, man pages, info and locales, as the official slim images do. */
            slim: z.boolean(),
          })
          .strict(),
      })
      .strict(),
    /** Debian packages installed with apt on top of another catalog base. */
    z
      .object({
        packages: z
          .object({
            from: z.string().regex(NAME),
            install: packageList,
            /** Also use <suite>-backports (e.g. for a newer Go on bookworm). */
            backports: z.boolean().default(false),
            env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'), z.string()).default({}),
            /**
             * remove: delete the Python bytecode (__pycache__) Debian's py3compile wrote at install, as the official
             * python images delete theirs; keep (default): leave what the packages installed.
             */
            bytecode: z.enum(['keep', 'remove']).default('keep'),
          })
          .strict(),
      })
      .strict(),
    /** A distroless-style image: the packages' files unpacked onto the empty image, no shell, no package manager. */
    z
      .object({
        distroless: z
          .object({
            from: z.string().regex(NAME),
            packages: packageList,
            /** Symbolic links to add, link → target (what maintainer scripts would have made). */
            links: z.record(z.string().startsWith('/'), z.string().startsWith('/')).default({}),
            entrypoint: z.array(z.string()).optional(),
            /** Environment the upstream image sets (distroless/python3: LANG=C.UTF-8). */
            env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'), z.string()).default({}),
          })
          .strict(),
      })
      .strict(),
  ],
  { error: 'must be one recipe: { empty: true }, { mmdebstrap: … }, { packages: … } or { distroless: … }' },
);

const BaseEntrySchema = z
  .object({
    name: z.string().regex(NAME, 'lowercase letters, digits, ".", "_" or "-"'),
    roles: z.array(z.enum(['builder', 'runtime', 'packer'])).min(1),
    /** The official reference, or "scratch". */
    upstream: z.string().min(1),
    /** null: no honest stand-in can be built here; `offline` says why. */
    local: LocalRecipeSchema.nullable(),
    offline: z.string().min(1).optional(),
    /** What differs between the stand-in and upstream (versions, suite), shown in reports. */
    note: z.string().min(1).optional(),
    /**
     * How the stand-in compares with its upstream where it matters at start, found from the upstream image's published
     * definition (its Dockerfile or build rules): whether it ships Python bytecode for its standard library, what it is
     * known to do alike, and what is known to differ (each named in the bases table and README).
     */
    fidelity: z
      .object({
        bytecode: z.enum(['none', 'stdlib']).optional(),
        upstreamDefinition: z.string().min(1),
        same: z.array(z.string().min(1)).default([]),
        differs: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

const CatalogSchema = z
  .object({
    /** Packages never unpacked into distroless images even when something depends on them: shells, dpkg, debconf… */
    distrolessExclude: z.array(z.string().regex(PACKAGE)).default([]),
    bases: z.array(BaseEntrySchema).min(1),
  })
  .strict();

export type LocalRecipe = z.output<typeof LocalRecipeSchema>;
export type BaseEntry = z.output<typeof BaseEntrySchema>;
export type BaseRole = BaseEntry['roles'][number];

export interface BaseCatalog {
  file: string;
  distrolessExclude: string[];
  bases: BaseEntry[];
}

export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/** The base a recipe builds on, if any. */
export function parentOf(recipe: LocalRecipe | null): string | undefined {
  if (!recipe) return undefined;
  if ('packages' in recipe) return recipe.packages.from;
  if ('distroless' in recipe) return recipe.distroless.from;
  return undefined;
}

/** Reads and validates a catalog file: schema, unique names, known parents, no cycles. */
export function loadCatalog(file: string): BaseCatalog {
  const parsed = CatalogSchema.safeParse(readYamlFile(file));
  if (!parsed.success) throw inputErrorFrom(file, parsed.error);
  const { bases, distrolessExclude } = parsed.data;
  const byName = new Map<string, number>();
  bases.forEach((entry, index) => {
    if (byName.has(entry.name)) throw new InputError(file, `bases[${index}].name`, `duplicate base name "${entry.name}"`);
    byName.set(entry.name, index);
  });
  bases.forEach((entry, index) => {
    const at = `bases[${index}]`;
    if (entry.local === null && !entry.offline) {
      throw new InputError(file, `${at}.offline`, 'a base without a local recipe must say why (offline)');
    }
    const parent = parentOf(entry.local);
    if (parent === undefined) return;
    const field = `${at}.local.${'packages' in entry.local! ? 'packages' : 'distroless'}.from`;
    const parentIndex = byName.get(parent);
    if (parentIndex === undefined) throw new InputError(file, field, `unknown base "${parent}"`);
    if (!bases[parentIndex]!.local) throw new InputError(file, field, `"${parent}" has no local recipe to build on`);
    const seen = new Set([entry.name]);
    for (let current: string | undefined = parent; current !== undefined; current = parentOf(bases[byName.get(current)!]!.local)) {
      if (seen.has(current)) throw new InputError(file, field, `"${entry.name}" is built on itself (via ${[...seen].join(' → ')})`);
      seen.add(current);
    }
  });
  return { file, distrolessExclude, bases };
}

export function findBase(catalog: BaseCatalog, name: string): BaseEntry | undefined {
  return catalog.bases.find((entry) => entry.name === name);
}

export function defaultCatalogFile(projectRoot: string): string {
  return path.join(projectRoot, 'scenarios', 'bases.yaml');
}
