import type { FileKind, ImageAnatomy, ResolvedBaseRecord, RunResults, SampleKind, VariantResult } from '../results/types.js';
import { fileKind } from '../results/base-schema.js';
import { mb, ms } from './format.js';
import { medianOf, primaryProfile } from './query.js';
import { picksOf } from './answer-table.js';
import { decisionWords, type PickVerdict } from './verdicts.js';
import type { Table } from './table.js';

const percent = (share: number) => `${(share * 100).toFixed(share < 0.995 ? 1 : 0)}%`;

const DIVE =
  'Efficiency as dive defines it (README, "Image anatomy"): the sum over paths of their smallest version over the sum of all versions.';

const withAnatomy = (results: RunResults) =>
  results.variants.filter((variant): variant is VariantResult & { image: { anatomy: ImageAnatomy } } => !!variant.image?.anatomy);

/** The runtime bases of the run that could be read, in the order variants first use them. */
export function runtimeBasesWithAnatomy(results: RunResults): Array<ResolvedBaseRecord & { facts: { anatomy: ImageAnatomy } }> {
  const names = [
    ...new Set(results.variants.flatMap((variant) => variant.bases.filter((base) => base.role === 'runtime').map((base) => base.name))),
  ];
  return names.flatMap((name) => {
    const base = results.bases.find((candidate) => candidate.name === name);
    return base?.facts?.anatomy ? [base as ResolvedBaseRecord & { facts: { anatomy: ImageAnatomy } }] : [];
  });
}

/** Compressed bytes of the layers above the runtime base: what a node with the base cached still pulls. */
const bytesAboveBase = (anatomy: ImageAnatomy) =>
  anatomy.layers.filter((layer) => layer.origin !== 'base').reduce((sum, layer) => sum + layer.compressedBytes, 0);

const bytesOf = (anatomy: ImageAnatomy, kind: FileKind) => anatomy.kinds.find((total) => total.kind === kind)?.bytes ?? 0;

/** Pure: per base, the bytes of each kind of file (app excluded: a base has none), for the table and the chart. */
export function kindBytesPerBase(results: RunResults): Array<{ base: string; bytes: Record<FileKind, number> }> {
  return runtimeBasesWithAnatomy(results).map((base) => ({
    base: base.name,
    bytes: Object.fromEntries(fileKind.options.map((kind) => [kind, bytesOf(base.facts.anatomy, kind)])) as Record<FileKind, number>,
  }));
}

const BASE_KINDS = fileKind.options.filter((kind) => kind !== 'app');

/** An image by name with what it holds: a variant, a base, or an image named on the command line. */
export interface NamedAnatomy {
  name: string;
  anatomy: ImageAnatomy;
}

/** What each runtime base is made of, by kind of file, with its efficiency and setuid executables. */
export function kindsTable(results: RunResults): Table {
  return kindsTableOf(runtimeBasesWithAnatomy(results).map((base) => ({ name: base.name, anatomy: base.facts.anatomy })));
}

export function kindsTableOf(images: readonly NamedAnatomy[], kinds: readonly FileKind[] = BASE_KINDS): Table {
  const rows = images.map(({ name, anatomy }) => {
    const total = anatomy.kinds.reduce((sum, kind) => sum + kind.bytes, 0);
    return [
      name,
      mb(total),
      ...kinds.map((kind) => mb(bytesOf(anatomy, kind))),
      String(anatomy.setuid.length),
      percent(anatomy.efficiency.score),
    ];
  });
  return {
    id: 'kinds',
    title: 'What each base is made of: bytes by kind of file',
    header: ['base', 'files total', ...kinds, 'setuid/setgid', 'efficiency'],
    rows,
    numeric: [false, ...Array<boolean>(kinds.length + 3).fill(true)],
    notes: [
      "Read from each base's own layers as pushed to the run's registry: the final filesystem (after whiteouts), sorted by path " +
        '(measure/layer-files.ts has the rules). Bytes are file sizes, before compression.',
      DIVE,
    ],
  };
}

/** Per variant: layers by origin, the bytes stacking them hides, and dive's score. */
export function efficiencyTable(results: RunResults): Table {
  return efficiencyTableOf(withAnatomy(results).map((variant) => ({ name: variant.id, anatomy: variant.image.anatomy })));
}

export function efficiencyTableOf(images: readonly NamedAnatomy[]): Table {
  const rows = images.map(({ name, anatomy }) => {
    const { layers, efficiency } = anatomy;
    const count = (origin: string) => layers.filter((layer) => layer.origin === origin).length;
    const appBytes = bytesAboveBase(anatomy);
    return [
      name,
      `${count('base')} / ${count('builder output')} / ${count('app')}`,
      mb(appBytes),
      percent(efficiency.score),
      mb(efficiency.hiddenBytes),
      mb(efficiency.diveWastedBytes),
      `${efficiency.overwrittenFiles} / ${efficiency.deletedFiles}`,
      `${efficiency.whiteouts} / ${efficiency.opaqueDirectories}`,
    ];
  });
  return {
    id: 'efficiency',
    title: 'Layers and what stacking them wastes',
    header: [
      'variant',
      'layers: base / builder output / app',
      'above the base (compressed)',
      'efficiency',
      'hidden bytes',
      "dive's potential waste",
      'files overwritten / deleted',
      'whiteouts / opaque dirs',
    ],
    rows,
    numeric: [false, false, true, true, true, true, false, false],
    notes: [
      'Hidden bytes: what lower layers hold that a later layer overwrites or deletes, pulled and extracted but never seen. ' +
        "dive's potential waste counts every version of such paths, the surviving one included.",
      DIVE,
      'Every layer with its instruction is in anatomy.md.',
    ],
  };
}

/** A pick in words: the winner, or the candidates it could not be told from. */
const pickName = (verdict: PickVerdict) =>
  verdict.winner ? verdict.winner.variant : `a tie between ${verdict.tie.map((variant) => variant.variant).join(', ')}`;

/** Per language, the cold pick against the pick with the base cached, each decided as the answer decides it. */
function pickChanges(results: RunResults): string[] {
  const picks = picksOf(results);
  return [...new Set(picks.map((entry) => entry.language))].flatMap((language) => {
    const of = (kind: SampleKind) => picks.find((entry) => entry.language === language && entry.verdict.kind === kind)?.verdict;
    const [cold, cached] = [of('cold'), of('base-cached')];
    // One candidate is no choice.
    if (!cold || !cached || cold.ranked.length < 2) return [];
    if (pickName(cold) === pickName(cached)) return [`${language}: ${pickName(cold)}, cold and with the base cached.`];
    const versus = cold.winner && cached.against.find((entry) => entry.variant === cold.winner);
    const why = versus ? ` (against ${cold.winner!.variant}: ${decisionWords(versus.decision)})` : '';
    return [`${language}: cold, ${pickName(cold)}; with the base cached, ${pickName(cached)}${why}.`];
  });
}

/**
 * Cold, base-cached and warm side by side: what a node that already runs something on the same base saves, and whether
 * that changes the per-language pick.
 */
export function cacheTable(results: RunResults): Table {
  const profile = primaryProfile(results);
  const total = (variant: VariantResult, kind: SampleKind) => medianOf(variant, kind, (sample) => sample.totalMs, profile);
  const rows = results.variants
    .filter((variant) => total(variant, 'cold') !== undefined)
    .map((variant) => {
      const cold = total(variant, 'cold')!;
      const cached = total(variant, 'base-cached');
      const appBytes = variant.image?.anatomy ? bytesAboveBase(variant.image.anatomy) : undefined;
      return [
        variant.id,
        mb(variant.image?.compressedBytes),
        mb(appBytes),
        ms(cold),
        cached === undefined ? '– (nothing to cache: no base layers)' : ms(cached),
        ms(medianOf(variant, 'base-cached', (sample) => sample.pullMs, profile)),
        cached === undefined ? '–' : `${(cached / cold).toFixed(2)}×`,
        ms(total(variant, 'warm')),
      ];
    });
  return {
    id: 'base-cached',
    title: 'Cold, base-cached and warm',
    header: [
      'variant',
      'compressed',
      'above the base',
      'cold total',
      'base-cached total',
      'base-cached pull',
      'base-cached / cold',
      'warm total',
    ],
    rows,
    numeric: [false, true, true, true, true, true, true, true],
    notes: [
      "Base-cached: the runtime base's layers were pulled before the sample and checked present, the app's checked absent; only the " +
        "app's layers are pulled (the registry's log is the proof). A variant on scratch has nothing to cache. Medians, direct path.",
      'Whether the pick changes once the base is cached (the picks of the answer, each decided round by round):',
      ...pickChanges(results),
    ],
  };
}

/** anatomy.md: every layer of every variant with the instruction that made it. */
export function layersTable(results: RunResults): Table {
  return layersTableOf(withAnatomy(results).map((variant) => ({ name: variant.id, anatomy: variant.image.anatomy })));
}

export function layersTableOf(images: readonly NamedAnatomy[]): Table {
  const rows = images.flatMap(({ name, anatomy }) =>
    anatomy.layers.map((layer, index) => [
      name,
      String(index + 1),
      layer.origin,
      layer.createdBy.length > 90 ? `${layer.createdBy.slice(0, 89)}…` : layer.createdBy,
      mb(layer.compressedBytes),
      mb(layer.fileBytes),
      String(layer.files),
      layer.digest.slice(7, 19),
    ]),
  );
  return {
    id: 'layers',
    title: 'Every layer',
    header: ['image', '#', 'origin', 'made by', 'compressed', 'files (bytes)', 'entries', 'blob'],
    rows,
    numeric: [false, true, false, false, true, true, true, false],
    notes: [
      "origin: base (the runtime base's own layers, by diff ID), builder output (a COPY --from of a build stage), app (the rest). " +
        "'made by' is the Dockerfile's line where its last stage matched the layers one to one, else the image history's.",
    ],
  };
}

/** Layers that more than one variant ships: what a node pulls once for all of them. */
export function sharedLayersTable(results: RunResults): Table {
  const baseOf = (id: string) => results.variants.find((variant) => variant.id === id)?.bases.find((base) => base.role === 'runtime')?.name;
  return sharedLayersTableOf(
    withAnatomy(results).map((variant) => ({ name: variant.id, anatomy: variant.image.anatomy })),
    baseOf,
  );
}

export function sharedLayersTableOf(
  images: readonly NamedAnatomy[],
  baseOf: (name: string) => string | undefined = () => undefined,
): Table {
  const users = new Map<string, { bytes: number; origin: string; variants: string[] }>();
  for (const { name, anatomy } of images) {
    for (const layer of anatomy.layers) {
      const entry = users.get(layer.digest) ?? { bytes: layer.compressedBytes, origin: layer.origin, variants: [] };
      entry.variants.push(name);
      users.set(layer.digest, entry);
    }
  }
  const rows = [...users]
    .filter(([, entry]) => entry.variants.length > 1)
    .sort(([, a], [, b]) => b.bytes - a.bytes)
    .map(([digest, entry]) => [
      digest.slice(7, 19),
      mb(entry.bytes),
      (entry.origin === 'base' ? baseOf(entry.variants[0]!) : undefined) ?? entry.origin,
      String(entry.variants.length),
      entry.variants.join(', '),
    ]);
  return {
    id: 'shared-layers',
    title: 'Layers shared between variants',
    header: ['blob', 'compressed', 'base (or origin)', 'variants', 'shipped by'],
    rows,
    numeric: [false, true, false, true, false],
    notes: ['The same blob digest in several images: a node that has pulled one of them pulls it for none of the others.'],
  };
}
