/**
 * `tongban verify-sharing-log` end to end on an embedded database in a temporary folder, and the
 * configuration the module reads.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config/config.js';
import { openDatabase } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { AccessLogWriter } from './access-log.js';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function cli(dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'verify-sharing-log'], {
      env: { ...process.env, DATA_DIR: dataDir, TONGBAN_MODE: 'demo', DATABASE_URL: '', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tongban verify-sharing-log', () => {
  it('reports an intact log (exit 0) and names the first broken entry (exit 1)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tongban-sharing-cli-'));
    dirs.push(dataDir);
    const database = await openDatabase({ dataDir });
    const chain = randomUUID();
    try {
      await migrateToLatest(database.db);
      const writer = new AccessLogWriter(database.db);
      await Promise.all(Array.from({ length: 5 }, (_, i) => writer.append({
        at: new Date(Date.UTC(2026, 4, 6, 9, 0, i)), requestId: randomUUID(), kind: 'lookup', actor: 'client:x', consumerDepartmentId: randomUUID(),
        resourceId: chain, providerDepartmentId: randomUUID(), subjectHash: 'a'.repeat(64), subjectMasked: '440***1233', caseRef: `TB${i}`,
        purpose: null, consentId: null, grantId: null, outcome: 'ok', reason: null, fields: ['name'], responseDigest: 'b'.repeat(64),
      })));
    } finally {
      await database.close();
    }

    const intact = await cli(dataDir);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain('sharing access log intact: 5 entries in 1 chains verified');

    const again = await openDatabase({ dataDir });
    let victim: number;
    try {
      victim = (await again.db.selectFrom('sharing_access_log').select('id').where('seq', '=', 3).executeTakeFirstOrThrow()).id;
      await sql`ALTER TABLE sharing_access_log DISABLE TRIGGER sharing_access_log_no_change`.execute(again.db);
      await sql`UPDATE sharing_access_log SET case_ref = 'TB-forged' WHERE id = ${victim}`.execute(again.db);
    } finally {
      await again.close();
    }
    const broken = await cli(dataDir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`sharing access log broken at entry ${victim} of chain ${chain} (hash_mismatch); 2 entries before it verified`);
  }, 120_000);
});

describe('configuration', () => {
  it('derives the subject key from the session secret unless set, and refuses a short one', () => {
    const secret = 's'.repeat(40);
    const a = loadConfig({ SESSION_SECRET: secret, DATA_DIR: 'memory://' });
    expect(a.sharingSubjectKey).toBe(loadConfig({ SESSION_SECRET: secret, DATA_DIR: 'memory://' }).sharingSubjectKey);
    expect(a.sharingSubjectKey).not.toContain(secret);
    expect(loadConfig({ SESSION_SECRET: secret, DATA_DIR: 'memory://', SHARING_SUBJECT_KEY: 'k'.repeat(32) }).sharingSubjectKey).toBe('k'.repeat(32));
    expect(() => loadConfig({ SESSION_SECRET: secret, DATA_DIR: 'memory://', SHARING_SUBJECT_KEY: 'short' })).toThrow(ConfigError);
  });

  it('admits the loopback for proxied providers in demo mode only, and reads a host list', () => {
    expect(loadConfig({ DATA_DIR: 'memory://' }).sharingEndpointHosts).toEqual(['127.0.0.1', 'localhost']);
    const production = { TONGBAN_MODE: 'production', DATABASE_URL: 'postgres://u:p@db.internal/tongban', SESSION_SECRET: 'x'.repeat(40) };
    expect(loadConfig(production).sharingEndpointHosts).toEqual([]);
    expect(loadConfig({ ...production, SHARING_ENDPOINT_HOSTS: ' gongan.gov.internal:8443, RSJ.gov.internal ' }).sharingEndpointHosts).toEqual(['gongan.gov.internal:8443', 'rsj.gov.internal']);
    try {
      loadConfig({ ...production, SHARING_ENDPOINT_HOSTS: 'http://x/y' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe('SHARING_ENDPOINT_HOSTS');
    }
  });
});
