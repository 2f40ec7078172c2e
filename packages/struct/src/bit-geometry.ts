/** Where a bit field's bits sit, as seen by layout() and by the generated accessors. */

export interface BitPlacement {
  /** Bit position from the start of the enclosing type (see Member.bitPos). */
  readonly bitPos: number;
  readonly width: number;
  /** Size in bytes of the declared type. */
  readonly storageSize: number;
  /** Size in bytes of the enclosing struct or union. */
  readonly containerSize: number;
  readonly le: boolean;
}

export interface BitWindow {
  /** Byte offset of the window from the start of the enclosing type. */
  readonly offset: number;
  /** Window size in bytes. */
  readonly size: number;
  /** Position of the field's least significant bit within the window read as an integer. */
  readonly shift: number;
}

function shiftIn(p: BitPlacement, offset: number, size: number): number {
  const fromStart = p.bitPos - offset * 8;
  return p.le ? fromStart : size * 8 - fromStart - p.width;
}

function contains(p: BitPlacement, offset: number, size: number): boolean {
  return offset >= 0 && offset + size <= p.containerSize && offset * 8 <= p.bitPos && p.bitPos + p.width <= (offset + size) * 8;
}

/**
 * The storage unit reported by layout(): the naturally aligned unit of the declared type that holds
 * the field (always the case without `pack`); otherwise the smallest run of bytes that holds it.
 */
export function storageUnit(p: BitPlacement): BitWindow {
  const unitOffset = Math.floor(p.bitPos / (p.storageSize * 8)) * p.storageSize;
  if (contains(p, unitOffset, p.storageSize)) {
    return { offset: unitOffset, size: p.storageSize, shift: shiftIn(p, unitOffset, p.storageSize) };
  }
  const first = Math.floor(p.bitPos / 8);
  const size = Math.ceil((p.bitPos + p.width) / 8) - first;
  return { offset: first, size, shift: shiftIn(p, first, size) };
}

/**
 * A 1-, 2- or 4-byte window inside the enclosing type that holds the whole field, for inlined
 * DataView access; null when none exists (packed fields spanning more than 4 bytes).
 */
export function fastWindow(p: BitPlacement): BitWindow | null {
  const first = Math.floor(p.bitPos / 8);
  const needed = Math.ceil((p.bitPos + p.width) / 8) - first;
  for (const size of [1, 2, 4]) {
    if (size < needed) continue;
    // Prefer the natural unit of this size, then a window starting at the first byte, then one
    // ending at the container's end.
    for (const offset of [Math.floor(first / size) * size, first, p.containerSize - size]) {
      if (contains(p, offset, size)) return { offset, size, shift: shiftIn(p, offset, size) };
    }
  }
  return null;
}
