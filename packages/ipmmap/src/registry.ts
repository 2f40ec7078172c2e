import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IpmmapError } from './errors.js';
import type { AnyStructType } from '@shmkit/struct';

/**
 * Struct types known by name, so handles can be built from a name as in Python ipmmap
 * (`new DataStructMmapReader('DemoMmapStructure')`). Registration is explicit: no class scanning,
 * and a second, different type under a name already taken is refused instead of "first wins".
 */
const registered = new Map<string, AnyStructType>();

/** The struct name a type is registered and found under (also the base of its file names). */
export function structNameOf(type: AnyStructType): string {
  return type.name;
}

/** Makes `type` findable by its struct name. Registering the same type again is harmless. */
export function registerStruct<T extends AnyStructType>(type: T): T {
  const name = structNameOf(type);
  const existing = registered.get(name);
  if (existing && existing !== type && JSON.stringify(existing.toSchema()) !== JSON.stringify(type.toSchema())) {
    throw new IpmmapError(
      'ERR_SHMKIT_IPMMAP_DUPLICATE_STRUCT',
      `another struct named '${name}' with a different layout is already registered`,
    );
  }
  if (!existing) registered.set(name, type);
  return type;
}

/**
 * Imports modules that call `registerStruct` (Python: `setUserStructs(["demo_struct"])`). Relative
 * specifiers ('./structs.js') and paths are resolved against the working directory; bare names
 * are imported as packages.
 */
export async function setUserStructs(moduleNames: readonly string[]): Promise<void> {
  for (const name of moduleNames) {
    const specifier = name.startsWith('.') || isAbsolute(name) ? pathToFileURL(resolve(name)).href : name;
    await import(specifier);
  }
}

/** The registered type for a name, or the type itself. */
export function resolveStruct<T extends AnyStructType>(nameOrType: string | T): T {
  if (typeof nameOrType !== 'string') return nameOrType;
  const type = registered.get(nameOrType);
  if (!type) {
    throw new IpmmapError(
      'ERR_SHMKIT_IPMMAP_STRUCT_NOT_FOUND',
      `no struct named '${nameOrType}' is registered; call registerStruct(type) or setUserStructs([...]) first` +
        (registered.size ? ` (registered: ${[...registered.keys()].join(', ')})` : ''),
    );
  }
  return type as T;
}
