import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildTemplates } from './templates.js';

/** Builds the PGlite templates once per run (templates.ts); a PostgreSQL run needs none. */
export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgliteTemplates', null);
    return () => {};
  }
  const folder = mkdtempSync(join(tmpdir(), 'tongban-templates-'));
  project.provide('pgliteTemplates', await buildTemplates(folder));
  return () => rmSync(folder, { recursive: true, force: true });
}
