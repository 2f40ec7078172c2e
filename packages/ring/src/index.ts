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
