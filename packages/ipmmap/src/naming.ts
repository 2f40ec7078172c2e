import { resolve } from 'node:path';
import { IpmmapError } from './errors.js';

/** Python ipmmap's defaults, resolved against the working directory when a handle is constructed. */
export const DEFAULT_MMAP_DIR = './.mmap';
export const DEFAULT_FASTENER_DIR = './.fasteners';
export const MMAP_SUFFIX = '.mmap';
export const LOCK_SUFFIX = '.lockfile';

/**
 * Python 3.11's `PurePath.with_suffix` applied to one path component: the text from the last '.'
 * is a suffix only when that dot is neither the first nor the last character; a suffix is
 * replaced, otherwise the new suffix is appended. So tag "v1.2" names the file `..._v1.mmap`, and
 * ".x" collides with the empty tag. Reproduced exactly because Python finds files by this name.
 */
export function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) return name.slice(0, dot) + suffix;
  return name + suffix;
}

export interface IpmmapPaths {
  /** `<mmapDir>/<Struct>_<tag>` with the `.mmap` suffix rule, absolute. */
  mmapFilePath: string;
  /** `<fastenerDir>/<Struct>_<tag>` with the `.lockfile` suffix rule, absolute. */
  fastenerFilePath: string;
  mmapDir: string;
  fastenerDir: string;
}

/**
 * The data and lock file paths Python ipmmap uses for a struct name and tag. The underscore is
 * always present, even for an empty tag. Tags containing '/' (which Python would turn into a
 * subdirectory, or make the struct name vanish with "x/../y") or NUL are refused: a name is a name,
 * not a path.
 */
export function ipmmapPaths(
  structName: string,
  tag: string,
  mmapDir: string,
  fastenerDir: string,
  cwd: string = process.cwd(),
): IpmmapPaths {
  checkNamePart('struct name', structName, false);
  checkNamePart('tag', tag, true);
  const base = `${structName}_${tag}`;
  const dataDir = resolve(cwd, mmapDir);
  const lockDir = resolve(cwd, fastenerDir);
  return {
    mmapFilePath: resolve(dataDir, withSuffix(base, MMAP_SUFFIX)),
    fastenerFilePath: resolve(lockDir, withSuffix(base, LOCK_SUFFIX)),
    mmapDir: dataDir,
    fastenerDir: lockDir,
  };
}

function checkNamePart(what: string, value: unknown, emptyOk: boolean): void {
  if (typeof value !== 'string') {
    throw new IpmmapError('ERR_SHMKIT_IPMMAP_BAD_NAME', `the ${what} must be a string, got ${typeof value}`);
  }
  if (!emptyOk && value.length === 0) {
    throw new IpmmapError('ERR_SHMKIT_IPMMAP_BAD_NAME', `the ${what} must not be empty`);
  }
  if (value.includes('/') || value.includes('\0')) {
    throw new IpmmapError(
      'ERR_SHMKIT_IPMMAP_BAD_NAME',
      `the ${what} ${JSON.stringify(value)} contains '/' or NUL; it must name a file, not a path`,
    );
  }
}
