import type { Provenance, RunResults } from '../results/types.js';

type Host = Provenance['host'];

/** "runner-3 [machine 1a2b3c] (2 × AMD EPYC 7763, kernel 6.5.0)": a host as reports name it. */
export function hostLabel(host: Host): string {
  const machine = host.machine ? ` [machine ${host.machine.slice(0, 6)}]` : '';
  return `${host.name ?? 'a host'}${machine} (${host.cpuCount} × ${host.cpuModel}, kernel ${host.kernel})`;
}

/** A host's name and hardware (the oldest runs have no name: hardware alone). */
const hardwareKey = (host: Host) => [host.name ?? '', host.cpuModel, host.cpuCount, host.kernel, host.memoryBytes].join('|');

/**
 * Whether two runs (or parts of one) ran on one machine: name and hardware agree, and so does the machine digest
 * where both have it (runs from before it, two VMs both named "vm" on one CPU model, can't be told apart).
 */
export const sameHost = (a: Host, b: Host) => hardwareKey(a) === hardwareKey(b) && (!a.machine || !b.machine || a.machine === b.machine);

/** Each host of a merged run with the variants it measured; undefined unless the parts ran on more than one host. */
function hostsOfParts(results: RunResults): Array<{ label: string; variants: string[] }> | undefined {
  const parts = results.mergedFrom ?? [];
  const hosts: Array<{ host: Host; label: string; variants: string[] }> = [];
  for (const part of parts) {
    const host = part.provenance.host;
    const entry = hosts.find((known) => sameHost(known.host, host));
    if (entry) entry.variants.push(...part.variants);
    else hosts.push({ host, label: hostLabel(host), variants: [...part.variants] });
  }
  return hosts.length > 1 ? hosts.map(({ label, variants }) => ({ label, variants })) : undefined;
}

/** The host a variant of a merged run was measured on, where parts ran on more than one host. */
export function hostOf(results: RunResults, variantId: string): string | undefined {
  if (!hostsOfParts(results)) return undefined;
  const part = results.mergedFrom!.find((candidate) => candidate.variants.includes(variantId));
  return part ? hostLabel(part.provenance.host) : undefined;
}

/** How far machines have differed at one commit, said wherever milliseconds might be read across machines. */
export const MACHINES_DIFFER = 'the engine’s start call alone has measured from about 0.2 s to 0.8 s on different machines at one commit';

/** Said plainly wherever languages are compared: numbers from different machines are not comparable as they stand. */
export function hostsDifferNote(results: RunResults): string | undefined {
  const hosts = hostsOfParts(results);
  if (!hosts) return undefined;
  return (
    `Measured on ${hosts.length} different hosts (${hosts.map((host) => `${host.label}: ${host.variants.length} variants`).join('; ')}): ` +
    'within a language one host measured every variant, but across languages the hosts differ, and so may the figures for reasons ' +
    'that are not the image.'
  );
}
