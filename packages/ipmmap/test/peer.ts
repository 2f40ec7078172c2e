// Runs the Python ipmmap peer (test/python/ipmmap_peer.py) as a real separate process.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPython } from '@shmkit/testkit';

export const PEER_SCRIPT = fileURLToPath(new URL('./python/ipmmap_peer.py', import.meta.url));

/** The python3 that has fasteners, or null (tests then skip with a message). */
export const python = findPython(['fasteners']);
export const SKIP_REASON = 'python3 with fasteners is not installed (apt-get install python3-fasteners); skipping Python interop';

export interface PeerDirs {
  mmapDir: string;
  fastenerDir: string;
  struct?: string;
  tag?: string;
}

function peerArgs(dirs: PeerDirs, args: string[]): string[] {
  return [
    PEER_SCRIPT,
    '--mmap-dir',
    dirs.mmapDir,
    '--fastener-dir',
    dirs.fastenerDir,
    '--struct',
    dirs.struct ?? 'DemoMmapStructure',
    '--tag',
    dirs.tag ?? '',
    ...args,
  ];
}

/** Runs one peer command to completion and returns its stdout; throws with stderr on failure. */
export function peer(dirs: PeerDirs, args: string[], timeoutMs = 20_000): string {
  if (!python) throw new Error(SKIP_REASON);
  const r = spawnSync(python, peerArgs(dirs, args), { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) {
    throw new Error(`peer ${args.join(' ')} failed (status ${r.status}, signal ${r.signal}):\n${r.stderr}`);
  }
  return r.stdout;
}

export function peerJson<T = any>(dirs: PeerDirs, args: string[], timeoutMs?: number): T {
  return JSON.parse(peer(dirs, args, timeoutMs)) as T;
}

/** Starts a long-running peer command (hold, wait, loops) with piped stdio. */
export function spawnPeer(dirs: PeerDirs, args: string[]): ChildProcess {
  if (!python) throw new Error(SKIP_REASON);
  return spawn(python, peerArgs(dirs, args), { stdio: ['pipe', 'pipe', 'pipe'] });
}
