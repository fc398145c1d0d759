/** The types of results.json, inferred from its schema (schema.ts): one source for each. */
import type { z } from 'zod';
import type * as baseSchema from './base-schema.js';
import type * as schema from './schema.js';

export type BaseSource = z.infer<typeof baseSchema.baseSource>;
export type BaseObtained = z.infer<typeof baseSchema.baseObtained>;
export type BaseFacts = z.infer<typeof baseSchema.baseFacts>;
export type FileKind = z.infer<typeof baseSchema.fileKind>;
export type LayerAnatomy = z.infer<typeof baseSchema.layerAnatomy>;
export type LayerEfficiency = z.infer<typeof baseSchema.layerEfficiency>;
export type ImageAnatomy = z.infer<typeof baseSchema.imageAnatomy>;
/** A base as the resolver gives it: where it came from and which image it is. */
export type ResolvedBase = z.infer<typeof baseSchema.resolvedBase>;
/** A base as the run records it, with the facts read off its image. */
export type ResolvedBaseRecord = z.infer<typeof baseSchema.resolvedBaseRecord>;
export type BaseUse = z.infer<typeof baseSchema.baseUse>;
export type Compression = z.infer<typeof schema.compression>;
export type ImageStore = z.infer<typeof schema.imageStore>;
export type LayerBlob = z.infer<typeof schema.layerBlob>;
export type RecompressedImage = z.infer<typeof schema.recompressedImage>;
export type ImageFacts = z.infer<typeof schema.imageFacts>;
export type PullFacts = z.infer<typeof schema.pullFacts>;
export type SampleKind = z.infer<typeof schema.sampleKind>;
export type Sample = z.infer<typeof schema.sample>;
export type ProbeCost = NonNullable<Sample['probe']>;
export type VariantState = z.infer<typeof schema.variantState>;
export type VariantResult = z.infer<typeof schema.variantResult>;
export type EngineRecord = z.infer<typeof schema.engineRecord>;
export type Provenance = z.infer<typeof schema.provenance>;
export type RunOptionsRecord = z.infer<typeof schema.runOptionsRecord>;
export type RunResults = z.infer<typeof schema.runResults>;
export type FanOutWave = z.infer<typeof schema.fanOutWave>;
