import { execa } from 'execa';

/** Small `ip` calls on the host's network namespace, only ever on interfaces this run names. */
export async function bridgeExists(name: string): Promise<boolean> {
  const result = await execa('ip', ['link', 'show', 'dev', name], { reject: false });
  return result.exitCode === 0;
}

export async function deleteBridge(name: string): Promise<void> {
  await execa('ip', ['link', 'delete', 'dev', name], { reject: false });
}

/** A bridge with the first free 10.213.X.1/24 on it (no route of the host overlaps it). */
export async function createBridge(name: string): Promise<string> {
  const routes = (await execa('ip', ['-4', 'route', 'show'])).stdout;
  for (let third = 0; third < 256; third += 1) {
    const subnet = `10.213.${third}.0/24`;
    if (routes.includes(`10.213.${third}.`)) continue;
    await execa('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
    await execa('ip', ['addr', 'add', `10.213.${third}.1/24`, 'dev', name]);
    await execa('ip', ['link', 'set', name, 'up']);
    return subnet;
  }
  throw new Error('no free 10.213.X.0/24 subnet for the engine bridge');
}

/** Whether a named network namespace exists. */
export async function namespaceExists(namespace: string): Promise<boolean> {
  const listed = await execa('ip', ['netns', 'list'], { reject: false });
  return listed.stdout.split('\n').some((line) => line.split(' ')[0] === namespace);
}

/** Stops what runs inside a namespace, then deletes it (its end of the veth pair, and so the pair, goes with it). */
export async function removeNamespace(namespace: string): Promise<void> {
  const pids = await execa('ip', ['netns', 'pids', namespace], { reject: false });
  for (const pid of pids.stdout.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGTERM');
    } catch {
      // Gone already.
    }
  }
  await execa('ip', ['netns', 'delete', namespace], { reject: false });
}

/** The tables Podman's CNI plugins (firewall, portmap) add chains to. */
const CNI_TABLES = ['filter', 'nat'] as const;

/** Splits one line of `iptables -S` into its words, a quoted comment being one word. */
export function iptablesWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

/**
 * Pure: the iptables calls that undo the CNI chains a table gained since `before` (its `iptables -S` lines then and now):
 * the rules elsewhere that jump to them deleted, then each new chain flushed and deleted. Chains that were there before,
 * and every other rule, are left alone.
 */
export function cniCleanup(before: readonly string[], now: readonly string[]): string[][] {
  const chains = (lines: readonly string[]) => lines.flatMap((line) => /^-N (CNI-\S+)$/.exec(line)?.[1] ?? []);
  const existing = new Set(chains(before));
  const added = chains(now).filter((chain) => !existing.has(chain));
  if (added.length === 0) return [];
  const jumps = now
    .map(iptablesWords)
    .filter((words) => words[0] === '-A' && !added.includes(words[1]!) && added.includes(words[words.indexOf('-j') + 1] ?? ''));
  return [
    ...jumps.map((words) => ['-D', ...words.slice(1)]),
    ...added.map((chain) => ['-F', chain]),
    ...added.map((chain) => ['-X', chain]),
  ];
}

/** Each table's `iptables -S` lines, to hand back to removeNewCniChains; none where iptables can't be read. */
export async function firewallListing(): Promise<Record<string, string[]>> {
  const listing: Record<string, string[]> = {};
  for (const table of CNI_TABLES) {
    const result = await execa('iptables', ['-t', table, '-S'], { reject: false });
    listing[table] = result.exitCode === 0 ? result.stdout.split('\n') : [];
  }
  return listing;
}

/** The CNI chains the host firewall gained since `before`. */
export async function cniChainsSince(before: Record<string, string[]>): Promise<string[]> {
  const now = await firewallListing();
  return CNI_TABLES.flatMap((table) =>
    cniCleanup(before[table] ?? [], now[table] ?? []).flatMap((call) => (call[0] === '-X' ? [`${table}/${call[1]}`] : [])),
  );
}

/** Removes the CNI chains (and the jumps to them) the host firewall gained since `before`: Podman's plugins never do. */
export async function removeNewCniChains(before: Record<string, string[]>): Promise<void> {
  const now = await firewallListing();
  for (const table of CNI_TABLES) {
    for (const call of cniCleanup(before[table] ?? [], now[table] ?? [])) {
      await execa('iptables', ['-t', table, ...call], { reject: false });
    }
  }
}
