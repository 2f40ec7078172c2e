/**
 * One 32-bit state word per block: bits 0..1 say where the block is, bits 2..31 count how many
 * times it has been handed out (its generation; 0 = never handed out, which tells a put of a
 * never-allocated block apart from a double put).
 */
export const FREE = 0; // on the shared free ring (or on its way there)
export const OUT = 1; // handed out by get(); the holder words name the process
export const CACHED = 2; // free, but parked in the per-process cache of the holder
export const WHERE_MASK = 3;
const GENERATION_STEP = 4;

export function where(state: number): number {
  return state & WHERE_MASK;
}

export function generation(state: number): number {
  return state >>> 2;
}

/** The state of a block handed out once more; the generation wraps past 0 (0 means "never"). */
export function nextOut(state: number): number {
  const next = ((state & ~WHERE_MASK) + GENERATION_STEP) | 0;
  return (next === 0 ? GENERATION_STEP : next) | OUT;
}

export function withWhere(state: number, place: number): number {
  return (state & ~WHERE_MASK) | place;
}

/** Metadata words per block: state, holder pid, holder start ticks, spare. */
export const META_WORDS = 4;
export const META_STATE = 0;
export const META_PID = 1;
export const META_START = 2;
