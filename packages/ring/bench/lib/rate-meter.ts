/**
 * For event-driven receivers: call the returned tick() once per message received. From the first
 * message it waits warmMs, then counts for measureMs and reports messages per second to `done`.
 */
export function rateMeter(warmMs: number, measureMs: number, done: (rate: number) => void): () => void {
  let count = 0;
  let startCount = 0;
  let started = 0;
  return () => {
    if (count++ === 0) {
      setTimeout(() => {
        startCount = count;
        started = performance.now();
        setTimeout(() => done((count - startCount) / ((performance.now() - started) / 1000)), measureMs);
      }, warmMs);
    }
  };
}
