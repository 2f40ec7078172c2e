import { controlView } from './control.js';
import { openSharedFile, type SharedFile } from './shared-file.js';

/**
 * Worker start-up shared by the pair workers: the JSON config in argv[2] (naming the shared file
 * the parent laid out), that file mapped, and the control block at its start.
 */
export function attachPairWorker<C extends { path: string }>(): { config: C; file: SharedFile; control: Int32Array } {
  const config = JSON.parse(process.argv[2]!) as C;
  const file = openSharedFile(config.path);
  return { config, file, control: controlView(file.buffer) };
}
