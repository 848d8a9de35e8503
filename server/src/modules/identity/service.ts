import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../platform/db/database.js';
import { sql } from 'kysely';
import type { User } from '../../platform/db/schema.js';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../../platform/audit/audit.js';
import type { PrincipalResolver, ResolvedSession } from '../../platform/auth/plugin.js';
import { reaches, type ApplicantPrincipal, type Principal, type StaffPrincipal } from '../../platform/auth/principal.js';
import { CommonErrors, FieldCodes, invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { hitRateLimit } from '../../platform/http/rate-limit.js';
import {
  checkCreditCode,
  checkIdNumber,
  isStrongPassword,
  isValidMobile,
  maskIdNumber,
  maskPhone,
  normalizeCreditCode,
  normalizeIdNumber,
  normalizeMobile,
} from '../../shared/identifiers.js';
import { DEPARTMENT_GRANTABLE_ROLES, isStaffRole, type ClientScope, type StaffRole } from '../../shared/roles.js';
import type { OrgService } from '../org/service.js';
import { IdentityErrors, IdentityFieldCodes } from './errors.js';
import { creditCodeError, idNumberError } from '../../platform/http/identifier-errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { ApiClientInput, RegisterInput, SessionUser, Staff, StaffInput, StaffPatch } from './schemas.js';
import * as store from './store.js';

export interface IdentitySettings {
  sessionSecret: string;
  sessionTtlHours: number;
  /** log2 of scrypt's N; lowered only by the test suite to keep it fast. */
  passwordCost: number;
}

const DEMO_PASSWORD_COST = 10;

/** Failed sign-ins in a row before an account is locked, and for how long. */
const LOCK_THRESHOLD = 5;
const LOCK_MINUTES = 15;
/** Sign-in attempts one address may make per window, whichever accounts they target. */
const IP_ATTEMPTS = 30;
const IP_WINDOW_SECONDS = 300;

const STAFF_MANAGERS: readonly StaffRole[] = ['department_admin', 'system_admin'];

export interface LoginOutcome {
  user: SessionUser;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

function sessionUser(user: Pick<User, 'id' | 'name' | 'kind' | 'roles' | 'department_id'>): SessionUser {
  const result: SessionUser = { id: user.id, name: user.name, kind: user.kind, roles: user.kind === 'staff' ? user.roles : ['applicant'] };
  if (user.department_id) result.departmentId = user.department_id;
  return result;
}

export interface ApplicantProfile {
  id: string;
  kind: 'natural' | 'legal';
  name: string;
  /** ID number or credit code. */
  identifier: string;
  phone: string | null;
}

/**
 * Profiles read with a request's session, keyed by that request's principal object (made per
 * request, so an entry lives as long as the request). Kept beside the principal rather than on
 * it because the principal is logged and audited, and the profile holds ID numbers and phones.
 */
const profilesBySession = new WeakMap<Principal, ApplicantProfile>();

function toApplicantProfile(user: Pick<User, 'id' | 'kind' | 'name' | 'id_number' | 'credit_code' | 'phone' | 'active'>): ApplicantProfile | null {
  if (!user.active) return null;
  const identifier = user.kind === 'natural' ? user.id_number : user.kind === 'legal' ? user.credit_code : null;
  if (!identifier || user.kind === 'staff') return null;
  return { id: user.id, kind: user.kind, name: user.name, identifier, phone: user.phone };
}

function toStaff(user: User, masked: boolean): Staff {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    departmentId: user.department_id ?? '',
    roles: user.roles.filter(isStaffRole),
    phone: user.phone === null ? null : masked ? maskPhone(user.phone) : user.phone,
    active: user.active,
  };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Applicants, staff, sessions and channel clients: who someone is and what they hold. */
export class IdentityService implements PrincipalResolver {
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly settings: IdentitySettings,
  ) {
    // Verifying against a real hash when the user does not exist keeps the response time the
    // same, so timing does not reveal which ID numbers hold accounts.
    this.dummyHash = hashPassword(randomBytes(16).toString('hex'), settings.passwordCost);
  }

  /**
   * Demo accounts share a password printed in the README, so a slow hash protects nothing there;
   * a cheap one keeps the demo city's first start fast.
   */
  private costFor(options: { demo?: boolean }): number {
    return options.demo ? Math.min(DEMO_PASSWORD_COST, this.settings.passwordCost) : this.settings.passwordCost;
  }

  private sessionId(token: string): string {
    return createHmac('sha256', this.settings.sessionSecret).update(token).digest('hex');
  }

  async register(actor: AuditActor, input: RegisterInput, options: { demo?: boolean } = {}): Promise<{ id: string; kind: 'natural' | 'legal'; name: string; username: string }> {
    const errors: FieldErrorSpec[] = [];
    let username = '';
    if (input.kind === 'natural') {
      const id = normalizeIdNumber(input.idNumber ?? '');
      const problem = input.idNumber ? checkIdNumber(id) : null;
      if (!input.idNumber) errors.push({ field: 'idNumber', code: FieldCodes.required });
      else if (problem) errors.push(idNumberError('idNumber', problem));
      username = id;
    } else {
      const code = normalizeCreditCode(input.creditCode ?? '');
      const problem = input.creditCode ? checkCreditCode(code) : null;
      if (!input.creditCode) errors.push({ field: 'creditCode', code: FieldCodes.required });
      else if (problem) errors.push(creditCodeError('creditCode', problem));
      username = code;
    }
    if (input.name.trim() === '') errors.push({ field: 'name', code: FieldCodes.required });
    if (!isValidMobile(input.phone)) errors.push({ field: 'phone', code: IdentityFieldCodes.invalid_phone });
    if (!isStrongPassword(input.password)) errors.push({ field: 'password', code: IdentityFieldCodes.weak_password });
    if (errors.length > 0) throw invalidInput(errors);

    const passwordHash = await hashPassword(input.password, this.costFor(options));
    return this.db.transaction().execute(async (tx) => {
      const user = await store.insertUser(tx, {
        kind: input.kind,
        username,
        name: input.name.trim(),
        id_number: input.kind === 'natural' ? username : null,
        credit_code: input.kind === 'legal' ? username : null,
        phone: normalizeMobile(input.phone),
        password_hash: passwordHash,
        demo: options.demo ?? false,
      });
      if (!user) throw IdentityErrors.account_exists();
      await recordAudit(tx, { ...actor, id: user.id, kind: 'applicant' }, { action: 'identity.applicant.registered', targetType: 'user', targetId: user.id, detail: { kind: input.kind } });
      return { id: user.id, kind: input.kind, name: user.name, username: maskIdNumber(username) };
    });
  }

  async login(ip: string, username: string, password: string): Promise<LoginOutcome> {
    if ((await hitRateLimit(this.db, `login-ip:${ip}`, IP_WINDOW_SECONDS)) > IP_ATTEMPTS) throw CommonErrors.too_many_requests();
    // Applicants sign in with an ID number whose check character may be typed as a lower-case x.
    const name = username.trim();
    const user =
      (await store.findUserByUsername(this.db, name)) ??
      (name !== name.toUpperCase() ? await store.findUserByUsername(this.db, name.toUpperCase()) : undefined);
    const actor: AuditActor = { id: user?.id ?? null, kind: 'anonymous', ip };
    if (!user || !user.active) {
      await verifyPassword(password, await this.dummyHash);
      await recordAudit(this.db, actor, { action: 'identity.login.failed', detail: { reason: user ? 'inactive' : 'unknown_user' } });
      throw IdentityErrors.invalid_credentials();
    }
    if (user.locked_until && user.locked_until > new Date()) {
      const minutes = Math.ceil((user.locked_until.getTime() - Date.now()) / 60_000);
      await recordAudit(this.db, actor, { action: 'identity.login.failed', targetType: 'user', targetId: user.id, detail: { reason: 'locked' } });
      throw IdentityErrors.account_locked({ minutes });
    }
    if (!(await verifyPassword(password, user.password_hash))) {
      const state = await store.recordLoginFailure(this.db, user.id, LOCK_THRESHOLD, LOCK_MINUTES);
      await recordAudit(this.db, actor, { action: 'identity.login.failed', targetType: 'user', targetId: user.id, detail: { reason: 'password' } });
      if (state?.locked_until && state.locked_until > new Date()) throw IdentityErrors.account_locked({ minutes: LOCK_MINUTES });
      throw IdentityErrors.invalid_credentials();
    }

    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.sessionTtlHours * 3600_000);
    await this.db.transaction().execute(async (tx) => {
      await store.clearLoginFailures(tx, user.id);
      await store.deleteExpiredSessions(tx);
      await store.insertSession(tx, { id: this.sessionId(sessionToken), user_id: user.id, csrf_token: csrfToken, expires_at: expiresAt, ip });
      await recordAudit(tx, { ...actor, kind: user.kind === 'staff' ? 'staff' : 'applicant' }, { action: 'identity.login.succeeded', targetType: 'user', targetId: user.id });
    });
    return { user: sessionUser(user), sessionToken, csrfToken, expiresAt };
  }

  async logout(actor: AuditActor, session: ResolvedSession): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await store.deleteSession(tx, session.sessionId);
      await recordAudit(tx, actor, { action: 'identity.logout', targetType: 'user', targetId: actor.id ?? undefined });
    });
  }

  async me(principal: Principal, csrfToken: string | null) {
    if (principal.kind === 'client') throw CommonErrors.forbidden();
    const user = await store.findUser(this.db, principal.userId);
    if (!user) throw CommonErrors.unauthenticated();
    return {
      user: sessionUser(user),
      phoneMasked: user.phone ? maskPhone(user.phone) : null,
      idMasked: user.id_number ? maskIdNumber(user.id_number) : user.credit_code,
      csrfToken,
    };
  }

  async fromSessionToken(token: string): Promise<ResolvedSession | null> {
    const row = await store.findLiveSession(this.db, this.sessionId(token));
    if (!row || !row.active) return null;
    let principal: Principal;
    if (row.kind === 'staff') {
      const scope = await this.org.departmentScope(row.department_id!);
      principal = { kind: 'staff', userId: row.id, name: row.name, roles: row.roles.filter(isStaffRole), departmentId: scope.departmentId, regionPath: scope.regionPath };
    } else {
      principal = { kind: 'applicant', userId: row.id, applicantKind: row.kind, name: row.name };
      const profile = toApplicantProfile(row);
      if (profile) profilesBySession.set(principal, profile);
    }
    return { principal, sessionId: row.session_id, csrfToken: row.csrf_token };
  }

  async fromBearerToken(token: string): Promise<Principal | null> {
    const client = await store.findClientByTokenHash(this.db, sha256(token));
    if (!client) return null;
    const principal: Principal = { kind: 'client', clientId: client.id, name: client.name, scopes: client.scopes as ClientScope[] };
    if (client.department_id) principal.departmentId = client.department_id;
    return principal;
  }

  // --- staff management -------------------------------------------------------------------

  private async assertManages(manager: StaffPrincipal, departmentId: string): Promise<void> {
    const target = await this.org.departmentScope(departmentId);
    if (!reaches(manager, target, STAFF_MANAGERS)) throw CommonErrors.not_found();
  }

  private assertGrantable(manager: StaffPrincipal, roles: readonly string[]): void {
    if (manager.roles.includes('system_admin')) return;
    const refused = roles.find((r) => !DEPARTMENT_GRANTABLE_ROLES.includes(r as StaffRole));
    if (refused) throw IdentityErrors.role_not_grantable({ role: refused });
  }

  async listStaff(manager: StaffPrincipal, query: { departmentId?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ u: string }>(query.cursor, { u: 'string' });
    let departmentIds: string[] | undefined;
    if (query.departmentId) {
      await this.assertManages(manager, query.departmentId);
      departmentIds = [query.departmentId];
    } else if (!manager.roles.includes('system_admin')) {
      departmentIds = [manager.departmentId];
    }
    const rows = await store.listStaff(this.db, { departmentIds, afterUsername: after?.u, limit: limit + 1 });
    const result = page(rows, limit, (row) => ({ u: row.username }));
    return { items: result.items.map((u) => toStaff(u, true)), nextCursor: result.nextCursor };
  }

  /** Full record (unmasked phone): a read of personal data, so it is audited. */
  async getStaff(manager: StaffPrincipal, actor: AuditActor, id: string): Promise<Staff> {
    const user = await store.findUser(this.db, id);
    if (!user || user.kind !== 'staff') throw IdentityErrors.user_not_found();
    await this.assertManages(manager, user.department_id!).catch(() => {
      throw IdentityErrors.user_not_found();
    });
    await recordAudit(this.db, actor, { action: 'identity.staff.read', targetType: 'user', targetId: id });
    return toStaff(user, false);
  }

  async createStaff(manager: StaffPrincipal | null, actor: AuditActor, input: StaffInput, options: { demo?: boolean } = {}): Promise<Staff> {
    const errors: FieldErrorSpec[] = [];
    if (input.phone !== undefined && !isValidMobile(input.phone)) errors.push({ field: 'phone', code: IdentityFieldCodes.invalid_phone });
    if (!isStrongPassword(input.password)) errors.push({ field: 'password', code: IdentityFieldCodes.weak_password });
    if (errors.length > 0) throw invalidInput(errors);
    if (manager) {
      await this.assertManages(manager, input.departmentId);
      this.assertGrantable(manager, input.roles);
    } else {
      await this.org.departmentScope(input.departmentId);
    }
    const passwordHash = await hashPassword(input.password, this.costFor(options));
    return this.db.transaction().execute(async (tx) => {
      const user = await store.insertUser(tx, {
        kind: 'staff',
        username: input.username,
        name: input.name,
        phone: input.phone ? normalizeMobile(input.phone) : null,
        password_hash: passwordHash,
        department_id: input.departmentId,
        roles: [...input.roles],
        id_number: null,
        credit_code: null,
        demo: options.demo ?? false,
      });
      if (!user) throw IdentityErrors.username_taken();
      await recordAudit(tx, actor, { action: 'identity.staff.created', targetType: 'user', targetId: user.id, detail: { roles: input.roles, departmentId: input.departmentId } });
      return toStaff(user, true);
    });
  }

  async updateStaff(manager: StaffPrincipal, actor: AuditActor, id: string, patch: StaffPatch): Promise<Staff> {
    const user = await store.findUser(this.db, id);
    if (!user || user.kind !== 'staff') throw IdentityErrors.user_not_found();
    await this.assertManages(manager, user.department_id!).catch(() => {
      throw IdentityErrors.user_not_found();
    });
    if (patch.departmentId) await this.assertManages(manager, patch.departmentId);
    if (patch.roles) this.assertGrantable(manager, patch.roles);
    if (patch.phone !== undefined && !isValidMobile(patch.phone)) throw invalidInput([{ field: 'phone', code: IdentityFieldCodes.invalid_phone }]);
    if (id === manager.userId && patch.active === false) throw CommonErrors.forbidden();
    return this.db.transaction().execute(async (tx) => {
      const updated = await store.updateUser(tx, id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.roles !== undefined ? { roles: [...patch.roles] } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(patch.departmentId !== undefined ? { department_id: patch.departmentId } : {}),
        ...(patch.phone !== undefined ? { phone: normalizeMobile(patch.phone) } : {}),
      });
      // A disabled account or changed roles must take effect now, not when the session expires.
      if (patch.active === false || patch.roles || patch.departmentId) await store.deleteUserSessions(tx, id);
      await recordAudit(tx, actor, {
        action: 'identity.staff.updated',
        targetType: 'user',
        targetId: id,
        detail: { fields: Object.keys(patch), ...(patch.roles ? { roles: patch.roles } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}) },
      });
      return toStaff(updated!, true);
    });
  }

  async resetStaffPassword(manager: StaffPrincipal, actor: AuditActor, id: string, password: string): Promise<void> {
    const user = await store.findUser(this.db, id);
    if (!user || user.kind !== 'staff') throw IdentityErrors.user_not_found();
    await this.assertManages(manager, user.department_id!).catch(() => {
      throw IdentityErrors.user_not_found();
    });
    if (!isStrongPassword(password)) throw invalidInput([{ field: 'password', code: IdentityFieldCodes.weak_password }]);
    const passwordHash = await hashPassword(password, this.settings.passwordCost);
    await this.db.transaction().execute(async (tx) => {
      await store.updateUser(tx, id, { password_hash: passwordHash });
      await store.deleteUserSessions(tx, id);
      await recordAudit(tx, actor, { action: 'identity.staff.password_reset', targetType: 'user', targetId: id });
    });
  }

  // --- channel systems (bearer tokens) --------------------------------------------------------

  async createClient(actor: AuditActor, input: ApiClientInput) {
    if (input.departmentId) await this.org.departmentScope(input.departmentId);
    const token = `tbk_${randomBytes(32).toString('base64url')}`;
    return this.db.transaction().execute(async (tx) => {
      const row = await store.insertClient(tx, { name: input.name, token_hash: sha256(token), scopes: [...input.scopes], department_id: input.departmentId ?? null });
      await recordAudit(tx, actor, { action: 'identity.client.created', targetType: 'api_client', targetId: row.id, detail: { scopes: input.scopes } });
      return { client: toClient(row), token };
    });
  }

  async listClients() {
    return (await store.listClients(this.db)).map(toClient);
  }

  /**
   * The identifier an applicant signed up with (ID number or credit code), for services that act
   * on the applicant's own data (data sharing: prefill, "who looked at my data"). Never for staff.
   */
  async applicantIdentifier(userId: string): Promise<{ kind: 'natural' | 'legal'; identifier: string } | null> {
    const user = await store.findUser(this.db, userId);
    if (!user || !user.active) return null;
    if (user.kind === 'natural' && user.id_number) return { kind: 'natural', identifier: user.id_number };
    if (user.kind === 'legal' && user.credit_code) return { kind: 'legal', identifier: user.credit_code };
    return null;
  }

  /** An applicant account's name, identifier and phone: who a case is filed for. Null for staff or inactive accounts. */
  /**
   * The profile of the applicant a request acts for: read with the session when it came from one
   * (no second round trip on a submission), else from the database.
   */
  async applicantProfileOf(principal: ApplicantPrincipal): Promise<ApplicantProfile | null> {
    return profilesBySession.get(principal) ?? this.applicantProfile(principal.userId);
  }

  async applicantProfile(userId: string): Promise<ApplicantProfile | null> {
    const user = await store.findUser(this.db, userId);
    return user ? toApplicantProfile(user) : null;
  }

  /**
   * The active applicant account holding an ID number (natural person) or credit code (legal
   * person), if any: a case filed at the window for a walk-in is linked to it, so it shows in
   * their own list of cases.
   */
  async findApplicantByIdentifier(kind: 'natural' | 'legal', identifier: string): Promise<ApplicantProfile | null> {
    const user = await store.findUserByUsername(this.db, kind === 'natural' ? normalizeIdNumber(identifier) : normalizeCreditCode(identifier));
    const profile = user ? toApplicantProfile(user) : null;
    return profile?.kind === kind ? profile : null;
  }

  /**
   * The staff member, when they are active, belong to the department and hold the role: who a
   * case task may be assigned to. Null otherwise (the caller says why in its own terms). Takes the
   * caller's transaction: on PGlite a query on another connection would wait for it forever.
   */
  async activeStaffMember(userId: string, departmentId: string, role: StaffRole, executor: Executor = this.db): Promise<{ id: string; name: string } | null> {
    const user = await store.findUser(executor, userId);
    if (!user || user.kind !== 'staff' || !user.active || user.department_id !== departmentId || !user.roles.includes(role)) return null;
    return { id: user.id, name: user.name };
  }

  /** Display names of staff members by id (task assignees in lists); unknown ids are left out. */
  async staffNames(ids: readonly string[], executor: Executor = this.db): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await executor.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).where('kind', '=', 'staff').execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Active staff holding any of `roles`, with their department's region (supervision's alert recipients). */
  async activeStaffHolding(roles: readonly StaffRole[], executor: Executor = this.db): Promise<Array<{ id: string; departmentId: string; regionPath: string; roles: string[] }>> {
    const rows = await executor
      .selectFrom('users')
      .innerJoin('departments', 'departments.id', 'users.department_id')
      .innerJoin('regions', 'regions.code', 'departments.region_code')
      .select(['users.id', 'users.department_id', 'regions.path as region_path', 'users.roles'])
      .where('users.kind', '=', 'staff')
      .where('users.active', '=', true)
      .where(sql<boolean>`users.roles && ${sql.val(roles)}::text[]`)
      .execute();
    return rows.map((r) => ({ id: r.id, departmentId: r.department_id!, regionPath: r.region_path, roles: r.roles }));
  }

  async revokeClient(actor: AuditActor, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await store.revokeClient(tx, id);
      if (!row) throw IdentityErrors.client_not_found();
      await recordAudit(tx, actor, { action: 'identity.client.revoked', targetType: 'api_client', targetId: id });
    });
  }

  async hasDemoAccounts(): Promise<boolean> {
    return Number((await store.countDemoUsers(this.db)).n) > 0;
  }

  /** CLI: the first system administrator of a production installation. */
  async createAdmin(input: { username: string; name: string; password: string; departmentId: string }): Promise<Staff> {
    const staff = await this.createStaff(null, SYSTEM_ACTOR, { ...input, roles: ['system_admin'] });
    await recordAudit(this.db, SYSTEM_ACTOR, { action: 'system.admin.created', targetType: 'user', targetId: staff.id });
    return staff;
  }
}

function toClient(row: { id: string; name: string; scopes: string[]; department_id: string | null; created_at: Date; revoked_at: Date | null }) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    departmentId: row.department_id,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}

