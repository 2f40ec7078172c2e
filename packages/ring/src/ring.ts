import { Ring, registerRingImplementation } from './ring-base.js';
import { SequencedRing } from './ring-sequenced.js';
import { SpscRing } from './ring-spsc.js';

registerRingImplementation('spsc', SpscRing);
registerRingImplementation('sequenced', SequencedRing);

export { Ring };
export type { RingCreateOptions, RingHandleOptions, RingStats, WaitOptions } from './ring-base.js';
export type { RingBuffer, RingMode, RingOptions } from './ring-layout.js';
