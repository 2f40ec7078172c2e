/**
 * A small control block at the start of every bench mapping: the parent and its two workers agree
 * on when to start and stop through it, so that process start-up never counts as measured time.
 */
export const CONTROL_BYTES = 256;
export const C_READY = 0; // workers increment once attached
export const C_GO = 1; // parent sets: start
export const C_STOP = 2; // parent sets: stop producing

export function controlView(buffer: ArrayBuffer): Int32Array {
  return new Int32Array(buffer, 0, CONTROL_BYTES / 4);
}

/** Worker side: announce readiness, then spin (politely) until the parent says go. */
export function readyAndWaitForGo(control: Int32Array): void {
  Atomics.add(control, C_READY, 1);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (Atomics.load(control, C_GO) === 0) Atomics.wait(sleeper, 0, 0, 0.05);
}

export function stopRequested(control: Int32Array): boolean {
  return Atomics.load(control, C_STOP) !== 0;
}
