import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import type { Logger } from '../common/log.js';
import { aptInstall, canProvision } from './provision.js';

/** Debian's architecture names and the kernel's binfmt entries qemu-user-static registers for them. */
const QEMU_ENTRIES: Record<string, string> = { arm64: 'qemu-aarch64', armhf: 'qemu-arm', riscv64: 'qemu-riscv64', s390x: 'qemu-s390x' };

const BINFMT = '/proc/sys/fs/binfmt_misc';

export type Emulation = { ready: true; undo: () => Promise<void> } | { ready: false; why: string };

/**
 * Lets this machine run another architecture's binaries, in containers too, through qemu-user-static
 * and the kernel's binfmt_misc: registered with the F flag, so the interpreter is opened now and works
 * inside any container. Installs Debian's qemu-user-static (and arch-test, for mmdebstrap) where it
 * can; says precisely why not where it can't. `undo` takes back only what this call set up.
 */
export async function enableEmulation(arch: string, log: Logger): Promise<Emulation> {
  const entry = QEMU_ENTRIES[arch];
  if (!entry) return { ready: false, why: `no qemu-user-static entry known for the Debian architecture "${arch}"` };
  if (process.platform !== 'linux') return { ready: false, why: 'binfmt_misc emulation is Linux only' };
  const registration = `/usr/lib/binfmt.d/${entry}.conf`;
  let mounted = false;
  let registered = false;
  const undo = async () => {
    if (registered) writeFileSync(`${BINFMT}/${entry}`, '-1');
    if (mounted) await execa('umount', [BINFMT], { reject: false });
  };
  try {
    if (!existsSync(`${BINFMT}/register`)) {
      const mount = await execa('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT], { reject: false });
      if (mount.exitCode !== 0) return { ready: false, why: `binfmt_misc is not mounted and mounting it failed: ${mount.stderr.trim()}` };
      mounted = true;
    }
    if (existsSync(`${BINFMT}/${entry}`) && readFileSync(`${BINFMT}/${entry}`, 'utf8').startsWith('enabled')) {
      return { ready: true, undo };
    }
    const missing = [...(existsSync(registration) ? [] : ['qemu-user-static']), ...(existsSync('/usr/bin/arch-test') ? [] : ['arch-test'])];
    if (missing.length > 0) {
      if (!canProvision()) {
        await undo();
        return { ready: false, why: `${missing.join(' and ')} not installed, and installing needs root and apt` };
      }
      await aptInstall(missing, log);
    }
    const line = readFileSync(registration, 'utf8').trim();
    if (!/:[A-Z]*F[A-Z]*$/.test(line)) {
      await undo();
      return { ready: false, why: `${registration} lacks the F flag: its interpreter would not be found inside containers` };
    }
    writeFileSync(`${BINFMT}/register`, line);
    registered = true;
    log.info(`Registered ${entry} with binfmt_misc: ${arch} binaries run under qemu-user-static`);
    return { ready: true, undo };
  } catch (error) {
    await undo();
    return { ready: false, why: `setting up ${arch} emulation failed: ${(error as Error).message.split('\n')[0]}` };
  }
}
