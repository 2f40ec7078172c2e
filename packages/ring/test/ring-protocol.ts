// What the multi-process tests and ring-child.ts agree on.

export interface ChildConfig {
  path: string;
  ringOffset: number;
  seenOffset: number;
  role: 'producer' | 'consumer';
  id: number;
  /** Elements per producer. */
  count: number;
  producers: number;
  api: 'single' | 'burst' | 'wait' | 'async' | 'bytes';
  burst?: number;
  /** Handle options for Ring.attach (publishBatch, releaseBatch, spinMicros). */
  handle?: { publishBatch?: number; releaseBatch?: number; spinMicros?: number };
  /** Test hook: claim one slot (bulk path) and then hang forever, to be killed mid-operation. */
  hangAfterClaim?: 'producer' | 'consumer';
}

/** Words of the control block at the start of the shared file. */
export const S_RECEIVED = 0;
export const S_STOP = 1;
export const S_READY = 2;
export const S_HUNG = 3;
export const STATE_BYTES = 256;

