import { array, chars, float64, int16, int32, struct } from '@shmkit/struct';

/**
 * The header every ipmmap struct starts with (Python: `ipmmap.struct.MmapStructureHeader`):
 * int16 `header_code` = 0x1128, 6 bytes of padding, float64 `time_stamp` (Unix seconds). 16 bytes.
 */
export const MmapStructureHeader = struct('MmapStructureHeader', { header_code: int16, time_stamp: float64 });

const Point2D = struct('Point2D', { x: float64, y: float64 });
const MultiPointsData = struct('MultiPointsData', { multi_data_int: int32, multi_points: array(Point2D, 24) });

/** Python ipmmap's demo struct, 688 bytes (the same struct as DEMO_SCHEMA). */
export const DemoMmapStructure = struct('DemoMmapStructure', {
  header: MmapStructureHeader,
  data_int: int32,
  data_string: chars(256),
  data_xy: Point2D,
  multi_pts: MultiPointsData,
});
