/**
 * The structures of Python ipmmap's demos and tests, as @shmkit/struct JSON schemas (data, so
 * tools such as the `shmkit` CLI can load them and other languages can read them).
 */

/** `MmapStructureHeader`: int16 `header_code` (0x1128), float64 `time_stamp` at offset 8; 16 bytes. */
export const HEADER_SCHEMA = {
  name: 'MmapStructureHeader',
  kind: 'struct',
  fields: [
    ['header_code', 'int16'],
    ['time_stamp', 'float64'],
  ],
} as const;

const POINT_2D_SCHEMA = {
  name: 'Point2D',
  kind: 'struct',
  fields: [
    ['x', 'float64'],
    ['y', 'float64'],
  ],
} as const;

/** `DemoMmapStructure`: 688 bytes, alignment 8 (offset table in the package README). */
export const DEMO_SCHEMA = {
  name: 'DemoMmapStructure',
  kind: 'struct',
  fields: [
    ['header', HEADER_SCHEMA],
    ['data_int', 'int32'],
    ['data_string', { chars: 256 }],
    ['data_xy', POINT_2D_SCHEMA],
    [
      'multi_pts',
      {
        name: 'MultiPointsData',
        kind: 'struct',
        fields: [
          ['multi_data_int', 'int32'],
          ['multi_points', { array: POINT_2D_SCHEMA, length: 24 }],
        ],
      },
    ],
  ],
} as const;

/** `SampleMmapStructure` from ipmmap's own tests: 296 bytes. */
export const SAMPLE_SCHEMA = {
  name: 'SampleMmapStructure',
  kind: 'struct',
  fields: [
    ['header', HEADER_SCHEMA],
    ['test_data_int_32', 'int32'],
    ['test_data_double', 'float32'],
    ['test_data_string_256', { chars: 256 }],
    ['test_point_2d', POINT_2D_SCHEMA],
  ],
} as const;
