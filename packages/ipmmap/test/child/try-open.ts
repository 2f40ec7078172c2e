// Tries to open a reader or editor scope on DemoMmapStructure and prints the outcome as JSON:
// {"ok": true, "dataInt": n} or {"code": "...", "name": "...", "message": "..."}.
import { DataStructMmapEditor, DataStructMmapReader, DemoMmapStructure } from '../../src/index.js';

const [mmapDir, fastenerDir, role] = process.argv.slice(2) as [string, string, 'read' | 'write'];
try {
  const Handle = role === 'write' ? DataStructMmapEditor : DataStructMmapReader;
  using handle = new Handle(DemoMmapStructure, { mmapDir, fastenerDir });
  using scope = handle.open({ timeout: 2000 });
  console.log(JSON.stringify({ ok: true, dataInt: scope.readData('data_int') }));
} catch (err) {
  const e = err as Error & { code?: string };
  console.log(JSON.stringify({ code: e.code, name: e.name, message: e.message }));
}
