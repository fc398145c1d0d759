import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/common/log.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { NAMED_PROFILES } from '../../src/network/profiles.js';
import { runBench } from '../../src/pipeline/run.js';
import type { RunResults } from '../../src/results/types.js';
import { benchOptions } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'failing', 'scenario.yaml');
const SECRET_PASSWORD = 'pw-3f9c1e7d-never-print-me';
const SECRET_ENV = 'env-8b2d44a0-never-record-me';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/**
 * A run whose one variant never answers, looked at while its sample is in flight: what listens,
 * how the container runs, what is written.
 */
describe('what a run exposes', () => {
  const tempDir = suiteTempDir();
  const lines: string[] = [];
  const log: Logger = { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) };
  let results: RunResults;
  let listening = '';
  let inspected: Docker.ContainerInspectInfo | undefined;

  beforeAll(async () => {
    // A Docker config with credentials (for another registry) and a secret in the environment.
    const config = path.join(tempDir(), 'docker-config');
    mkdirSync(config);
    const auth = Buffer.from(`someone:${SECRET_PASSWORD}`).toString('base64');
    writeFileSync(
      path.join(config, 'config.json'),
      JSON.stringify({ auths: { 'registry.invalid': { auth, username: 'someone', password: SECRET_PASSWORD } } }),
    );
    const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, BASEBENCH_TEST_SECRET: process.env.BASEBENCH_TEST_SECRET };
    process.env.DOCKER_CONFIG = config;
    process.env.BASEBENCH_TEST_SECRET = SECRET_ENV;
    try {
      const run = runBench(
        benchOptions({
          scenarios: [FIXTURE],
          variantFilter: ['never-answers'],
          timeoutMs: 8_000,
          outDir: path.join(tempDir(), 'out'),
          profiles: [null, NAMED_PROFILES.lan!],
        }),
        log,
        new AbortController().signal,
      );
      const docker = new Docker();
      for (let tries = 0; tries < 600 && !inspected; tries += 1) {
        const [container] = await docker.listContainers({ filters: { label: ['basebench.variant=failing/never-answers'] } });
        if (container) {
          inspected = await docker.getContainer(container.Id).inspect();
          listening = (await execa('ss', ['-ltnH'])).stdout;
        } else {
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      results = await run;
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('has its registry and its proxy listen on 127.0.0.1 only', () => {
    const ports = [
      new URL(results.provenance.registry.url).port,
      ...lines.flatMap((line) => [...(/through 127\.0\.0\.1:(\d+)/.exec(line)?.slice(1) ?? [])]),
    ];
    expect(ports).toHaveLength(2);
    for (const port of ports) {
      const sockets = listening.split('\n').filter((line) => line.split(/\s+/)[3]?.endsWith(`:${port}`));
      expect(sockets.map((line) => line.split(/\s+/)[3])).toEqual([`127.0.0.1:${port}`]);
    }
  });

  it('runs the measured container unprivileged: no added capabilities, no host mounts, no host network, its port on 127.0.0.1', () => {
    const host = inspected!.HostConfig;
    expect(host.Privileged).toBe(false);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.Binds ?? []).toEqual([]);
    expect(inspected!.Mounts).toEqual([]);
    expect(host.NetworkMode).not.toBe('host');
    expect(host.PidMode ?? '').toBe('');
    const bindings = Object.values(host.PortBindings ?? {}).flat() as Array<{ HostIp: string }>;
    expect(bindings.map((binding) => binding.HostIp)).toEqual(['127.0.0.1']);
    expect(host.Ulimits).toEqual([
      { Name: 'nofile', Soft: 1024, Hard: 1024 },
      { Name: 'nproc', Soft: 1000, Hard: 1000 },
    ]);
  });

  it('never writes credentials or environment variables to its logs, results or reports', () => {
    expect(results.variants[0]!.samples.length).toBeGreaterThan(0);
    const written = filesUnder(path.join(tempDir(), 'out')).map((file) => readFileSync(file, 'utf8'));
    const auth = Buffer.from(`someone:${SECRET_PASSWORD}`).toString('base64');
    for (const text of [...written, lines.join('\n')]) {
      expect(text).not.toContain(SECRET_PASSWORD);
      expect(text).not.toContain(auth);
      expect(text).not.toContain(SECRET_ENV);
    }
  });
});
