/** Exit statuses of the shmkit command (documented in the README). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  target: 3,
  schema: 4,
} as const;

/** An error that ends the command with a message (no stack trace) and a specific exit status. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);
export const targetError = (message: string, cause?: unknown) => new CliError(EXIT.target, message, { cause });
export const schemaError = (message: string, cause?: unknown) => new CliError(EXIT.schema, message, { cause });
