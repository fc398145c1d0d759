import type { Compression, EngineRecord, RunResults, Sample, VariantResult } from './types.js';

/**
 * A run measured on several engines, and with several layer compressions, read one
 * (engine, compression) at a time: the article's tables and every summary statistic are computed
 * on one view, so numbers from different engines or compressions never mix in a median.
 */

/** Engines of the run, in the order given; the first built the images. */
export const enginesOf = (results: RunResults): EngineRecord[] => results.provenance.engines;

const primaryEngine = (results: RunResults): string => enginesOf(results)[0]!.name;

export interface View {
  engine: EngineRecord;
  compression: Compression;
  results: RunResults;
}

/** Pure: the run with only one engine's samples of one compression (warm samples count as gzip: they pull nothing). */
export function viewOn(results: RunResults, engine: string, compression: Compression = 'gzip'): RunResults {
  const record = enginesOf(results).find((item) => item.name === engine);
  if (!record)
    throw new Error(
      `run ${results.runId} has no engine "${engine}" (it has ${enginesOf(results)
        .map((item) => item.name)
        .join(', ')})`,
    );
  const keep = (sample: Sample) => sample.engine === engine && sample.compression === compression;
  const variants = results.variants.map((variant): VariantResult => {
    const copy = variant.image?.recompressed?.find((item) => item.compression === compression);
    const image =
      variant.image && copy
        ? { ...variant.image, ref: copy.ref, digest: copy.digest, compressedBytes: copy.compressedBytes, layers: copy.layers }
        : variant.image;
    return { ...variant, ...(image ? { image } : {}), samples: variant.samples.filter(keep) };
  });
  return {
    ...results,
    provenance: { ...results.provenance, engines: [record] },
    variants,
  };
}

/** Every (engine, compression) the run has samples for, the primary (first engine, gzip) first. */
export function views(results: RunResults): View[] {
  return enginesOf(results).flatMap((engine) =>
    (['gzip', 'zstd'] as const)
      .filter(
        (compression) =>
          compression === 'gzip' ||
          results.variants.some((variant) =>
            variant.samples.some((sample) => sample.engine === engine.name && sample.compression === compression),
          ),
      )
      .map((compression) => ({ engine, compression, results: viewOn(results, engine.name, compression) })),
  );
}

/** The view the article's tables and the chart are drawn from: the first engine, gzip layers. */
export const primaryView = (results: RunResults): RunResults =>
  enginesOf(results).length > 1 || hasZstd(results) ? viewOn(results, primaryEngine(results)) : results;

export const hasZstd = (results: RunResults): boolean => results.options.compressions.includes('zstd');
