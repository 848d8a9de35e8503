#!/usr/bin/env node
// `npm start`: rebuild only what changed since the last build (npm ci already built everything
// through `prepare`), then run the compiled server. Keeps a fresh clone's first start fast and an
// edited checkout correct.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

function builtAt(path) {
  return existsSync(path) ? statSync(path).mtimeMs : -1;
}

const sources = { server: ['server/src', 'server/tsconfig.build.json', 'package-lock.json'], web: ['web', 'server/src/shared', 'package-lock.json'] };
if (Math.max(...sources.server.map(newest)) > builtAt('dist/server/main.js')) {
  execSync('npm run --silent build:server', { stdio: 'inherit' });
}
if (Math.max(...sources.web.map(newest)) > builtAt('dist/web/index.html')) {
  execSync('npm run --silent build:web', { stdio: 'inherit' });
}
await import('../dist/server/main.js');
