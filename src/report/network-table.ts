import { idealTransferMs } from '../network/profiles.js';
import type { RunResults } from '../results/types.js';
import { mb, ms } from './format.js';
import { coldPull, coldTotal, measured, medianOf } from './query.js';
import type { Table } from './table.js';

/** Sequential request round trips of a pull that no bandwidth hides: /v2/, manifest, then the blobs. */
export const PULL_ROUND_TRIPS = 3;

/** Cold start per network profile: pull against what the link alone would allow. */
export function networkTable(results: RunResults): Table {
  const profiles = results.options.profiles;
  const rows = results.variants
    .filter((variant) => variant.image)
    .flatMap((variant) =>
      profiles.flatMap((profile) => {
        if (!measured(variant, profile.name)) return [];
        const bytes = medianOf(variant, 'cold', (sample) => sample.pull?.bytesTransferred, profile.name) ?? variant.image!.compressedBytes;
        const ideal =
          profile.bitsPerSecond === undefined
            ? undefined
            : idealTransferMs(
                { name: profile.name, bitsPerSecond: profile.bitsPerSecond, rttMs: profile.rttMs ?? 0 },
                bytes,
                PULL_ROUND_TRIPS,
              );
        const pull = coldPull(variant, profile.name)!;
        return [
          [
            variant.id,
            profile.name,
            mb(bytes),
            ms(pull),
            ms(ideal),
            ideal === undefined ? '–' : `${(pull / ideal).toFixed(2)}×`,
            ms(coldTotal(variant, profile.name)),
          ],
        ];
      }),
    );
  return {
    id: 'network',
    title: 'Cold start per network profile',
    header: ['variant', 'profile', 'bytes pulled', 'pull', 'link ideal', 'pull / ideal', 'cold total'],
    rows,
    numeric: [false, false, true, true, true, true, true],
    notes: [
      `Profiles shape the path between the engine and the registry (a throttling proxy on 127.0.0.1). Link ideal = bytes × 8 / rate + ` +
        `${PULL_ROUND_TRIPS} round trips; “none” is the direct path, where a pull measures mostly extraction.`,
    ],
  };
}
