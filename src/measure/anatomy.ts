import type { ImageAnatomy, LayerAnatomy, LayerBlob } from '../results/types.js';
import { filesByKind, type LayerEntry, setuidFiles, stackLayers } from './layer-files.js';
import { fetchLayerEntries } from './layer-reader.js';

/** An image in a registry: its repository there, its layer blobs and config blob. */
export interface RegistryImage {
  registryUrl: string;
  repository: string;
  layers: readonly LayerBlob[];
  config: LayerBlob;
}

interface ImageConfig {
  history?: Array<{ created_by?: string; empty_layer?: boolean }>;
}

/** How many of the image's lowest layers are its runtime base's: the diff IDs they have in common, from the bottom. */
export function baseLayerCount(imageDiffIds: readonly string[], baseDiffIds: readonly string[]): number {
  let count = 0;
  while (count < imageDiffIds.length && count < baseDiffIds.length && imageDiffIds[count] === baseDiffIds[count]) count += 1;
  return count;
}

/**
 * The layer-making instructions (COPY, ADD, RUN) of a Dockerfile's last stage, in order, with
 * continuation lines joined: what the image's own layers were made by.
 */
export function finalStageInstructions(dockerfile: string): string[] {
  const lines = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '' && !line.startsWith('#'));
  const lastFrom = lines.reduce((last, line, index) => (/^FROM\s/i.test(line) ? index : last), -1);
  return lines.slice(lastFrom + 1).filter((line) => /^(COPY|ADD|RUN)\s/i.test(line));
}

/** "/bin/sh -c #(nop) COPY file:ab12… in /server" → "COPY file:ab12… in /server". */
function historyText(createdBy: string | undefined): string {
  return (createdBy ?? '')
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/ # buildkit$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Each layer's instruction and origin. Layers below `baseLayers` are the base's. Above it, the
 * image history says COPY or RUN but not from where; where the Dockerfile's last stage has as
 * many layer-making instructions as there are app layers, they are matched in order, and a
 * COPY --from marks builder output.
 */
export function describeLayers(
  layers: readonly LayerBlob[],
  config: ImageConfig,
  baseLayers: number,
  instructions: readonly string[] | undefined,
): Array<Pick<LayerAnatomy, 'createdBy' | 'origin'>> {
  const made = (config.history ?? [])
    .filter((entry) => !entry.empty_layer)
    .map((entry) => historyText(entry.created_by) || '(no instruction recorded: an imported root filesystem)');
  const appCount = layers.length - baseLayers;
  const matched = instructions && instructions.length === appCount ? instructions : undefined;
  return layers.map((_, index) => {
    if (index < baseLayers) return { createdBy: made[index] ?? '', origin: 'base' as const };
    const instruction = matched?.[index - baseLayers];
    if (instruction) return { createdBy: instruction, origin: /^COPY\s.*--from=/i.test(instruction) ? 'builder output' : 'app' };
    return { createdBy: made[index] ?? '', origin: 'app' as const };
  });
}

/**
 * Reads an image's layers from its registry, headers only, and works out where its bytes are:
 * each layer's size and instruction, the efficiency of stacking them, the final filesystem by kind
 * of file (the app being what is above the base), and its setuid executables.
 */
export async function readAnatomy(image: RegistryImage, baseLayers: number, instructions?: readonly string[]): Promise<ImageAnatomy> {
  const configResponse = await fetch(`${image.registryUrl}/v2/${image.repository}/blobs/${image.config.digest}`);
  if (!configResponse.ok) throw new Error(`image config: registry answered HTTP ${configResponse.status}`);
  const config = (await configResponse.json()) as ImageConfig;
  const entries: LayerEntry[][] = [];
  for (const layer of image.layers) {
    entries.push(await fetchLayerEntries(image.registryUrl, image.repository, layer.digest, layer.mediaType));
  }
  const stacked = stackLayers(entries);
  const described = describeLayers(image.layers, config, baseLayers, instructions);
  return {
    layers: image.layers.map((layer, index) => ({
      digest: layer.digest,
      compressedBytes: layer.size,
      fileBytes: entries[index]!.reduce((sum, entry) => sum + entry.size, 0),
      files: entries[index]!.length,
      ...described[index]!,
    })),
    efficiency: stacked.efficiency,
    kinds: filesByKind(stacked, baseLayers),
    setuid: setuidFiles(stacked),
  };
}
