import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the nearest directory above this file (or the working directory) with pnpm-workspace.yaml. */
export function findWorkspaceRoot(): string | null {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return null;
}

export interface WorkspacePackage {
  dir: string;
  /** The directory name under packages/ ('ring'). */
  short: string;
  name: string;
  scripts: Record<string, string>;
}

/** Every package under packages/ with its scripts, in directory order. */
export function listPackages(root: string): WorkspacePackage[] {
  const base = join(root, 'packages');
  if (!existsSync(base)) return [];
  const out: WorkspacePackage[] = [];
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    const file = join(base, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; scripts?: Record<string, string> };
    if (!pkg.name) continue;
    out.push({ dir: join(base, entry.name), short: entry.name, name: pkg.name, scripts: pkg.scripts ?? {} });
  }
  return out.sort((a, b) => a.short.localeCompare(b.short));
}

let resolvedPnpm: [string, string[]] | undefined;

/**
 * How to run pnpm (found once per process): the one running us (npm_execpath) if any, else `pnpm` on PATH, else the
 * version pinned in the root package.json through npx (no global pnpm is assumed).
 */
export function pnpmCommand(root?: string): [string, string[]] {
  resolvedPnpm ??= findPnpm(root);
  return resolvedPnpm;
}

function findPnpm(root?: string): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm(\.c?js)?$/.test(execPath) && existsSync(execPath)) {
    return execPath.endsWith('js') ? [process.execPath, [execPath]] : [execPath, []];
  }
  if (spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0) return ['pnpm', []];
  const pinned = root ? pinnedPnpm(root) : null;
  return pinned ? ['npx', ['-y', pinned]] : ['pnpm', []];
}

function pinnedPnpm(root: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager?: string };
    const spec = pkg.packageManager?.split('+')[0];
    return spec?.startsWith('pnpm@') ? spec : null;
  } catch {
    return null;
  }
}
