/**
 * Network profiles between the engine and the registry. `none` is the direct path; the others
 * go through the throttling proxy (see throttle-proxy.ts for why a proxy rather than tc).
 */
export interface NetworkProfile {
  name: string;
  /** Link rate in bits per second, shared by every connection of a pull. */
  bitsPerSecond: number;
  /** Round-trip time added to every exchange, half each way. */
  rttMs: number;
}

export const NAMED_PROFILES: Readonly<Record<string, NetworkProfile | null>> = {
  none: null,
  lan: { name: 'lan', bitsPerSecond: 1_000_000_000, rttMs: 1 },
  cloud: { name: 'cloud', bitsPerSecond: 100_000_000, rttMs: 20 },
  edge: { name: 'edge', bitsPerSecond: 20_000_000, rttMs: 50 },
  slow: { name: 'slow', bitsPerSecond: 5_000_000, rttMs: 100 },
};

const RATE_UNITS: Record<string, number> = { '': 1_000_000, kbit: 1_000, mbit: 1_000_000, gbit: 1_000_000_000 };

/**
 * A profile by name, or a custom "RATE,RTT": rate in Mbit/s unless it says kbit/mbit/gbit,
 * RTT in milliseconds ("50,30", "50mbit,30ms"). null means direct (none).
 */
export function parseProfile(text: string): NetworkProfile | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed in NAMED_PROFILES) return NAMED_PROFILES[trimmed]!;
  const match = /^(\d+(?:\.\d+)?)\s*(kbit|mbit|gbit)?(?:\/s)?\s*,\s*(\d+(?:\.\d+)?)\s*(?:ms)?$/.exec(trimmed);
  if (!match) {
    throw new Error(`network profile "${text}": use one of ${Object.keys(NAMED_PROFILES).join(', ')}, or "RATE,RTT" such as "50mbit,30ms"`);
  }
  const bitsPerSecond = Number(match[1]) * RATE_UNITS[match[2] ?? '']!;
  const rttMs = Number(match[3]);
  if (bitsPerSecond <= 0) throw new Error(`network profile "${text}": the rate must be above zero`);
  return { name: `${match[1]}${match[2] ?? 'mbit'},${match[3]}ms`, bitsPerSecond, rttMs };
}

export function profileName(profile: NetworkProfile | null): string {
  return profile?.name ?? 'none';
}

/** The time a transfer of `bytes` would take on the link alone, plus `roundTrips` RTTs. */
export function idealTransferMs(profile: NetworkProfile, bytes: number, roundTrips: number): number {
  return (bytes * 8 * 1000) / profile.bitsPerSecond + roundTrips * profile.rttMs;
}
