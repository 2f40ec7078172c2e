import { join } from 'node:path';
import { ShmError } from './errors.js';
import { describe } from './validate.js';

/** Where Linux keeps POSIX shared memory objects (glibc's shm_open opens files here). */
export const SHM_DIR = '/dev/shm';
/** The longest name after the leading '/': NAME_MAX bytes. */
export const MAX_NAME_BYTES = 255;

/**
 * Validates a POSIX shared memory name ('/' followed by 1..255 bytes, no other '/', not '.' or '..',
 * no NUL) and returns its path under /dev/shm. Nothing is corrected: a bad name is an error.
 */
export function posixPath(name: unknown): string {
  const fail = (why: string): never => {
    throw new ShmError('ERR_SHMKIT_INVALID_NAME', `invalid POSIX shared memory name ${describe(name)}: ${why}`);
  };
  if (typeof name !== 'string') return fail('it must be a string');
  if (!name.startsWith('/')) return fail("it must start with '/'");
  const rest = name.slice(1);
  if (rest.length === 0) return fail("it needs at least one character after '/'");
  if (rest.includes('/')) return fail("it must not contain '/' after the first character");
  if (rest.includes('\0')) return fail('it must not contain NUL');
  if (rest === '.' || rest === '..') return fail("'.' and '..' are not names");
  if (Buffer.byteLength(rest) > MAX_NAME_BYTES) return fail(`it is longer than ${MAX_NAME_BYTES} bytes`);
  return join(SHM_DIR, rest);
}
