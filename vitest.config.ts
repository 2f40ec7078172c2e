import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve each other to their TypeScript sources through this export condition.
const conditions = ['@shmkit/source', 'module', 'node', 'development|production'];

const projectDirs = ['packages', 'apps'].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(group, d.name, 'test')))
        .map((d) => join(group, d.name))
    : [],
);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/')[1] as string,
        root: dir,
        include: ['test/**/*.test.ts'],
      },
    })),
  },
});
