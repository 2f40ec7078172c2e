import { readFileSync } from 'node:fs';
import { fromSchema } from '@shmkit/struct';
import { schemaError, usageError } from './cli-error.js';

export type SchemaType = ReturnType<typeof fromSchema>;

/** Loads a @shmkit/struct JSON schema file; every problem is a schema error (exit status 4). */
export function loadSchema(file: string | undefined): SchemaType {
  if (!file) throw usageError('--schema <file.json> is required (a @shmkit/struct JSON schema)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw schemaError(`cannot read the schema ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw schemaError(`${file} is not valid JSON: ${(err as Error).message}`, err);
  }
  try {
    return fromSchema(json as Parameters<typeof fromSchema>[0]);
  } catch (err) {
    throw schemaError(`${file} is not a valid struct schema: ${(err as Error).message}`, err);
  }
}
