/**
 * The part of an @shmkit/struct type that ipmmap relies on. Kept structural so any struct or
 * union type built by @shmkit/struct (struct(), fromSchema(), extend()) is accepted as is.
 */
export interface LayoutLeaf {
  path: string;
  offset: number;
  size: number;
  type: string;
  bitOffset?: number;
  bitWidth?: number;
}

export interface StructLike<Value = any> {
  readonly size: number;
  readonly align: number;
  layout(): readonly LayoutLeaf[];
  view(buffer: Uint8Array, byteOffset?: number): Value;
  read(buffer: Uint8Array, byteOffset?: number): Value;
  get(buffer: Uint8Array, path: string): unknown;
  set(buffer: Uint8Array, path: string, value: unknown): void;
  toSchema(): { name: string; kind?: string; fields: ReadonlyArray<readonly [string, unknown]> };
}

/** The plain-object value type of a struct type (what `read()` returns). */
export type ValueOf<T> = T extends StructLike<infer V> ? V : never;
