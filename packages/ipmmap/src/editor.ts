import type { LockMode } from './nesting.js';
import { DataStructMmapReader, type OpenOptions } from './reader.js';
import { EditScope, type ScopeCore } from './scope.js';
import type { AnyStructType } from '@shmkit/struct';

/**
 * Read-write access to one ipmmap struct file (Python ipmmap's `DataStructMmapEditor`). Scopes
 * hold the exclusive (write) lock and add writeData, updateLastUpdate, referMappedBuffer and
 * clearMappedBuffer.
 */
export class DataStructMmapEditor<T extends AnyStructType = AnyStructType> extends DataStructMmapReader<T> {
  protected override get lockMode(): LockMode {
    return 'write';
  }

  protected override editableMapping(): boolean {
    return true;
  }

  protected override makeScope(core: ScopeCore): EditScope<T> {
    return new EditScope<T>(core);
  }

  override open(options: OpenOptions = {}): EditScope<T> {
    return super.open(options) as EditScope<T>;
  }

  override tryOpen(): EditScope<T> | null {
    return super.tryOpen() as EditScope<T> | null;
  }

  override use<R>(fn: (scope: EditScope<T>) => R | Promise<R>, options: OpenOptions = {}): Promise<R> {
    return super.use((scope) => fn(scope as EditScope<T>), options);
  }
}
