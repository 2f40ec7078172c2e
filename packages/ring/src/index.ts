export {
  Ring,
  type RingBuffer,
  type RingCreateOptions,
  type RingHandleOptions,
  type RingMode,
  type RingOptions,
  type RingStats,
  type WaitOptions,
} from './ring.js';
export { RingError, type RingErrorCode } from './ring-errors.js';
export {
  MessageRing,
  type MessageRingHandleOptions,
  type MessageRingMode,
  type MessageRingOptions,
  type MessageRingStats,
  type MessageRingWaitOptions,
} from './message-ring.js';
export { MessageRingError, type MessageRingErrorCode } from './ring-errors.js';
