/**
 * A pod's start as its events tell it, in the words kubelet and the scheduler use (the messages are
 * the kubelet's own, so they are parsed as exactly as they are written):
 *   Scheduled  "Successfully assigned NS/POD to NODE"
 *   Pulling    "Pulling image "REF""
 *   Pulled     "Successfully pulled image "REF" in 1.2s (1.5s including waiting). Image size: 123 bytes."
 *              (the size from Kubernetes 1.30, "including waiting" from 1.28; before, only "in 1.2s"),
 *              or "Container image "REF" already present on machine" (no pull)
 *   Created    "Created container: NAME" (1.32 on) or "Created container NAME"
 *   Started    "Started container NAME" (or with a colon)
 */

/** One event as the Kubernetes API gives it (core/v1 Event), reduced to what the phases need. */
export interface PodEvent {
  reason: string;
  message: string;
  /** When it happened: eventTime (RFC 3339 micro) where set, else firstTimestamp/lastTimestamp (seconds). */
  time: string;
}

/** Go's time.Duration text ("1m2.5s", "850.3ms", "1.2µs", "0s") in milliseconds; undefined if it isn't one. */
export function goDurationMs(text: string): number | undefined {
  if (text === '0' || text === '0s') return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, μs: 0.001, ns: 1e-6 };
  const part = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/gy;
  let total = 0;
  let at = 0;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    total += Number(match[1]) * units[match[2]!]!;
    at = part.lastIndex;
  }
  return at === text.length && at > 0 ? total : undefined;
}

export interface PulledMessage {
  image: string;
  /** The pull as kubelet timed it; absent when the image was already present. */
  pullMs?: number;
  /** The same with the time the pull waited for others (kubelet serialises pulls by default); 1.28 on. */
  includingWaitingMs?: number;
  imageSizeBytes?: number;
  alreadyPresent: boolean;
}

const PULLED = /^Successfully pulled image "([^"]+)" in (\S+?)(?: \((\S+) including waiting\))?(?:\. Image size: (\d+) bytes\.?)?$/;
const PRESENT = /^Container image "([^"]+)" already present on machine/;

/** A Pulled event's message; undefined for any other text. */
export function parsePulled(message: string): PulledMessage | undefined {
  const pulled = PULLED.exec(message.trim());
  if (pulled) {
    const [, image, took, waiting, size] = pulled as unknown as [string, string, string, string | undefined, string | undefined];
    const pullMs = goDurationMs(took);
    if (pullMs === undefined) return undefined;
    const includingWaitingMs = waiting === undefined ? undefined : goDurationMs(waiting);
    return {
      image,
      pullMs,
      ...(includingWaitingMs === undefined ? {} : { includingWaitingMs }),
      ...(size === undefined ? {} : { imageSizeBytes: Number(size) }),
      alreadyPresent: false,
    };
  }
  const present = PRESENT.exec(message.trim());
  return present ? { image: present[1]!, alreadyPresent: true } : undefined;
}

/** The container a Created or Started message names. */
export function containerNamed(message: string): string | undefined {
  return /^(?:Created|Started) container:? (\S+)$/.exec(message.trim())?.[1];
}

export interface PodPhases {
  /** Milliseconds from the pod's Scheduled event (or the first event) to each moment, on the API server's clock. */
  pullingMs?: number;
  pulledMs?: number;
  createdMs?: number;
  startedMs?: number;
  pull?: PulledMessage;
  node?: string;
}

/** The phases of one container's start from the pod's events, in the order they happened. */
export function podPhases(events: readonly PodEvent[], container: string): PodPhases {
  const sorted = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const origin = Date.parse((sorted.find((event) => event.reason === 'Scheduled') ?? sorted[0])?.time ?? '');
  const since = (event: PodEvent | undefined) => (event ? Date.parse(event.time) - origin : undefined);
  const first = (reason: string, test: (event: PodEvent) => boolean = () => true) =>
    sorted.find((event) => event.reason === reason && test(event));
  const ours = (event: PodEvent) => containerNamed(event.message) === container;
  const pulled = first('Pulled');
  const phases: PodPhases = {};
  const set = (key: 'pullingMs' | 'pulledMs' | 'createdMs' | 'startedMs', value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) phases[key] = value;
  };
  set('pullingMs', since(first('Pulling')));
  set('pulledMs', since(pulled));
  set('createdMs', since(first('Created', ours)));
  set('startedMs', since(first('Started', ours)));
  const pull = pulled ? parsePulled(pulled.message) : undefined;
  if (pull) phases.pull = pull;
  const node = / to (\S+)$/.exec(first('Scheduled')?.message ?? '')?.[1];
  if (node) phases.node = node;
  return phases;
}
