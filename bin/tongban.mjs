#!/usr/bin/env node
// `npx tongban …`: runs the compiled CLI (npm run build:server produces it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/server/cli.js', import.meta.url));
if (!existsSync(compiled)) {
  console.error('tongban: the server is not built yet; run `npm run build:server` (or use `npm run tongban -- <command>` from sources)');
  process.exit(1);
}
await import(compiled);
