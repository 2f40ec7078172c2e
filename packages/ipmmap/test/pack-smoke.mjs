// Runs outside the repository against the packed tarball: a real ipmmap file shared between
// this process and a child it forks of itself, with the lock excluding one from the other.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataStructMmapEditor, DataStructMmapManager, DataStructMmapReader, DemoMmapStructure } from '@shmkit/ipmmap';

const [role, dir] = process.argv.slice(2);
const dirsOf = (d) => ({ mmapDir: join(d, '.mmap'), fastenerDir: join(d, '.fasteners') });

if (role === 'child') {
  const editor = new DataStructMmapEditor(DemoMmapStructure, dirsOf(dir));
  // The parent holds the write lock: a non-blocking attempt must fail.
  const busy = editor.tryOpen();
  process.send({ busyWhileParentHolds: busy === null });
  busy?.close();
  process.once('message', async () => {
    await editor.use((s) => {
      s.writeData('data_int', 4242);
      s.writeData('data_string', 'written by the child');
      s.updateLastUpdate();
    });
    editor.close();
    process.send({ written: true });
  });
} else {
  const root = mkdtempSync(join(tmpdir(), 'shmkit-ipmmap-smoke-'));
  let failed = false;
  try {
    const manager = new DataStructMmapManager(DemoMmapStructure, { ...dirsOf(root), create: true });
    const scope = manager.open();
    const child = fork(fileURLToPath(import.meta.url), ['child', root]);
    const messages = [];
    const next = () => new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    messages.push(await next());
    scope.close();
    child.send('go');
    messages.push(await next());
    await new Promise((resolve) => child.once('exit', resolve));
    const reader = new DataStructMmapReader(DemoMmapStructure, dirsOf(root));
    const seen = await reader.use((s) => ({ n: s.readData('data_int'), text: s.readData('data_string') }));
    reader.close();
    manager.close();
    if (!messages[0].busyWhileParentHolds) throw new Error('the child got the write lock while the parent held it');
    if (seen.n !== 4242 || seen.text !== 'written by the child') throw new Error(`unexpected data ${JSON.stringify(seen)}`);
    console.log(`@shmkit/ipmmap smoke ok: lock excluded the child, then read ${seen.n} / "${seen.text}"`);
  } catch (err) {
    failed = true;
    console.error('@shmkit/ipmmap smoke FAILED:', err);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
