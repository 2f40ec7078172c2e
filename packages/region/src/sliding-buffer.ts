import { RegionError, RegionRangeError } from './errors.js';
import { validateOffset } from './validate.js';
import { WindowCursor } from './window-cursor.js';

const EMPTY = Buffer.alloc(0);

function checkInteger(name: string, value: unknown): asserts value is number {
  if (!Number.isSafeInteger(value)) {
    throw new RegionRangeError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', `${name} must be a safe integer, got ${String(value)}`);
  }
}

/** Array.prototype.slice's reading of a possibly negative bound. */
function clampIndex(i: number, length: number): number {
  if (i < 0) return Math.max(0, length + i);
  return Math.min(i, length);
}

/**
 * A read view of `[offset, offset + length)` of a file that maps windows on demand through its
 * cursor (smmap's SlidingWindowMapBuffer). Unlike smmap, indexes are relative to the buffer's own
 * `offset`: `at(0)` is the byte at file offset `offset`.
 */
export class SlidingWindowMapBuffer {
  #cursor: WindowCursor | undefined;
  #offset = 0;
  #length = 0;
  // The whole region last used, and the file offset where it begins: most accesses hit it.
  #view: Buffer = EMPTY;
  #viewBegin = 0;

  /**
   * With a cursor, begins access at once and throws when that fails (an unassociated cursor, an
   * offset at or past the end of the file). Without one, the buffer is empty until beginAccess().
   */
  constructor(cursor?: WindowCursor, offset = 0, size: number = Number.MAX_SAFE_INTEGER) {
    if (cursor === undefined) return;
    if (!(cursor instanceof WindowCursor)) {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', 'cursor must be a WindowCursor');
    }
    if (!cursor.isAssociated()) {
      throw new RegionError(
        'ERR_SHMKIT_REGION_CURSOR_UNASSOCIATED',
        'the cursor is not associated with a file; make it with manager.makeCursor(pathOrFd)',
      );
    }
    if (!this.beginAccess(cursor, offset, size)) {
      throw new RegionRangeError(
        'ERR_SHMKIT_REGION_OUT_OF_RANGE',
        `offset ${offset} is at or past the end of the file (${cursor.fileSize()} bytes)`,
      );
    }
  }

  /** Bytes in the buffer: 0 before beginAccess() and after endAccess(). */
  get length(): number {
    return this.#length;
  }

  cursor(): WindowCursor | undefined {
    return this.#cursor;
  }

  /**
   * (Re)starts access at file `offset` for `size` bytes (clamped to the end of the file), with
   * `cursor` if given, else the current one. False when there is no associated cursor or the
   * offset is at or past the end of the file.
   */
  beginAccess(cursor?: WindowCursor, offset = 0, size: number = Number.MAX_SAFE_INTEGER): boolean {
    validateOffset('offset', offset);
    validateOffset('size', size);
    if (cursor !== undefined) this.#cursor = cursor;
    const c = this.#cursor;
    if (c === undefined || !c.isAssociated()) return false;
    if (!c.useRegion(offset).isValid()) return false;
    this.#offset = offset;
    this.#length = Math.min(size, c.fileSize() - offset);
    this.#view = c.map();
    this.#viewBegin = c.region().ofsBegin();
    return true;
  }

  /** Length 0; the cursor gives its region back but stays associated. Harmless when repeated. */
  endAccess(): void {
    this.#length = 0;
    this.#view = EMPTY;
    const c = this.#cursor;
    if (c?.isAssociated()) c.unuseRegion();
  }

  /** The byte at index `i` (negative counts from the end). Throws a RegionRangeError outside the buffer. */
  at(i: number): number {
    checkInteger('index', i);
    const length = this.#length;
    const index = i < 0 ? length + i : i;
    if (index < 0 || index >= length) {
      throw new RegionRangeError('ERR_SHMKIT_REGION_OUT_OF_RANGE', `index ${i} is outside the buffer's ${length} bytes`);
    }
    const pos = this.#offset + index;
    const rel = pos - this.#viewBegin;
    const view = this.#view;
    if (rel >= 0 && rel < view.length) return view[rel]!;
    this.#moveTo(pos);
    return this.#view[pos - this.#viewBegin]!;
  }

  /**
   * Bytes `[start, end)` (Array.prototype.slice bounds: negatives count from the end, clamped,
   * empty when end <= start). A zero-copy view when the range lies in one window, which becomes
   * empty when that window is unmapped; otherwise a copy.
   */
  slice(start = 0, end: number = this.#length): Buffer {
    checkInteger('start', start);
    checkInteger('end', end);
    const length = this.#length;
    const from = clampIndex(start, length);
    const to = clampIndex(end, length);
    if (to <= from) return Buffer.alloc(0);
    const first = this.#offset + from;
    const last = this.#offset + to;
    if (!(first >= this.#viewBegin && last <= this.#viewBegin + this.#view.length)) this.#moveTo(first);
    if (last <= this.#viewBegin + this.#view.length) {
      return this.#view.subarray(first - this.#viewBegin, last - this.#viewBegin);
    }
    const out = Buffer.allocUnsafe(last - first);
    let pos = first;
    while (pos < last) {
      if (pos >= this.#viewBegin + this.#view.length) this.#moveTo(pos);
      const rel = pos - this.#viewBegin;
      const n = Math.min(last - pos, this.#view.length - rel);
      this.#view.copy(out, pos - first, rel, rel + n);
      pos += n;
    }
    return out;
  }

  #moveTo(pos: number): void {
    const c = this.#cursor;
    if (c === undefined) {
      throw new RegionError('ERR_SHMKIT_REGION_CURSOR_INVALID', 'this buffer has no cursor; call beginAccess(cursor)');
    }
    if (!c.useRegion(pos).isValid()) {
      throw new RegionRangeError(
        'ERR_SHMKIT_REGION_OUT_OF_RANGE',
        `file offset ${pos} is past the end of the file (${c.fileSize()} bytes); did the file shrink?`,
      );
    }
    this.#view = c.map();
    this.#viewBegin = c.region().ofsBegin();
  }

  [Symbol.dispose](): void {
    this.endAccess();
  }
}
