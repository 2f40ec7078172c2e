// A separate process working on a segment made by the test process. argv[2] is the command:
//   rw posix <name> | rw key <n> | rw id <n>: open read-write, print the text at 0, write a reply at 64
//   open posix <name> | open key <n> | open id <n>, then readonly|readwrite: print "ok <size>" or "error <code>"
//   hang posix <name> | hang sysv <key>: create a volatile segment, print "created <id>", wait to be killed
import { Key, PosixSharedMemory, type SharedMemory, ShmError, ShmId, SysvSharedMemory } from '../../src/index.js';

const [command, kind, ref, access] = process.argv.slice(2);

function open(readonly: boolean): SharedMemory {
  if (kind === 'posix') return PosixSharedMemory.open(ref!, { readonly });
  if (kind === 'key') return SysvSharedMemory.open(new Key(Number(ref)), { readonly });
  return SysvSharedMemory.open(new ShmId(Number(ref)), { readonly });
}

if (command === 'rw') {
  using mem = open(false);
  const text = mem.buffer.toString('utf8', 0, mem.buffer.indexOf(0));
  console.log(`read ${text}`);
  mem.write('reply from child\0', 64);
  console.log('done');
} else if (command === 'open') {
  try {
    using mem = open(access === 'readonly');
    console.log(`ok ${mem.size}`);
  } catch (err) {
    console.log(`error ${err instanceof ShmError ? err.code : String(err)}`);
  }
} else if (command === 'hang') {
  const mem =
    kind === 'posix'
      ? PosixSharedMemory.create(ref!, 4096)
      : SysvSharedMemory.create(new Key(Number(ref)), 4096);
  mem.buffer[0] = 1;
  console.log(`created ${String(mem.id.valueOf())}`);
  setInterval(() => {}, 1000);
}
