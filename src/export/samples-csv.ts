import { stringify } from 'csv-stringify/sync';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { millis } from '../report/format.js';
import { memoryFigures, runtimeBaseOf } from '../report/query.js';
import { detectionDelay, probeLag } from '../report/timeline-table.js';

/** The image a sample pulled: the gzip one, or its zstd copy. */
function imageOf(variant: VariantResult, sample: Sample): { digest: string; compressedBytes: number } | undefined {
  return variant.image?.recompressed?.find((copy) => copy.compression === sample.compression) ?? variant.image;
}

/** One row per sample (a repetition of a cold or warm start). Columns are listed in README. */
export const SAMPLE_COLUMNS = [
  'run_id',
  'variant_id',
  'language',
  'runtime_base_source',
  'image_digest',
  'compressed_bytes',
  'uncompressed_bytes',
  'engine',
  'compression',
  'kind',
  'round',
  'repetition',
  'warmup',
  'state',
  'pull_ms',
  'transfer_ms',
  'extract_tail_ms',
  'create_ms',
  'start_ms',
  'start_to_first_response_ms',
  'total_ms',
  'layers_pulled',
  'bytes_served',
  'cold_proof',
  'probe_attempts',
  'probe_cpu_ms',
  'rss_bytes',
  'file_mapped_bytes',
  'dirty_bytes_at_start',
  'http_status',
  'error',
  'process_started_ms',
  'app_entered_ms',
  'app_listening_ms',
  'detection_delay_ms',
  'probe_skipped',
  'forwarder_cpu_ms',
  'probe_lag_ms',
  'anon_bytes',
  'pss_bytes',
  'memory_unknown',
  'engine_anon_bytes',
  'engine_file_mapped_bytes',
] as const;

export function samplesCsv(results: RunResults): string {
  const rows = results.variants.flatMap((variant) =>
    variant.samples.map((sample) => [
      results.runId,
      variant.id,
      variant.language,
      runtimeBaseOf(variant)?.source ?? '',
      imageOf(variant, sample)?.digest ?? '',
      imageOf(variant, sample)?.compressedBytes ?? '',
      variant.image?.uncompressedBytes ?? '',
      sample.engine,
      sample.compression,
      sample.kind,
      sample.round ?? '',
      sample.repetition,
      sample.warmup ? 'yes' : '',
      sample.state,
      millis(sample.pullMs),
      millis(sample.pull?.transferMs),
      millis(sample.pull?.extractTailMs),
      millis(sample.createMs),
      millis(sample.startMs),
      millis(sample.startToFirstResponseMs),
      millis(sample.totalMs),
      sample.pull?.layersPulled ?? '',
      sample.pull?.bytesServed ?? '',
      sample.pull?.proof ?? '',
      sample.probe?.attempts ?? '',
      sample.probe ? sample.probe.cpuMs.toFixed(2) : '',
      memoryFigures(sample).rss ?? memoryFigures(sample).anon ?? '',
      memoryFigures(sample).file ?? '',
      sample.dirtyBytesAtStart ?? '',
      sample.httpStatus ?? '',
      sample.error ?? '',
      millis(sample.timeline?.processStartedMs),
      millis(sample.timeline?.enteredMs),
      millis(sample.timeline?.listeningMs),
      millis(detectionDelay(sample)),
      sample.probe?.skipped ?? '',
      sample.probe?.forwarderCpuMs === undefined ? '' : sample.probe.forwarderCpuMs.toFixed(2),
      millis(probeLag(sample)),
      memoryFigures(sample).anon ?? '',
      memoryFigures(sample).pss ?? '',
      sample.memory?.unknown ?? '',
      sample.memory?.rssBytes ?? '',
      sample.memory?.fileMappedBytes ?? '',
    ]),
  );
  return stringify(rows, { header: true, columns: [...SAMPLE_COLUMNS] });
}
