export { type AuditResult, type IndexArray, Mempool, type MempoolOptions, type MempoolStats } from './mempool.js';
export { MempoolError, type MempoolErrorCode } from './errors.js';
