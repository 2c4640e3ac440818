// The registry reachable here serves only some platforms' builds of rollup's native binary, so `npm
// install` cannot record the others in package-lock.json and `npm ci` then refuses the lock as out of
// sync. This adds the missing platform entries (optional, with their os/cpu/libc), which npm skips on
// any other platform without fetching; on a full registry `npm install` writes the same entries itself.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const rollup = lock.packages['node_modules/rollup'];
if (!rollup) throw new Error('no rollup in package-lock.json');

function platform(name) {
  const [os, cpu, abi] = name.replace('@rollup/rollup-', '').split('-');
  const entry = { os: [os], cpu: [cpu === 'arm' ? 'arm' : cpu] };
  if (abi?.includes('musl')) entry.libc = ['musl'];
  else if (os === 'linux') entry.libc = ['glibc'];
  return entry;
}

let added = 0;
for (const [name, version] of Object.entries(rollup.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const { os, cpu, libc } = platform(name);
  lock.packages[key] = { version, cpu, license: 'MIT', optional: true, os, ...(libc ? { libc } : {}) };
  added++;
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} optional platform entries to package-lock.json`);
