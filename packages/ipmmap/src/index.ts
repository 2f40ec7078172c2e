export type { ChangesOptions, Snapshot } from './changes.js';
export { DataStructMmapEditor } from './editor.js';
export { IpmmapError, type IpmmapErrorCode } from './errors.js';
export { HEADER_CODE, HEADER_SIZE, TIME_STAMP_OFFSET } from './header.js';
export { DataStructMmapManager, type ManagerOptions } from './manager.js';
export {
  DEFAULT_FASTENER_DIR,
  DEFAULT_MMAP_DIR,
  ipmmapPaths,
  type IpmmapPaths,
  LOCK_SUFFIX,
  MMAP_SUFFIX,
  withSuffix,
} from './naming.js';
export { DataStructMmapReader, type HandleOptions, type OpenOptions } from './reader.js';
export { registerStruct, setUserStructs } from './registry.js';
export { EditScope, ReadScope } from './scope.js';
export { DemoMmapStructure, MmapStructureHeader } from './structs.js';
export { describeStruct } from './describe.js';
export { DEMO_SCHEMA, HEADER_SCHEMA, SAMPLE_SCHEMA } from './demo-schema.js';
