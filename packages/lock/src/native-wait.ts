import type { AsyncWait } from '@shmkit/sys';

/**
 * Awaits a wait running on a native thread, cancelling it when `signal` aborts. The native side
 * then resolves 'cancelled' promptly; the caller turns that into the signal's reason.
 */
export async function awaitNative<T>(wait: AsyncWait<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return wait.promise;
  const onAbort = () => wait.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await wait.promise;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
