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
