import { z } from 'zod';

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;

const VariantSchema = z
  .object({
    name: z.string().regex(NAME, 'lowercase letters, digits, ".", "_" or "-"'),
    /** Path relative to the scenario file. */
    dockerfile: z.string().min(1),
    /**
     * Logical base names from the catalog, passed to the build as BUILDER_IMAGE, PACKER_IMAGE and
     * BASE_IMAGE; any catalog base may be a builder. The runtime base may instead name an image
     * directly, `{ image: nginx:1.27 }`, with no catalog entry.
     */
    builder: z.string().min(1).optional(),
    packer: z.string().min(1).optional(),
    base: z.union([z.string().min(1), z.object({ image: z.string().min(1) }).strict()]),
    buildArgs: z.record(z.string(), z.string()).default({}),
    /** Path of the app's binary in the image, to record its size. */
    binary: z.string().startsWith('/').optional(),
    /** This variant is `upxOf` with its binary packed by UPX. */
    upxOf: z.string().regex(NAME).optional(),
    /** This variant is `bytecodeOf` with the standard library's and the app's Python bytecode compiled in. */
    bytecodeOf: z.string().regex(NAME).optional(),
    /** Part of the quick subset (`--quick`) used by tests and smoke runs. */
    quick: z.boolean().default(false),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    app: z
      .object({
        name: z.string().regex(NAME, 'lowercase letters, digits, ".", "_" or "-"'),
        /** Any label; go, rust, node, python and java have the article's tables, every language is in the chart and "all variants". */
        language: z.string().regex(NAME, 'lowercase letters, digits, ".", "_" or "-"'),
        /** Build context folder, relative to the scenario file. */
        source: z.string().min(1),
        port: z.number().int().min(1).max(65535),
        path: z.string().startsWith('/'),
        expect: z
          .object({
            status: z.number().int().min(100).max(599).default(200),
            body: z.string().min(1),
          })
          .strict(),
      })
      .strict(),
    variants: z.array(VariantSchema).min(1),
  })
  .strict();

export type ScenarioDefinition = z.output<typeof ScenarioSchema>;
export type VariantDefinition = ScenarioDefinition['variants'][number];
