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

/** How to run pnpm: the one running us (npm_execpath) if any, else `pnpm` on PATH. */
export function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm(\.c?js)?$/.test(execPath) && existsSync(execPath)) {
    return execPath.endsWith('js') ? [process.execPath, [execPath]] : [execPath, []];
  }
  return ['pnpm', []];
}
