import { engineLabel } from './engine-label.js';
import type { Provenance, RunResults } from '../results/types.js';
import { hostLabel, hostsDifferNote } from './hosts.js';
import { looksTaken } from './query.js';
import { enginesOf } from '../results/views.js';
import { kindsTakenText, repeatsText } from '../results/sample-kinds.js';

const SOURCE_TEXT: Record<string, string> = { local: 'local stand-ins built from Debian packages' };

const ENGINES_LEAD = "Engines (the first built the images; the article's tables and the chart are from its samples)";

/** "basebench 0.1.0 at 0123456789ab (uncommitted changes)": the harness as every report and benchmark page names it. */
export function harnessText(harness: Provenance['harness']): string {
  const commit = /^[0-9a-f]{40}$/.test(harness.gitCommit) ? harness.gitCommit.slice(0, 12) : harness.gitCommit;
  return `basebench ${harness.version} at ${commit}${harness.gitDirty ? ' (uncommitted changes)' : ''}`;
}

const STOPPED_WORDS = { decided: 'decided', cap: 'at the cap', budget: 'out of time budget' } as const;

/** How many samples were asked for: fixed repeats, or sampling until decided and why each variant stopped. */
export function samplingText(results: RunResults): string {
  const { options } = results;
  const sequential = options.sequential;
  if (!sequential) return `${repeatsText(options)} sample(s) per variant ` + `after ${options.warmup} warm-up(s) of each`;
  const stoppedBy = new Map<string, number>();
  for (const { sampling } of results.variants) {
    if (!sampling) continue;
    const why = `${STOPPED_WORDS[sampling.reason]} after ${sampling.rounds} round(s)`;
    stoppedBy.set(why, (stoppedBy.get(why) ?? 0) + 1);
  }
  const stopped = [...stoppedBy].map(([why, count]) => `${why}: ${count}`).join(', ');
  const kinds = kindsTakenText(options);
  // A sample per variant is one per engine, and a cold one per layer compression and network profile.
  const paths = [
    ...(options.compressions.length > 1 ? ['layer compression'] : []),
    ...(options.profiles.length > 1 ? ['network profile'] : []),
  ];
  const engines = enginesOf(results).length > 1 ? ' on each engine' : '';
  const where = engines + (paths.length > 0 ? ` (cold ones with each ${paths.join(' and ')})` : '');
  const [looks, planned] = [looksTaken(results).join(', ') || 'none yet', sequential.looks.join(', ')];
  return (
    `sampled until decided: one ${kinds} sample per variant${where} in every round after ${options.warmup} warm-up round(s), ` +
    `looks after rounds ${looks}${looks === planned ? '' : ` (planned: ${planned})`} at ${(sequential.lookLevel * 100).toFixed(1)}% ` +
    `each (at most ${sequential.maxRounds} rounds` +
    `${sequential.budgetMs ? `, ${Math.round(sequential.budgetMs / 60_000)} min` : ''}); variants stopped ${stopped || 'not yet'}`
  );
}

/**
 * One paragraph a reader needs to weigh the numbers: where, on what, with which bases; and, for a
 * report rendered again later (`basebench report`), the code that drew it, when it is not the
 * code that measured.
 */
export function provenanceLines(results: RunResults, renderedBy?: Provenance['harness']): string[] {
  const { provenance: p, options } = results;
  const platforms = [...new Set(results.variants.flatMap((variant) => (variant.image?.platform ? [variant.image.platform] : [])))];
  const sources = ['upstream', 'local', 'empty'].map(
    (source) => [source, results.bases.filter((base) => base.source === source).length] as const,
  );
  return [
    `Run ${results.runId} (${results.state}), ${results.startedAt}${results.finishedAt ? ` to ${results.finishedAt}` : ''}.`,
    `Host: ${p.host.cpuCount} × ${p.host.cpuModel}, ${(p.host.memoryBytes / 2 ** 30).toFixed(0)} GiB, kernel ${p.host.kernel}, ` +
      `${p.host.platform}${platforms.length > 0 ? `; images for ${platforms.join(', ')}` : ''}.`,
    `${p.engines.length > 1 ? ENGINES_LEAD : 'Engine'}: ${p.engines
      .map(
        (engine) =>
          `${engineLabel(engine)}, API ${engine.apiVersion}, ${engine.storageDriver}, cgroup v${engine.cgroupVersion}, ` +
          `${engine.operatingSystem}; ${engine.origin}`,
      )
      .join('; ')}. Registry: ${p.registry.kind} (${p.registry.version}).`,
    ...(p.container
      ? [
          `Every measured container: ${p.container.network}; ulimits ${p.container.ulimits.join(', ')}; user: ${p.container.user}; ` +
            `privileges: ${p.container.privileges}.`,
        ]
      : []),
    `Bases (--bases ${p.bases.mode}): ` +
      `${sources.map(([source, count]) => `${count} ${SOURCE_TEXT[source] ?? source}`).join(', ')}; ` +
      'digests in the bases table of summary.md and in results.json.' +
      (p.bases.mirrors?.length ? ` Mirrors: ${p.bases.mirrors.map((mirror) => `${mirror.registry} → ${mirror.via}`).join(', ')}.` : ''),
    ...(options.set === 'current'
      ? [
          "Base set: current (today's releases: Debian 13, Python 3.13, Node.js 24, Java 25, the newest Go and Rust); the article's " +
            'figures in brackets are for its own, older bases.',
        ]
      : []),
    ...(p.bases.rehearsal
      ? [
          'Rehearsal of the upstream path: the "upstream" bases are local stand-ins pushed under upstream names; the code path is ' +
            "upstream's, the bytes are not.",
        ]
      : []),
    `Samples: ${samplingText(results)}. Harness: ${harnessText(p.harness)}.`,
    ...(renderedBy && harnessText(renderedBy) !== harnessText(p.harness)
      ? [`Rendered again by ${harnessText(renderedBy)}: the figures are results.json's; tables, charts and words are that code's.`]
      : []),
    ...(results.mergedFrom
      ? [
          `Merged from ${results.mergedFrom.length} runs: ${results.mergedFrom
            .map((part) => `${part.runId} on ${hostLabel(part.provenance.host)}: ${part.variants.join(', ')}`)
            .join('; ')}.`,
          ...(hostsDifferNote(results) ? [hostsDifferNote(results)!] : []),
        ]
      : []),
  ];
}
