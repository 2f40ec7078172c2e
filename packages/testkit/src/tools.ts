import { spawnSync } from 'node:child_process';

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * A python3 interpreter that can import all of `modules`, or null. Debian's packages
 * (python3-fasteners, python3-sysv-ipc, python3-smmap) install for /usr/bin/python3, which may
 * differ from the `python3` first on PATH, so both are tried.
 */
export function findPython(modules: string[] = []): string | null {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const code = modules.map((m) => `import ${m}`).join('; ') || 'pass';
    const r = spawnSync(candidate, ['-c', code], { stdio: 'ignore' });
    if (r.status === 0) return candidate;
  }
  return null;
}
