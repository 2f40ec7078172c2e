// Proves that every published package works on its own: pack it with the @shmkit packages it
// depends on, install the tarballs with plain npm in a directory outside the repository, and run
// the package's test/pack-smoke.mjs there.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pnpm = ['npx', '-y', 'pnpm@10.34.9'];
const work = mkdtempSync(join(tmpdir(), 'shmkit-pack-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);

const packages = new Map();
for (const dir of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (pkg.private) continue;
  packages.set(pkg.name, { dir: join(root, 'packages', dir), pkg });
}

function run(cmd, args, cwd) {
  execFileSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
}

const tarballOf = new Map();
for (const [name, { dir }] of packages) {
  const before = new Set(readdirSync(tarballs));
  run(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', tarballs], dir);
  const created = readdirSync(tarballs).find((f) => !before.has(f));
  if (!created) throw new Error(`pnpm pack produced nothing for ${name}`);
  tarballOf.set(name, join(tarballs, created));
}

function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const { pkg } = packages.get(name);
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    if (packages.has(dep)) closure(dep, seen);
  }
  return seen;
}

let failures = 0;
for (const [name, { dir }] of packages) {
  const smoke = join(dir, 'test', 'pack-smoke.mjs');
  if (!existsSync(smoke)) {
    console.error(`pack-smoke: ${name} has no test/pack-smoke.mjs`);
    failures += 1;
    continue;
  }
  const app = join(work, name.replace('@shmkit/', 'app-'));
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'smoke-app', private: true, type: 'module' }));
  copyFileSync(smoke, join(app, 'smoke.mjs'));
  try {
    const tgz = [...closure(name)].map((n) => tarballOf.get(n));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tgz], app);
    run(process.execPath, ['smoke.mjs'], app);
    console.log(`pack-smoke: ${name} ok`);
  } catch (err) {
    console.error(`pack-smoke: ${name} FAILED: ${err.message}`);
    failures += 1;
  }
}
rmSync(work, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
