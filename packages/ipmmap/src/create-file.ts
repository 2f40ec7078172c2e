import { randomBytes } from 'node:crypto';
import { closeSync, constants, linkSync, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IpmmapError } from './errors.js';

function createFailed(path: string, err: unknown): IpmmapError {
  const code = (err as NodeJS.ErrnoException)?.code;
  return new IpmmapError(
    'ERR_SHMKIT_IPMMAP_CREATE_FAILED',
    `${path}: failed to create the ipmmap data file${code ? ` (${code})` : ''}: ${(err as Error)?.message ?? err}`,
    { cause: err },
  );
}

/**
 * Creates the data file holding `image` if no file exists at `path`, atomically: the image is
 * written to a private temporary file that is then hard-linked into place, so no process can ever
 * see a short or empty file, and of two racing creators exactly one wins (link fails with EEXIST
 * for the other). Returns true when this call created the file.
 */
export function createDataFile(path: string, image: Uint8Array, mode: number): boolean {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing) {
    if (!existing.isFile()) {
      throw new IpmmapError('ERR_SHMKIT_IPMMAP_NOT_A_FILE', `${path} exists and is not a regular file`);
    }
    return false;
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (err) {
    throw createFailed(path, err);
  }
  try {
    writeAll(fd, image, 0);
    closeSync(fd);
    fd = -1;
    try {
      linkSync(temp, path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw createFailed(path, err);
    }
  } catch (err) {
    throw err instanceof IpmmapError ? err : createFailed(path, err);
  } finally {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone: nothing to clean up
    }
  }
}

/**
 * Rewrites an existing data file with `image` in place (the caller holds the write lock). The
 * file is never truncated: processes that have it mapped keep valid pages throughout (Python
 * ipmmap truncates to zero first, which can raise SIGBUS in them). A longer file keeps its tail,
 * which every reader ignores.
 */
export function resetDataFile(path: string, image: Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch (err) {
    throw createFailed(path, err);
  }
  try {
    writeAll(fd, image, 0);
  } catch (err) {
    throw createFailed(path, err);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.length) {
    done += writeSync(fd, data, done, data.length - done, position + done);
  }
}
