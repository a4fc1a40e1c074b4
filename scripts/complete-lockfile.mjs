#!/usr/bin/env node
// Adds to package-lock.json the platform-specific optional packages that npm 11 left out of it
// (npm/cli#4828, #8320): `npm ci` then refuses the lock file ("Missing: ... from lock file") even
// though it would skip those packages on this platform anyway. Run it after changing
// dependencies: `npm install && node scripts/complete-lockfile.mjs`, then prove `npm ci` in a
// fresh clone. It only adds entries, with the metadata the registry gives (`npm view`).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(location, name)) continue;
    const meta = registryMetadata(name, version) ?? platformFromName(name, version);
    packages[`node_modules/${name}`] = {
      version: meta.version,
      ...(meta.integrity && { integrity: meta.integrity }),
      ...(meta.cpu && { cpu: meta.cpu }),
      ...(entry.dev && { dev: true }),
      ...(meta.libc && { libc: meta.libc }),
      ...(meta.license && { license: meta.license }),
      optional: true,
      ...(meta.os && { os: meta.os }),
    };
    added++;
    console.log(`added ${name}@${meta.version}`);
  }
}

// Keep npm's order (sorted by location) so the diff stays small.
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} entries added`);

/** What the registry says of the package, or null when it does not have it (a mirror of one platform). */
function registryMetadata(name, version) {
  try {
    const meta = JSON.parse(
      execFileSync(
        'npm',
        ['view', `${name}@${version}`, '--json', 'version', 'dist.integrity', 'cpu', 'os', 'libc', 'license'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      ),
    );
    return { ...meta, integrity: meta['dist.integrity'] };
  } catch {
    return null;
  }
}

/**
 * The platform of a napi-rs style binding, read from its name (`...-linux-x64-musl`,
 * `...-darwin-arm64`, `...-win32-ia32-msvc`): enough for `npm ci` to skip it on other platforms.
 */
function platformFromName(name, version) {
  const os = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'wasm32'].find((o) =>
    name.includes(`-${o}-`),
  );
  const cpu = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasi'].find((c) =>
    new RegExp(`-${c}(-|$)`).test(name.slice(name.indexOf(`-${os}-`) + os.length + 1)),
  );
  if (!os || !cpu) throw new Error(`cannot tell the platform of ${name}@${version}: add its lock entry by hand`);
  if (os === 'wasm32') return { version, cpu: ['wasm32'] };
  const libc =
    name.endsWith('-musl') || name.endsWith('-musleabihf') ? ['musl'] : os === 'linux' ? ['glibc'] : undefined;
  return { version, os: [os], cpu: [cpu], ...(libc && { libc }) };
}

/** Whether `name` is installed where Node would find it from the package at `location`. */
function resolves(location, name) {
  for (let dir = location; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
  }
}
