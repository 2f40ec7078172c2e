// Opens a lock of `kind` at `path` and tries it once; prints {"ok":true} or {"code":...}.
// argv: record|file path
import { FileLock, RecordLock } from '../../src/index.js';

const [kind, path] = process.argv.slice(2) as ['record' | 'file', string];
try {
  const lock = kind === 'record' ? new RecordLock(path) : new FileLock(path);
  const guard = lock.tryLock();
  guard?.release();
  console.log(JSON.stringify({ ok: guard !== null }));
} catch (err) {
  console.log(JSON.stringify({ code: (err as NodeJS.ErrnoException).code, message: (err as Error).message }));
}
