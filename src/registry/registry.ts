import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ChildProcess, spawn } from 'node:child_process';
import { execa } from 'execa';
import type { Engine } from '../engine/clients.js';
import { aptInstall, canProvision } from '../engine/provision.js';
import type { Logger } from '../common/log.js';
import { freePort } from '../common/free-port.js';
import { pollUntil } from '../common/poll.js';
import { RegistryAccessLog } from './access-log.js';

export interface Registry {
  /** Base URL of the distribution API, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Host part used in image references, e.g. 127.0.0.1:41234 */
  host: string;
  kind: 'local-binary' | 'local-container' | 'external';
  version: string;
  /** The registry's process and storage folder, where this run started it: what a dead run's cleanup removes. */
  pid?: number;
  storage?: string;
  /** What the registry served, from its log: the proof that a pull transferred every layer. Absent for an external registry. */
  accessLog?: RegistryAccessLog;
  /** Whether the registry answers its API now. */
  answers(): Promise<boolean>;
  /** Starts a registry of this run's again, on the same storage and port, after it died. Absent where the run didn't start it. */
  restart?(): Promise<void>;
  stop(): Promise<void>;
}

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/**
 * The distribution registry's config: storage in a folder, listening on one address. At level info
 * it logs one JSON line per response, with the blob, status and bytes written (the access log repeats
 * it, so that is off): what the cold-pull proof reads.
 */
export function registryConfig(dataDir: string, address: string, level: 'info' | 'error' = 'info'): string {
  return [
    'version: 0.1',
    'log:',
    `  level: ${level}`,
    '  formatter: json',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    'http:',
    `  addr: ${address}`,
    '',
  ].join('\n');
}

async function answersV2(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v2/`);
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}

/** `--registry URL`: an existing registry; plain HTTP only for loopback hosts. */
export function externalRegistry(input: string): Registry {
  const withScheme = /^https?:\/\//.test(input) ? input : `${/^(localhost|127\.)/.test(input) ? 'http' : 'https'}://${input}`;
  const url = new URL(withScheme);
  return {
    url: url.origin,
    host: url.host,
    kind: 'external',
    version: 'unknown',
    answers: () => answersV2(url.origin),
    stop: async () => {},
  };
}

/**
 * Starts the CNCF distribution registry on 127.0.0.1, on a free port, with its own storage:
 * Debian's docker-registry binary where present (installed when possible), else registry:2.
 */
export async function startLocalRegistry(engine: Engine, log: Logger, runLabel: string): Promise<Registry> {
  if (!existsSync(REGISTRY_BINARY) && canProvision()) await aptInstall(['docker-registry'], log);
  if (existsSync(REGISTRY_BINARY)) return startRegistryBinary(log);
  return startRegistryContainer(engine, log, runLabel);
}

async function startRegistryBinary(log: Logger): Promise<Registry> {
  const storage = mkdtempSync(path.join(os.tmpdir(), 'basebench-registry-'));
  const port = await freePort();
  const config = path.join(storage, 'config.yml');
  writeFileSync(config, registryConfig(path.join(storage, 'data'), `127.0.0.1:${port}`));
  const version = (await execa(REGISTRY_BINARY, ['--version']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
  const logFile = path.join(storage, 'registry.log');
  // The registry writes its log to the file itself, not through a pipe to this process: a run killed
  // with SIGKILL must leave it serving until `basebench clean` stops it (a Go program dies of SIGPIPE at
  // its next line to a broken pipe), and the access log must not wait on this process's event loop.
  const serve = (): { process: ChildProcess; exited: Promise<void> } => {
    const output = openSync(logFile, 'a');
    const process = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', output, output] });
    closeSync(output);
    const exited = new Promise<void>((resolve) => {
      process.once('close', () => resolve());
      process.once('error', () => resolve());
    });
    return { process, exited };
  };
  let child = serve();
  const url = `http://127.0.0.1:${port}`;
  const up = await pollUntil(() => answersV2(url), { timeoutMs: 15_000, intervalMs: 50 });
  if (!up) {
    child.process.kill();
    rmSync(storage, { recursive: true, force: true });
    throw new Error(`docker-registry did not answer on ${url} within 15 s`);
  }
  log.info(`Registry up at ${url} (${version}, storage ${storage})`);
  const registry: Registry = {
    url,
    host: `127.0.0.1:${port}`,
    kind: 'local-binary',
    version,
    ...(child.process.pid ? { pid: child.process.pid } : {}),
    storage,
    accessLog: new RegistryAccessLog(logFile),
    answers: () => answersV2(url),
    restart: async () => {
      child.process.kill('SIGKILL');
      await child.exited;
      child = serve();
      if (child.process.pid) registry.pid = child.process.pid;
      if (!(await pollUntil(() => answersV2(url), { timeoutMs: 15_000, intervalMs: 50 }))) {
        throw new Error(`docker-registry did not answer again on ${url} within 15 s`);
      }
    },
    stop: async () => {
      child.process.kill('SIGTERM');
      await child.exited;
      rmSync(storage, { recursive: true, force: true });
    },
  };
  return registry;
}

async function startRegistryContainer(engine: Engine, log: Logger, runLabel: string): Promise<Registry> {
  const image = 'registry:2';
  log.info(`No docker-registry binary; pulling ${image}`);
  await engine.images.pull(image);
  const port = await freePort();
  const container = await engine.containers.create({
    image,
    containerPort: 5000,
    hostPort: port,
    labels: { 'basebench.run': runLabel, 'basebench.role': 'registry' },
  });
  await container.start();
  const url = `http://127.0.0.1:${port}`;
  const up = await pollUntil(() => answersV2(url), { timeoutMs: 15_000, intervalMs: 50 });
  if (!up) {
    await container.remove();
    throw new Error(`${image} did not answer on ${url} within 15 s`);
  }
  const digest = (await engine.images.inspect(image))?.repoDigests[0] ?? image;
  log.info(`Registry up at ${url} (${digest})`);
  return {
    url,
    host: `127.0.0.1:${port}`,
    kind: 'local-container',
    version: digest,
    answers: () => answersV2(url),
    stop: () => container.remove(),
  };
}
