import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBIAN_MIRROR, findBase, parentOf, type BaseCatalog, type BaseEntry } from './catalog.js';

/** Bump when the way recipes become images changes, so cached bases are rebuilt. */
const RECIPE_FORMAT = 3;

const ASSEMBLER = 'assemble-distroless.sh';
const ASSEMBLER_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'recipes', ASSEMBLER);

/** A build context for a recipe that is a Dockerfile on top of its parent (passed as FROM_IMAGE). */
export interface RenderedRecipe {
  dockerfile: string;
  files: Record<string, string>;
}

/** The Debian suite at the root of a base's chain of parents. */
function suiteOf(entry: BaseEntry, catalog: BaseCatalog): string {
  const recipe = entry.local;
  if (recipe && 'mmdebstrap' in recipe) return recipe.mmdebstrap.suite;
  const parent = parentOf(recipe);
  const parentEntry = parent === undefined ? undefined : findBase(catalog, parent);
  if (!parentEntry) throw new Error(`${catalog.file}: base "${entry.name}" is not built from a Debian suite`);
  return suiteOf(parentEntry, catalog);
}

export const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function renderRecipe(entry: BaseEntry, catalog: BaseCatalog): RenderedRecipe | undefined {
  const recipe = entry.local;
  if (!recipe) return undefined;
  if ('packages' in recipe) {
    const { install, backports, env, bytecode } = recipe.packages;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile build argument, not a template
    const lines = ['ARG FROM_IMAGE', 'FROM ${FROM_IMAGE}'];
    const addBackports = backports
      ? `echo "deb ${DEBIAN_MIRROR} ${suiteOf(entry, catalog)}-backports main" > /etc/apt/sources.list.d/backports.list \\\n && `
      : '';
    // Slim bases have no /usr/share/man, and some maintainer scripts (OpenJDK's) link man pages into it. The stand-ins
    // carry the official images' docker-clean, which removes downloaded packages; apt-get clean does it again so that a
    // recipe doesn't rely on it (before either, python-3.12-slim's stand-in carried 97 MB of packages).
    lines.push(
      `RUN ${addBackports}mkdir -p /usr/share/man/man1 \\\n && apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get install ` +
        `-y --no-install-recommends ${install.join(' ')} \\\n && apt-get clean && rm -rf /var/lib/apt/lists/*` +
        // The official python images delete the standard library's bytecode after installing (find … -name '*.pyc' … rm);
        // /usr/share/python3 holds Debian's own helpers (py3versions, debpython), compiled too and absent upstream.
        (bytecode === 'remove'
          ? ' \\\n && find /usr/lib /usr/share/python3 -depth -type d -name __pycache__ -path "*/python3*" -exec rm -rf {} +'
          : ''),
    );
    for (const [name, value] of Object.entries(env)) lines.push(`ENV ${name}=${value}`);
    return { dockerfile: `${lines.join('\n')}\n`, files: {} };
  }
  if ('distroless' in recipe) {
    const { packages, links, entrypoint, env } = recipe.distroless;
    const makeLinks = Object.entries(links).map(
      ([link, target]) => ` && mkdir -p /rootfs${path.posix.dirname(link)} && ln -sf ${target} /rootfs${link} \\\n`,
    );
    const lines = [
      'ARG FROM_IMAGE',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile build argument, not a template
      'FROM ${FROM_IMAGE} AS assemble',
      `COPY ${ASSEMBLER} /usr/local/bin/assemble-distroless`,
      'RUN apt-get update \\\n' +
        ' && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \\\n' +
        ` && assemble-distroless /rootfs ${shellQuote(catalog.distrolessExclude.join(' '))} ${packages.join(' ')} \\\n` +
        makeLinks.join('') +
        ' && rm -rf /var/lib/apt/lists/*',
      '',
      'FROM scratch',
      'COPY --from=assemble /rootfs/ /',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      ...Object.entries(env).map(([name, value]) => `ENV ${name}=${value}`),
      ...(entrypoint ? [`ENTRYPOINT ${JSON.stringify(entrypoint)}`] : []),
    ];
    return { dockerfile: `${lines.join('\n')}\n`, files: { [ASSEMBLER]: readFileSync(ASSEMBLER_SOURCE, 'utf8') } };
  }
  return undefined;
}

/** A recipe as hashed: fields at their defaults left out, so adding a field with a default rebuilds no cached stand-in. */
function withoutDefaults(recipe: BaseEntry['local']): unknown {
  if (!recipe) return recipe;
  if ('packages' in recipe) {
    const { bytecode, ...rest } = recipe.packages;
    return { packages: bytecode === 'keep' ? rest : recipe.packages };
  }
  if ('distroless' in recipe) {
    const { env, ...rest } = recipe.distroless;
    return { distroless: Object.keys(env).length === 0 ? rest : recipe.distroless };
  }
  return recipe;
}

/** A content hash of a base's recipe, its rendered build files and, recursively, its parents. */
export function recipeHash(entry: BaseEntry, catalog: BaseCatalog): string {
  const parentName = parentOf(entry.local);
  const parent = parentName === undefined ? undefined : findBase(catalog, parentName);
  const material = JSON.stringify({
    format: RECIPE_FORMAT,
    name: entry.name,
    recipe: withoutDefaults(entry.local),
    rendered: renderRecipe(entry, catalog) ?? null,
    exclude: entry.local && 'distroless' in entry.local ? catalog.distrolessExclude : null,
    parent: parent ? recipeHash(parent, catalog) : null,
  });
  return createHash('sha256').update(material).digest('hex');
}
