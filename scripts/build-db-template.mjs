#!/usr/bin/env node
// Part of `npm run build:server`: dumps an empty, migrated PGlite data folder to
// dist/pglite-template.tar, which a first `npm start` loads instead of running initdb
// (server/src/bootstrap.ts). Rebuilt with the server, so it always has the current migrations;
// anything newer is migrated at start as usual.
import { writeFileSync } from 'node:fs';

const { openDatabase } = await import('../dist/server/platform/db/database.js');
const { migrateToLatest } = await import('../dist/server/platform/db/migrate.js');
const database = await openDatabase({ dataDir: 'memory://' });
try {
  await migrateToLatest(database.db);
  writeFileSync(new URL('../dist/pglite-template.tar', import.meta.url), new Uint8Array(await (await database.dump()).arrayBuffer()));
} finally {
  await database.close();
}
