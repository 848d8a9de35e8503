import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { NewUser } from '../../platform/db/schema.js';

export function findUserByUsername(db: Executor, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUser(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertUser(db: Executor, user: NewUser) {
  return db.insertInto('users').values(user).onConflict((oc) => oc.column('username').doNothing()).returningAll().executeTakeFirst();
}

export function updateUser(db: Executor, id: string, patch: { name?: string; roles?: string[]; active?: boolean; department_id?: string; phone?: string; password_hash?: string }) {
  return db.updateTable('users').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Counts a failure and locks the account once the count reaches the threshold, atomically. */
export async function recordLoginFailure(db: Executor, id: string, threshold: number, lockMinutes: number) {
  const result = await sql<{ failed_logins: number; locked_until: Date | null }>`
    UPDATE users SET
      failed_logins = CASE WHEN failed_logins + 1 >= ${threshold} THEN 0 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN failed_logins + 1 >= ${threshold} THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END
    WHERE id = ${id}
    RETURNING failed_logins, locked_until`.execute(db);
  return result.rows[0];
}

export function clearLoginFailures(db: Executor, id: string) {
  return db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

export function listStaff(db: Executor, filter: { departmentIds?: string[]; afterUsername?: string; limit: number }) {
  let q = db.selectFrom('users').selectAll().where('kind', '=', 'staff');
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return Promise.resolve([]);
    q = q.where('department_id', 'in', filter.departmentIds);
  }
  if (filter.afterUsername) q = q.where('username', '>', filter.afterUsername);
  return q.orderBy('username').limit(filter.limit).execute();
}

export function countDemoUsers(db: Executor) {
  return db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('demo', '=', true).executeTakeFirstOrThrow();
}

export function insertSession(db: Executor, row: { id: string; user_id: string; csrf_token: string; expires_at: Date; ip: string | null }) {
  return db.insertInto('sessions').values(row).execute();
}

export function findLiveSession(db: Executor, id: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    // the applicant's profile columns come along: a submission then needs no second read (IdentityService.applicantProfileOf)
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'users.id', 'users.kind', 'users.name', 'users.roles', 'users.department_id', 'users.active', 'users.id_number', 'users.credit_code', 'users.phone'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
}

export function deleteSession(db: Executor, id: string) {
  return db.deleteFrom('sessions').where('id', '=', id).execute();
}

export function deleteUserSessions(db: Executor, userId: string) {
  return db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export function deleteExpiredSessions(db: Executor) {
  return db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
}

export function insertClient(db: Executor, row: { name: string; token_hash: string; scopes: string[]; department_id: string | null }) {
  return db.insertInto('api_clients').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findClientByTokenHash(db: Executor, tokenHash: string) {
  return db.selectFrom('api_clients').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export function listClients(db: Executor) {
  return db.selectFrom('api_clients').select(['id', 'name', 'scopes', 'department_id', 'created_at', 'revoked_at']).orderBy('created_at').execute();
}

export function revokeClient(db: Executor, id: string) {
  return db.updateTable('api_clients').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
}
