import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

let cached: { uid: number; gid: number } | null | undefined;

/**
 * When running as root, the uid/gid of an unprivileged account to run a child process as, so that
 * permission checks are real (root bypasses them). Null when not root (this process is then
 * unprivileged itself), or when that account cannot read the checkout (a clone below a private
 * directory such as /root): its children could not even load their scripts, so the tests that
 * need it skip, and a message says why.
 */
export function unprivilegedUser(): { uid: number; gid: number } | null {
  if (cached !== undefined) return cached;
  cached = findUnprivilegedUser();
  return cached;
}

function findUnprivilegedUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const r = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  const user =
    r.status === 0 && g.status === 0 ? { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) } : { uid: 65534, gid: 65534 };
  // What a child run as that user must read: this file (so the checkout) and the TypeScript loader.
  const mustRead = [fileURLToPath(import.meta.url), fileURLToPath(import.meta.resolve('tsx'))];
  const probe = spawnSync(
    process.execPath,
    ['-e', 'for (const p of process.argv.slice(1)) require("node:fs").accessSync(p, require("node:fs").constants.R_OK)', ...mustRead],
    { ...user, stdio: 'ignore' },
  );
  if (probe.status !== 0) {
    console.warn(
      `permission tests skipped: user ${user.uid} cannot read the checkout (${mustRead[0]}); ` +
        'clone it below a directory that others may traverse to run them',
    );
    return null;
  }
  return user;
}
