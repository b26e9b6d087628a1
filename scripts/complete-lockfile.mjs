#!/usr/bin/env node
// This machine's npm registry mirror only serves the linux-x64 builds of packages with per-platform
// binaries (@swc/core-*, @unrs/resolver-binding-*…), so `npm install` leaves the other platforms out
// of package-lock.json and `npm ci` then refuses the lockfile ("Missing: … from lock file").
// Run this after changing dependencies: it records each missing optional platform package by
// name and version, exactly as the public registry's lockfile would list it (npm skips them at
// install time on any other platform).
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries({ ...packages })) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const parent = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[`node_modules/${name}`] || packages[parent]) continue;
    packages[`node_modules/${name}`] = { version, dev: meta.dev, optional: true };
    added++;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} platform-specific optional package(s) recorded`);
