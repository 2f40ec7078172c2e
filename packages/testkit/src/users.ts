import { spawnSync } from 'node:child_process';

/**
 * When running as root, the uid/gid of an unprivileged account to run a child process as, so that
 * permission checks are real (root bypasses them). When not root, null: this process is unprivileged.
 */
export function unprivilegedUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const r = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return { uid: 65534, gid: 65534 };
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}
