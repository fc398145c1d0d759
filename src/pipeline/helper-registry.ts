import type { Logger } from '../common/log.js';
import type { Engine } from '../engine/clients.js';
import { type Registry, startLocalRegistry } from '../registry/registry.js';
import { RunStateFile } from './run-state.js';

/** The tags an engine has of any of these registry hosts. */
export async function tagsOf(engine: Engine, hosts: readonly string[]): Promise<string[]> {
  const tags = (await engine.images.list()).flatMap((image) => image.tags);
  return tags.filter((tag) => hosts.some((host) => tag.startsWith(`${host}/`)));
}

/** Removes every tag of a registry host from an engine (the images stay where other tags or children hold them). */
export async function removeTagsOf(engine: Engine, host: string): Promise<void> {
  for (const tag of await tagsOf(engine, [host])) await engine.images.remove(tag).catch(() => {});
}

/**
 * A registry on 127.0.0.1 for a command other than a run (rehearse, anatomy, bench:network),
 * recorded like a run's so that `basebench clean` removes it, its storage and its tags if the
 * command is killed; the command records there whatever else it starts (`state`).
 */
export async function startHelperRegistry(
  engine: Engine,
  log: Logger,
  command: string,
): Promise<{ registry: Registry; state: RunStateFile; close: () => Promise<void> }> {
  const registry = await startLocalRegistry(engine, log, command);
  const state = new RunStateFile({
    runId: `${command}-${process.pid}-${Date.now()}`,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    command: `basebench ${command}`,
  });
  state.record((record) => {
    record.engines.push({ name: 'docker', endpoint: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' });
    record.registry = {
      host: registry.host,
      ...(registry.pid ? { pid: registry.pid } : {}),
      ...(registry.storage ? { storage: registry.storage } : {}),
    };
    record.imageHosts.push(registry.host);
  });
  return {
    registry,
    state,
    close: async () => {
      await removeTagsOf(engine, registry.host);
      await registry.stop().catch((error: Error) => log.warn(`stopping the registry: ${error.message}`));
      state.remove();
    },
  };
}
