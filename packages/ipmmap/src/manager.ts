import { mkdirSync } from 'node:fs';
import { MapRegion } from '@shmkit/region';
import { createDataFile, resetDataFile } from './create-file.js';
import { DataStructMmapEditor } from './editor.js';
import { freshImage, nowSeconds } from './header.js';
import { checkSyncOpen } from './nesting.js';
import type { HandleOptions } from './reader.js';
import type { AnyStructType } from '@shmkit/struct';

export interface ManagerOptions extends HandleOptions {
  /** Create the data file if it does not exist (an existing file and its values are left alone). Default false. */
  create?: boolean;
  /**
   * With `create`: also reset an existing file to the fresh image (header, current time, zeros).
   * The reset happens in place under the write lock, so live mappers never see a short file.
   */
  force?: boolean;
  /** Permissions of a created data file. Default 0o600 (owner only). */
  mode?: number;
  /** Milliseconds to wait for the write lock when `force` resets a file. Default: no limit. */
  timeout?: number;
}

/**
 * Owner of one ipmmap struct file (Python ipmmap's `DataStructMmapManager`): creates the file
 * (`create`, `force`) and can keep it mapped with openMemory()/closeMemory(); scopes are editor
 * scopes (write lock).
 */
export class DataStructMmapManager<T extends AnyStructType = AnyStructType> extends DataStructMmapEditor<T> {
  #memory: MapRegion | null = null;
  /** True when this manager's construction created the data file or reset it. */
  readonly created: boolean = false;

  constructor(structNameOrType: string | T, options: ManagerOptions = {}) {
    super(structNameOrType, options);
    if (!options.create) return;
    mkdirSync(this.mmapDir, { recursive: true, mode: 0o700 });
    const mode = options.mode ?? 0o600;
    const image = freshImage(this.structType.size, nowSeconds());
    if (!options.force) {
      this.created = createDataFile(this.mmapFilePath, image, mode);
      return;
    }
    checkSyncOpen(this.fastenerFilePath, 'write', false);
    const guard = this.recordLock().writeLock({ timeout: options.timeout });
    try {
      if (!createDataFile(this.mmapFilePath, image, mode)) resetDataFile(this.mmapFilePath, image);
      this.created = true;
    } finally {
      guard.release();
    }
  }

  /**
   * Maps the data file read-write and keeps it mapped until closeMemory() or close(), without a
   * lock (as Python's openMemory). Reading and writing still go through scopes. Idempotent.
   */
  openMemory(): void {
    if (this.#memory) return;
    this.#memory = new MapRegion(this.mmapFilePath, 0, this.structType.size, { writable: true });
  }

  /** Drops the mapping made by openMemory(). Harmless when openMemory() was never called. */
  closeMemory(): void {
    const memory = this.#memory;
    this.#memory = null;
    memory?.release();
  }

  override close(): void {
    try {
      this.closeMemory();
    } finally {
      super.close();
    }
  }
}
