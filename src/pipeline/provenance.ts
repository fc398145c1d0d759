import { PROJECT_ROOT } from '../common/project-root.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describeEngine } from '../engine/capabilities.js';
import { measureClocks } from '../measure/timeline.js';
import type { EngineSession } from '../engine/open-engines.js';
import { MEASURED_CONTAINER } from '../measure/sample-context.js';
import type { Registry } from '../registry/registry.js';
import type { Provenance } from '../results/types.js';

/**
 * Which machine, as a digest of /etc/machine-id keyed to basebench: systemd asks that the id itself not be
 * published, and a keyed digest tells machines apart just as well. Nothing where the file is absent.
 */
function machineDigest(): { machine?: string } {
  try {
    const id = readFileSync('/etc/machine-id', 'utf8').trim();
    return id ? { machine: createHash('sha256').update(`basebench:${id}`).digest('hex').slice(0, 12) } : {};
  } catch {
    return {};
  }
}

/** The harness as provenance names it: its version, and the commit it ran at, dirty or not. */
export async function harnessFacts(): Promise<Provenance['harness']> {
  const packageJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return { version: packageJson.version, ...(await gitFacts()) };
}

async function gitFacts(): Promise<Pick<Provenance['harness'], 'gitCommit' | 'gitDirty'>> {
  try {
    const commit = await execa('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT });
    // Reports written under results/ by this very run don't make the harness dirty.
    const status = await execa('git', ['status', '--porcelain', '--', '.', ':!results'], { cwd: PROJECT_ROOT });
    return { gitCommit: commit.stdout.trim(), gitDirty: status.stdout.trim().length > 0 };
  } catch {
    return { gitCommit: 'unknown (not a git checkout)', gitDirty: false };
  }
}

/** Where the numbers come from: harness, engines (the first built the images), host, registry, bases. */
export async function collectProvenance(
  engines: readonly EngineSession[],
  registry: Registry,
  bases: Provenance['bases'],
): Promise<Provenance> {
  const cpus = os.cpus();
  return {
    harness: await harnessFacts(),
    engines: engines.map((engine) => describeEngine(engine.name, engine.facts, engine.endpoint, engine.origin)),
    clocks: measureClocks(),
    container: {
      network: MEASURED_CONTAINER.network,
      ulimits: MEASURED_CONTAINER.ulimits.map((limit) => `${limit.name}=${limit.soft}:${limit.hard}`),
      user: MEASURED_CONTAINER.user,
      privileges: MEASURED_CONTAINER.privileges,
    },
    host: {
      name: os.hostname(),
      ...machineDigest(),
      kernel: engines[0]!.facts.kernel,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cpuCount: cpus.length,
      memoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.arch()}`,
      nodeVersion: process.version,
    },
    registry: { url: registry.url, kind: registry.kind, version: registry.version },
    bases,
  };
}
