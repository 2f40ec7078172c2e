import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve each other to their TypeScript sources through this export condition.
const conditions = ['@shmkit/source', 'module', 'node', 'development|production'];

// Paths are resolved from this file, so `vitest --root ../..` from a package finds the projects too.
const repoRoot = dirname(fileURLToPath(import.meta.url));

const projectDirs = ['packages', 'apps'].flatMap((group) => {
  const groupDir = join(repoRoot, group);
  return existsSync(groupDir)
    ? readdirSync(groupDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(groupDir, d.name, 'test')))
        .map((d) => ({ name: d.name, dir: join(groupDir, d.name) }))
    : [];
});

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: join(repoRoot, '.vitest-results.json') },
    projects: projectDirs.map(({ name, dir }) => ({
      extends: true,
      test: {
        name,
        root: dir,
        include: ['test/**/*.test.ts'],
      },
    })),
  },
});
