import { ShmError } from './errors.js';
import type { ShmId } from './sysv-key.js';

/** What both adapters (POSIX and System V) offer. */
export interface SharedMemory extends Disposable {
  /** A Buffer over the whole segment (`size` bytes). Throws ERR_SHMKIT_CLOSED after close(). */
  readonly buffer: Buffer;
  /** The usable size in bytes: for System V the size that was requested, not rounded to pages. */
  readonly size: number;
  /** The POSIX name ('/name') or the System V segment id. */
  readonly id: string | ShmId;
  /** Mapped read-only at the OS level: write APIs refuse, and a raw write through `buffer` faults. */
  readonly readonly: boolean;
  /** POSIX: the name is unlinked on close(). System V: removal was requested right after attaching. */
  readonly volatile: boolean;
  readonly closed: boolean;
  /** Copies `length` bytes from `offset` out of the segment. */
  read(offset?: number, length?: number): Buffer;
  /** Copies `data` into the segment at `offset`; refuses with ERR_SHMKIT_READONLY on a read-only mapping. */
  write(data: Uint8Array | string, offset?: number): number;
  /** Unmaps or detaches. Every Buffer and view over the segment becomes empty. Idempotent. */
  close(): void;
  /** Removes the name (POSIX) or the segment (System V); existing mappings stay usable until closed. */
  remove(): void;
}

/**
 * Shared bookkeeping of both adapters: owns the ArrayBuffer of a mapping, hands out one Buffer over
 * it, and turns use after close into a clear error instead of an access to unmapped memory.
 */
export abstract class MappedMemory implements SharedMemory {
  abstract readonly id: string | ShmId;
  abstract readonly volatile: boolean;
  readonly size: number;
  readonly readonly: boolean;
  #arrayBuffer: ArrayBuffer | null;
  #buffer: Buffer;

  protected constructor(arrayBuffer: ArrayBuffer, size: number, readonly: boolean) {
    this.#arrayBuffer = arrayBuffer;
    this.#buffer = Buffer.from(arrayBuffer, 0, size);
    this.size = size;
    this.readonly = readonly;
  }

  get closed(): boolean {
    return this.#arrayBuffer === null;
  }

  get buffer(): Buffer {
    if (this.#arrayBuffer === null) throw this.closedError();
    return this.#buffer;
  }

  read(offset = 0, length = this.size - offset): Buffer {
    const buffer = this.buffer;
    this.checkRange(offset, length);
    return Buffer.from(buffer.subarray(offset, offset + length));
  }

  write(data: Uint8Array | string, offset = 0): number {
    const buffer = this.buffer;
    if (this.readonly) {
      throw new ShmError('ERR_SHMKIT_READONLY', `${this.describe()} is mapped read-only; writing is refused`);
    }
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.checkRange(offset, bytes.length);
    buffer.set(bytes, offset);
    return bytes.length;
  }

  close(): void {
    const arrayBuffer = this.#arrayBuffer;
    if (arrayBuffer === null) return;
    this.#arrayBuffer = null;
    this.release(arrayBuffer);
  }

  abstract remove(): void;

  [Symbol.dispose](): void {
    this.close();
  }

  /** Unmaps/detaches the memory (the ArrayBuffer is detached first). */
  protected abstract release(arrayBuffer: ArrayBuffer): void;
  protected abstract describe(): string;

  protected closedError(): ShmError {
    return new ShmError('ERR_SHMKIT_CLOSED', `${this.describe()} was closed; its memory is no longer mapped`);
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShmError(
        'ERR_SHMKIT_INVALID_ARGUMENT',
        `range [${offset}, ${offset} + ${length}) lies outside ${this.describe()} (${this.size} bytes)`,
      );
    }
  }
}
