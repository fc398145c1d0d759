import { execa } from 'execa';
import { removeNamespace } from '../engine/host-network.js';

/**
 * The kernel's own shaping, as a yardstick for the throttling proxy: a network namespace this
 * process creates, joined to the host by a veth pair whose two ends are rate-limited with tc's
 * token bucket filter (tbf). Whatever runs inside (`exec`) is reached at `address` from the host;
 * nothing of the host's own interfaces is touched, and `close` deletes the namespace and the pair.
 * Delay needs sch_netem, which not every kernel has: `delay` says whether it was added.
 */
export interface KernelLink {
  /** The namespace side's address, reachable from the host. */
  address: string;
  namespace: string;
  /** Runs a command inside the namespace (a server the host then reaches at `address`). */
  exec(command: string, args: readonly string[]): ReturnType<typeof execa>;
  /** Whether a one-way delay of half the RTT is on each end, or why not. */
  delay: { added: true } | { added: false; why: string };
  close(): Promise<void>;
}

const ip = (...args: string[]) => execa('ip', args);

/** tbf needs a bucket of at least one timer tick's worth of bytes at the rate; never under 32 KB. */
export function tbfArguments(bitsPerSecond: number): string[] {
  const burstBytes = Math.max(32 * 1024, Math.ceil(bitsPerSecond / 8 / 250));
  return ['tbf', 'rate', `${bitsPerSecond}bit`, 'burst', String(burstBytes), 'latency', '200ms'];
}

export async function startKernelLink(options: {
  bitsPerSecond: number;
  rttMs: number;
  tag: string;
  /** Called with the namespace and the host's end of the pair before they exist, so that a killed process's are found. */
  recordCreated: (created: { namespace: string; hostEnd: string }) => void;
}): Promise<KernelLink> {
  const namespace = `bb-${options.tag}`;
  const hostEnd = `bbh${options.tag}`.slice(0, 15);
  const innerEnd = `bbn${options.tag}`.slice(0, 15);
  options.recordCreated({ namespace, hostEnd });
  const routes = (await execa('ip', ['-4', 'route', 'show'])).stdout;
  const third = [...Array(256).keys()].find((candidate) => !routes.includes(`10.214.${candidate}.`));
  if (third === undefined) throw new Error('no free 10.214.X.0/30 subnet for the kernel-shaped link');
  const [hostAddress, address] = [`10.214.${third}.1`, `10.214.${third}.2`];
  const close = async () => {
    await execa('ip', ['link', 'delete', 'dev', hostEnd], { reject: false });
    await removeNamespace(namespace);
  };
  try {
    await ip('netns', 'add', namespace);
    await ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', innerEnd);
    await ip('link', 'set', innerEnd, 'netns', namespace);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostEnd);
    await ip('link', 'set', hostEnd, 'up');
    const inside = (...args: string[]) => execa('ip', ['netns', 'exec', namespace, ...args]);
    await inside('ip', 'addr', 'add', `${address}/30`, 'dev', innerEnd);
    await inside('ip', 'link', 'set', innerEnd, 'up');
    await inside('ip', 'link', 'set', 'lo', 'up');
    let delay: KernelLink['delay'] = { added: true };
    const halfRtt = `${options.rttMs / 2}ms`;
    for (const [run, device] of [
      [(...args: string[]) => execa('tc', args), hostEnd],
      [(...args: string[]) => inside('tc', ...args), innerEnd],
    ] as const) {
      const withDelay = await run('qdisc', 'add', 'dev', device, 'root', 'handle', '1:', 'netem', 'delay', halfRtt).then(
        () => true,
        (error: Error) => {
          delay = { added: false, why: `tc netem: ${(error as { stderr?: string }).stderr?.trim() || error.message}` };
          return false;
        },
      );
      await run(
        'qdisc',
        'add',
        'dev',
        device,
        ...(withDelay ? ['parent', '1:', 'handle', '2:'] : ['root']),
        ...tbfArguments(options.bitsPerSecond),
      );
    }
    return {
      address,
      namespace,
      exec: (command, args) => execa('ip', ['netns', 'exec', namespace, command, ...args], { reject: false }),
      delay,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
