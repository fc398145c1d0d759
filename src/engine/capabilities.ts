/** What an engine can do and tell, from its facts: zstd, the pull split, the record a run keeps of it. */
import type { EngineRecord } from '../results/types.js';
import type { EngineFacts } from './clients.js';

/** What each image store's pull stream tells, which decides how finely a pull can be split. */
const PULL_PROGRESS: Record<EngineFacts['imageStore'], string> = {
  classic:
    'event per layer: "Download complete" when its download ends, "Pull complete" when it is extracted; ' +
    'transfer = to the last "Download complete", the rest is extraction that did not overlap a download',
  containerd:
    '"Download complete" per layer from the engine\'s own polling of the content store, no extraction events; ' +
    'the split is as fine as that polling, and unpacking may overlap the transfer',
  'containers-storage':
    '"Download complete" per blob, no "Pull complete" or extraction events; the last "Download complete" arrives as the ' +
    'image is stored, at the end of the pull (seen here with Podman 4.3: transfer = the whole pull), so no split is recorded',
};

/** A CRI runtime's PullImage answers once, when the image is pulled and unpacked: no stream at all. */
const CRI_PULL_PROGRESS = 'none: CRI PullImage answers once the image is pulled and unpacked, so the pull is not split';

/** Docker Engine reads zstd layers from 23.0 on, with either image store; Podman always has, containerd since 1.5. */
export function readsZstd(facts: Pick<EngineFacts, 'product' | 'version'>): EngineRecord['zstd'] {
  if (facts.product === 'Podman' || facts.product === 'containerd') return { reads: true };
  const major = Number(facts.version.split('.')[0]);
  if (Number.isFinite(major) && major >= 23) return { reads: true };
  return { reads: false, reason: `Docker Engine ${facts.version} cannot read zstd layers (support arrived in 23.0)` };
}

/** Whether the engine's progress stream can split a pull into transfer and extraction. */
export const splitsPull = (facts: Pick<EngineFacts, 'imageStore' | 'product'>): boolean =>
  facts.imageStore !== 'containers-storage' && facts.product !== 'containerd';

export function describeEngine(name: string, facts: EngineFacts, endpoint: string, origin: string): EngineRecord {
  return {
    name,
    product: facts.product,
    version: facts.version,
    apiVersion: facts.apiVersion,
    storageDriver: facts.storageDriver,
    cgroupVersion: facts.cgroupVersion,
    operatingSystem: facts.operatingSystem,
    imageStore: facts.imageStore,
    runtime: facts.runtime,
    endpoint,
    origin,
    pullProgress: facts.product === 'containerd' ? CRI_PULL_PROGRESS : PULL_PROGRESS[facts.imageStore],
    ...(facts.cri ? { cri: facts.cri } : {}),
    zstd: readsZstd(facts),
  };
}
