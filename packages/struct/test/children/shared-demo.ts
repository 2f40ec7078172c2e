/**
 * Child process for the cross-process tests: maps the file named on the command line with
 * @shmkit/region and, by mode, writes a Demo through a view, prints what it reads, or keeps
 * writing generations until killed.
 */
import { MapRegion } from '@shmkit/region';
import { Demo, Generations } from '../fixtures/shared.js';

const [mode, path] = process.argv.slice(2) as [string, string];
const size = mode === 'generations' ? Generations.size : Demo.size;
const region = new MapRegion(path, 0, size, { writable: true });
const buf = region.buffer();

if (mode === 'write') {
  const v = Demo.view(buf);
  v.header.header_code = 0x1128;
  v.header.time_stamp = 1700000000.25;
  v.data_int = -123456;
  v.data_string = 'written by the child ✓';
  v.data_xy.x = 1.5;
  v.data_xy.y = -2.5;
  v.multi_pts.multi_data_int = 24;
  for (let i = 0; i < 24; i++) {
    const p = v.multi_pts.multi_points.get(i);
    p.x = i * 10;
    p.y = i * 10 + 0.5;
  }
  console.log('written');
} else if (mode === 'read') {
  console.log(JSON.stringify(Demo.read(buf)));
} else if (mode === 'generations') {
  const v = Generations.view(buf);
  console.log('writing');
  for (let g = 1; ; g++) {
    v.g0 = g;
    v.g1 = g;
    v.g2 = g;
    v.g3 = g;
    v.g4 = g;
    v.g5 = g;
    v.g6 = g;
    v.g7 = g;
  }
}
region.release();
