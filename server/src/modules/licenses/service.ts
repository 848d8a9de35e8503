/**
 * The electronic license library (电子证照库): license types, departments' seals, issuance (on a
 * case's approval, directly, or imported), verification, change and revocation, the holder's
 * wallet and departments' look-ups for the cases they handle (ADR 0011).
 *
 * Verification reads the license row every time (no per-process cache of statuses): a
 * revocation committed by any instance shows in the next verification by every instance. What
 * is cached per process never changes once written: a seal row's key and name (rotation adds a
 * row), its signer and its verifier tables.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db, Executor, Tx } from '../../platform/db/database.js';
import type { LicenseFieldSpec, LicenseHistoryTable, LicenseTable } from '../../platform/db/schema.js';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import { reaches, type ApplicantPrincipal, type StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError, invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { todayInShanghai, isIsoDate } from '../../platform/time.js';
import { renderDocument } from '../../platform/documents/pdf.js';
import { sm3Hex } from '../../platform/crypto/sm2.js';
import { checkCreditCode, isValidIdNumber, maskIdNumber, maskName } from '../../shared/identifiers.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import type { ApprovedCase, IssuedResult, PreparedResults, ResultIssuer, ResultRevocation } from '../cases/results.js';
import { defaultReferences, type MaterialReferenceResolver } from '../cases/application.js';
import { CaseFieldCodes } from '../cases/errors.js';
import { LicenseErrors, LicenseFieldCodes } from './errors.js';
import { formatLicenseId, isLicenseTypeCode, parseLicenseId } from './identifier.js';
import { SealKeys, type SealRow } from './seals.js';
import { contentDigest, signedData, signedMessage, SIGNATURE_ALGORITHM, type LicenseContent } from './signing.js';
import type { ChangeInput, IssueInput, License, LicenseDetail, LicenseType, LicenseTypeInput, RevokeInput, Seal, SealInput, Verification } from './schemas.js';
import * as store from './store.js';
import type { LicenseRow, LicenseTypeRow } from './store.js';

/** Roles that manage a department's seals and issue, change or revoke its licenses. */
const MANAGERS = ['department_admin', 'system_admin'] as const;
/** Roles that look up a case's applicant's licenses (reach: the case). */
export const LOOKUP_ROLES = ['window_clerk', 'approver', 'department_admin'] as const;

export interface LicensesSettings {
  sealKey: string;
  sealKeyPrevious?: string | undefined;
  /** The QR code on a license points to `<publicBaseUrl>/verify/<licenseId>`. */
  publicBaseUrl: string;
  now?: () => Date;
}

/** What the case module lends for a department's look-up: the applicant of a case the caller reaches (404 otherwise). */
export interface CaseApplicants {
  applicantOf(principal: StaffPrincipal, caseNumber: string): Promise<{ caseNumber: string; kind: 'natural' | 'legal'; identifier: string }>;
}

interface Holder {
  kind: 'natural' | 'legal';
  idType: '111' | '001';
  identifier: string;
  name: string;
}

/** One license to issue (already checked). */
interface IssueRequest {
  type: LicenseTypeRow;
  department: { id: string; name: string; creditCode: string };
  seal: SealRow;
  holder: Holder;
  data: Record<string, string>;
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  source: 'case' | 'direct' | 'import';
  caseNumber: string | null;
  /** A change (变更) keeps the serial and takes the next version; issuance on approval draws its serials ahead (store.issuanceContext). */
  serial?: string;
  version?: number;
}

export function holderOf(identifier: string, name: string): Holder | null {
  const id = identifier.trim().toUpperCase();
  if (id.length === 18 && isValidIdNumber(id)) return { kind: 'natural', idType: '111', identifier: id, name };
  if (id.length === 18 && checkCreditCode(id) === null) return { kind: 'legal', idType: '001', identifier: id, name };
  return null;
}

export function holderMasked(row: Pick<LicenseRow, 'holder_kind' | 'holder_name' | 'holder_identifier'>): string {
  // a credit code and an organisation's name are public; a person's are not
  return row.holder_kind === 'natural' ? `${maskName(row.holder_name)}（${maskIdNumber(row.holder_identifier)}）` : `${row.holder_name}（${row.holder_identifier}）`;
}

/** The last day of a validity of `years` from `from` (a 5-year license from 2026-12-07 ends 2031-12-06). */
export function validityEnd(from: string, years: number): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d) - 86_400_000);
  return end.toISOString().slice(0, 10);
}

function contentOf(row: Pick<LicenseRow, 'license_id' | 'type_code' | 'name' | 'holder_id_type' | 'holder_identifier' | 'holder_name' | 'issuer_code' | 'issuer_name' | 'issued_on' | 'valid_from' | 'valid_until' | 'data'>): LicenseContent {
  return {
    licenseId: row.license_id,
    typeCode: row.type_code,
    name: row.name,
    holder: { idType: row.holder_id_type, identifier: row.holder_identifier, name: row.holder_name },
    issuer: { code: row.issuer_code, name: row.issuer_name },
    issuedOn: row.issued_on,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    data: row.data,
  };
}

function typeView(row: LicenseTypeRow): LicenseType {
  return {
    id: row.id,
    code: row.code,
    typeCode: row.type_code,
    name: row.name,
    holderKind: row.holder_kind,
    issuingDepartmentIds: row.issuing_department_ids,
    fields: row.fields,
    validityYears: row.validity_years,
    template: row.template as LicenseType['template'],
  };
}

export function sealView(row: SealRow): Seal {
  return {
    id: row.id,
    departmentId: row.department_id,
    name: row.name,
    keyId: row.key_id,
    algorithm: row.algorithm,
    publicKey: row.public_key,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
  };
}

const VERIFIED_CACHE = 20_000;

type SealFacts = Pick<SealRow, 'id' | 'key_id' | 'name' | 'public_key' | 'department_id'>;

export class LicensesService implements ResultIssuer {
  private readonly keys: SealKeys;
  private readonly now: () => Date;
  private readonly sealFacts = new Map<string, SealFacts>();
  /** Signatures found to hold (see checkSignature). */
  private readonly verified = new Set<string>();
  private cases: CaseApplicants | null = null;

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly identity: IdentityService,
    private readonly settings: LicensesSettings,
  ) {
    this.keys = new SealKeys(settings.sealKey, settings.sealKeyPrevious);
    this.now = settings.now ?? (() => new Date());
  }

  /** The case module is built after this one (it takes this as its issuer and material resolver). */
  useCases(cases: CaseApplicants): void {
    this.cases = cases;
  }

  verifyUrl(licenseId: string): string {
    return `${this.settings.publicBaseUrl}/verify/${licenseId}`;
  }

  // --- license types ------------------------------------------------------------------------

  async listTypes(): Promise<LicenseType[]> {
    return (await store.listTypes(this.db)).map(typeView);
  }

  private async checkTypeInput(input: LicenseTypeInput): Promise<void> {
    const errors: FieldErrorSpec[] = [];
    if (!isLicenseTypeCode(input.typeCode)) errors.push({ field: 'typeCode', code: LicenseFieldCodes.license_type_code_invalid });
    const names = new Set<string>();
    for (const [i, f] of (input.fields ?? []).entries()) {
      if (names.has(f.name)) errors.push({ field: `fields[${i}].name`, code: LicenseFieldCodes.license_field_unknown, params: { name: f.name } });
      names.add(f.name);
    }
    for (const [i, id] of (input.issuingDepartmentIds ?? []).entries()) {
      try {
        await this.org.getDepartment(id);
      } catch {
        errors.push({ field: `issuingDepartmentIds[${i}]`, code: LicenseFieldCodes.license_department_unknown });
      }
    }
    if (errors.length > 0) throw invalidInput(errors);
  }

  async createType(actor: AuditActor, input: LicenseTypeInput): Promise<LicenseType> {
    return (await this.createTypes(actor, [input]))[0]!;
  }

  /** Several types in one transaction (seeding a library). */
  async createTypes(actor: AuditActor, inputs: readonly LicenseTypeInput[]): Promise<LicenseType[]> {
    for (const input of inputs) await this.checkTypeInput(input);
    return this.db.transaction().execute(async (trx) => {
      const out: LicenseType[] = [];
      for (const input of inputs) {
        const taken = await trx.selectFrom('license_types').select('code').where((eb) => eb.or([eb('code', '=', input.code), eb('type_code', '=', input.typeCode)])).executeTakeFirst();
        if (taken) throw LicenseErrors.license_type_taken({ code: taken.code === input.code ? input.code : input.typeCode });
        const row = await trx
          .insertInto('license_types')
          .values({
            code: input.code,
            type_code: input.typeCode,
            name: input.name,
            holder_kind: input.holderKind,
            issuing_department_ids: input.issuingDepartmentIds ?? [],
            fields: JSON.stringify(input.fields ?? []),
            validity_years: input.validityYears ?? null,
            template: JSON.stringify(input.template ?? {}),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, actor, { action: 'licenses.type.created', targetType: 'license_type', targetId: row.code });
        out.push(typeView(row));
      }
      return out;
    });
  }

  /** Name, holders, issuing departments, fields, validity and template; the two codes never change (identifiers name them). */
  async updateType(actor: AuditActor, id: string, input: LicenseTypeInput): Promise<LicenseType> {
    await this.checkTypeInput(input);
    return this.db.transaction().execute(async (trx) => {
      const existing = await store.typeById(trx, id);
      if (!existing) throw LicenseErrors.license_type_not_found();
      if (existing.code !== input.code || existing.type_code !== input.typeCode) {
        throw invalidInput([{ field: existing.code !== input.code ? 'code' : 'typeCode', code: LicenseFieldCodes.license_type_code_invalid }]);
      }
      const row = await trx
        .updateTable('license_types')
        .set({
          name: input.name,
          holder_kind: input.holderKind,
          issuing_department_ids: input.issuingDepartmentIds ?? [],
          fields: JSON.stringify(input.fields ?? []),
          validity_years: input.validityYears ?? null,
          template: JSON.stringify(input.template ?? {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'licenses.type.updated', targetType: 'license_type', targetId: row.code });
      return typeView(row);
    });
  }

  // --- seals ----------------------------------------------------------------------------------

  /** 404 for a department the staff member does not manage (or that does not exist). */
  private async assertManages(staff: StaffPrincipal, departmentId: string, notFound: () => AppError): Promise<void> {
    let scope;
    try {
      scope = await this.org.departmentScope(departmentId);
    } catch {
      throw notFound();
    }
    if (!reaches(staff, scope, MANAGERS)) throw notFound();
  }

  async listSeals(staff: StaffPrincipal, departmentId: string | undefined): Promise<Seal[]> {
    const city = staff.roles.includes('system_admin');
    const department = departmentId ?? (city ? undefined : staff.departmentId);
    if (department) await this.assertManages(staff, department, () => LicenseErrors.seal_not_found());
    return (await store.listSeals(this.db, department)).map(sealView);
  }

  /** A new seal with a fresh SM2 key pair. */
  async createSeal(staff: StaffPrincipal, actor: AuditActor, input: SealInput): Promise<Seal> {
    await this.assertManages(staff, input.departmentId, () => LicenseErrors.seal_not_found());
    return (await this.createSeals(actor, [input]))[0]!;
  }

  /** Seals for departments in one transaction, with no staff check: seeding (the system acts). */
  async createSeals(actor: AuditActor, inputs: readonly SealInput[]): Promise<Seal[]> {
    return this.db.transaction().execute(async (trx) => {
      const out: Seal[] = [];
      for (const input of inputs) {
        await this.org.getDepartment(input.departmentId, trx);
        const clash = await trx.selectFrom('license_seals').select('id').where('department_id', '=', input.departmentId).where('name', '=', input.name).where('status', '=', 'active').executeTakeFirst();
        if (clash) throw LicenseErrors.seal_name_taken({ name: input.name });
        const row = await trx
          .insertInto('license_seals')
          .values({ department_id: input.departmentId, name: input.name, status: 'active', ...this.keys.newKey() })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, actor, { action: 'licenses.seal.created', targetType: 'license_seal', targetId: row.id, detail: { keyId: row.key_id } });
        out.push(sealView(row));
      }
      return out;
    });
  }

  /** A fresh key pair under the seal's name; the old row is retired and still verifies what it signed. */
  async rotateSeal(staff: StaffPrincipal, actor: AuditActor, id: string): Promise<Seal> {
    const existing = await store.sealById(this.db, id);
    if (!existing) throw LicenseErrors.seal_not_found();
    await this.assertManages(staff, existing.department_id, () => LicenseErrors.seal_not_found());
    return this.db.transaction().execute(async (trx) => {
      const retired = await trx
        .updateTable('license_seals')
        .set({ status: 'retired', retired_at: this.now() })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .returning('id')
        .executeTakeFirst();
      if (!retired) throw LicenseErrors.seal_retired();
      const row = await trx
        .insertInto('license_seals')
        .values({ department_id: existing.department_id, name: existing.name, status: 'active', ...this.keys.newKey() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'licenses.seal.rotated', targetType: 'license_seal', targetId: row.id, detail: { retired: id, keyId: row.key_id } });
      return sealView(row);
    });
  }

  /** Rewraps every seal key still under `SEAL_KEY_PREVIOUS` (the CLI's and start-up's rotation step). */
  rewrapSealKeys(): Promise<number> {
    return this.db.transaction().execute((trx) => this.keys.rewrapAll(trx));
  }

  private async seal(executor: Executor, id: string): Promise<SealFacts | undefined> {
    const known = this.sealFacts.get(id);
    if (known) return known;
    const row = await store.sealById(executor, id);
    if (!row) return undefined;
    const facts = { id: row.id, key_id: row.key_id, name: row.name, public_key: row.public_key, department_id: row.department_id };
    if (this.sealFacts.size >= 1000) this.sealFacts.delete(this.sealFacts.keys().next().value!);
    this.sealFacts.set(id, facts);
    return facts;
  }

  // --- issuance -------------------------------------------------------------------------------

  /** Signs and stores licenses (one statement for the rows and their history). */
  private async issueAll(trx: Tx, requests: readonly IssueRequest[], actor: AuditActor): Promise<LicenseRow[]> {
    const { rows, history } = await this.signed(trx, requests, actor);
    return store.insertLicenses(trx, rows, history);
  }

  /** The license rows and their first history entries for the requests, signed, not yet stored. */
  private async signed(executor: Executor, requests: readonly IssueRequest[], actor: AuditActor): Promise<{ rows: Array<Insertable<LicenseTable>>; history: Array<Insertable<LicenseHistoryTable>> }> {
    const fresh = requests.filter((r) => r.serial === undefined).length;
    const serials = fresh > 0 ? await store.nextSerials(executor, fresh) : [];
    const signedAt = this.now();
    const rows: Array<Insertable<LicenseTable>> = [];
    for (const r of requests) {
      const serial = r.serial ?? serials.shift()!;
      const licenseId = formatLicenseId({ typeCode: r.type.type_code, issuerCode: r.department.creditCode, serial, version: r.version ?? 1 });
      const facts = {
        license_id: licenseId,
        type_code: r.type.type_code,
        name: r.type.name,
        holder_id_type: r.holder.idType,
        holder_identifier: r.holder.identifier,
        holder_name: r.holder.name,
        issuer_code: r.department.creditCode,
        issuer_name: r.department.name,
        issued_on: r.issuedOn,
        valid_from: r.validFrom,
        valid_until: r.validUntil,
        data: r.data,
      };
      const content = contentOf(facts);
      const digest = contentDigest(content);
      const tbs = signedData(content, { keyId: r.seal.key_id, name: r.seal.name }, signedAt, digest);
      const signer = await this.keys.signer(executor, r.seal);
      rows.push({
        ...facts,
        // drawn here so that the history rows can name it in the same statement (store.insertLicenses)
        id: randomUUID(),
        data: JSON.stringify(r.data),
        type_id: r.type.id,
        serial,
        version: r.version ?? 1,
        holder_kind: r.holder.kind,
        issuer_department_id: r.department.id,
        source: r.source,
        case_number: r.caseNumber,
        status: 'valid',
        seal_id: r.seal.id,
        signed_at: signedAt,
        data_digest: digest,
        signature: signer.sign(signedMessage(tbs)),
      });
    }
    const action = (source: string): Insertable<LicenseHistoryTable>['action'] => (source === 'import' ? 'imported' : 'issued');
    return {
      rows,
      history: rows.map((row) => ({ license_id: row.id!, action: action(row.source!), case_number: row.case_number ?? null, actor_id: actor.id, actor_kind: actor.kind, detail: JSON.stringify({}) })),
    };
  }

  /** The checked request for one license, or field errors (named under `prefix`). */
  private async prepare(
    executor: Executor,
    input: { type: string; holder: { identifier: string; name: string }; data?: Record<string, string> | undefined; validFrom?: string | undefined; validUntil?: string | null | undefined; caseNumber?: string | undefined },
    departmentId: string,
    source: 'direct' | 'import',
    prefix = '',
    known: Lookups = new Lookups(),
  ): Promise<{ request: IssueRequest | null; errors: FieldErrorSpec[] }> {
    const errors: FieldErrorSpec[] = [];
    const type = await known.once(`type:${input.type}`, () => store.typeByCode(executor, input.type));
    if (!type) return { request: null, errors: [{ field: `${prefix}type`, code: LicenseFieldCodes.license_type_code_invalid }] };
    const department = await known.once(`department:${departmentId}`, () => this.org.getDepartment(departmentId, executor));
    if (type.issuing_department_ids.length > 0 && !type.issuing_department_ids.includes(departmentId)) {
      throw LicenseErrors.issuance_not_authorised({ department: department.name, type: type.name });
    }
    const holder = holderOf(input.holder.identifier, input.holder.name);
    if (!holder) errors.push({ field: `${prefix}holder.identifier`, code: LicenseFieldCodes.license_holder_invalid });
    else if (type.holder_kind !== 'any' && type.holder_kind !== holder.kind) {
      throw LicenseErrors.issuance_holder_kind({ type: type.name, kind: type.holder_kind === 'natural' ? { zh: '自然人', en: 'natural persons' } : { zh: '法人', en: 'legal persons' } });
    }
    const data = input.data ?? {};
    errors.push(...fieldErrors(type.fields, data, `${prefix}data`));
    const today = todayInShanghai(this.now());
    const validFrom = input.validFrom ?? today;
    if (!isIsoDate(validFrom)) errors.push({ field: `${prefix}validFrom`, code: LicenseFieldCodes.license_dates });
    const validUntil = input.validUntil === undefined ? (type.validity_years ? validityEnd(validFrom, type.validity_years) : null) : input.validUntil;
    if (validUntil !== null && (!isIsoDate(validUntil) || validUntil < validFrom)) errors.push({ field: `${prefix}validUntil`, code: LicenseFieldCodes.license_dates });
    const seal = await known.once(`seal:${departmentId}`, () => store.activeSeal(executor, departmentId));
    if (!seal) throw LicenseErrors.issuance_no_seal({ department: department.name, result: type.name });
    if (errors.length > 0 || !holder) return { request: null, errors };
    return {
      request: { type, department: { id: department.id, name: department.name, creditCode: department.creditCode }, seal, holder, data, issuedOn: today, validFrom, validUntil, source, caseNumber: input.caseNumber ?? null },
      errors: [],
    };
  }

  /** The staff member manages their own department's licenses (the import's check). */
  async assertIssuer(staff: StaffPrincipal): Promise<void> {
    await this.assertManages(staff, staff.departmentId, () => LicenseErrors.license_type_not_found());
  }

  /** An authorised issuer (the department's administrator) issues a license directly. */
  async issueDirect(staff: StaffPrincipal, actor: AuditActor, input: IssueInput, departmentId = staff.departmentId): Promise<License> {
    await this.assertManages(staff, departmentId, () => LicenseErrors.license_type_not_found());
    return this.issueFor(departmentId, actor, input);
  }

  /** Issues as a department with no staff check (seeding, the batch import after its own check). */
  async issueFor(departmentId: string, actor: AuditActor, input: IssueInput, source: 'direct' | 'import' = 'direct'): Promise<License> {
    const { request, errors } = await this.prepare(this.db, input, departmentId, source);
    if (!request) throw invalidInput(errors);
    return this.db.transaction().execute(async (trx) => {
      const [row] = await this.issueAll(trx, [request], actor);
      await recordAudit(trx, actor, { action: 'licenses.license.issued', targetType: 'license', targetId: row!.license_id, detail: { type: request.type.code } });
      return (await this.views(trx, [row!]))[0]!;
    });
  }

  /**
   * ResultIssuer (cases/results.ts): each result of an approved case that names a license type
   * becomes a license of the case's applicant, signed with the deciding department's seal, in
   * the decision's transaction. What cannot be issued refuses the approval (422 naming what is
   * missing), so a case is never approved without the license it promises.
   */
  async issueForApprovedCase(trx: Tx, approved: ApprovedCase): Promise<IssuedResult[]> {
    const { results, rows, history } = await this.resultsOf(trx, approved);
    await store.insertLicenses(trx, rows, history);
    return results;
  }

  /**
   * ResultIssuer: the same licenses, signed, as writes for the statement that approves the case
   * (the 秒批 decision, one statement and no transaction). The serials are drawn now: an approval
   * that then does not happen leaves them unused, as a rolled-back one does.
   */
  async prepareForApprovedCase(executor: Executor, approved: ApprovedCase): Promise<PreparedResults> {
    const { results, rows, history } = await this.resultsOf(executor, approved);
    if (rows.length === 0) return { results, writes: [] };
    return { results, writes: [(db) => db.insertInto('licenses').values(rows), (db) => db.insertInto('license_history').values(history)] };
  }

  private async resultsOf(executor: Executor, approved: ApprovedCase): Promise<{ results: IssuedResult[]; rows: Array<Insertable<LicenseTable>>; history: Array<Insertable<LicenseHistoryTable>> }> {
    const results = approved.results.filter((r) => r.licenseTypeCode);
    if (results.length === 0) return { results: [], rows: [], history: [] };
    const context = await store.issuanceContext(executor, approved.departmentId, results.map((r) => r.licenseTypeCode!), results.length, this.org.departmentSelection(approved.departmentId));
    const { seal, types, serials } = context;
    const department = this.org.departmentFrom(context.department);
    const today = todayInShanghai(approved.decidedAt);
    const requests: IssueRequest[] = [];
    for (const [i, result] of results.entries()) {
      const type = types.find((t) => t.code === result.licenseTypeCode);
      if (!type) throw LicenseErrors.issuance_type_unknown({ result: result.name, code: result.licenseTypeCode! });
      if (type.issuing_department_ids.length > 0 && !type.issuing_department_ids.includes(approved.departmentId)) {
        throw LicenseErrors.issuance_not_authorised({ department: department.name, type: type.name });
      }
      if (!seal) throw LicenseErrors.issuance_no_seal({ department: department.name, result: result.name });
      const holder = holderOf(approved.applicantIdentifier, approved.applicantName);
      if (!holder) throw invalidInput([{ field: 'applicant.identifier', code: LicenseFieldCodes.license_holder_invalid }]);
      if (type.holder_kind !== 'any' && type.holder_kind !== holder.kind) {
        throw LicenseErrors.issuance_holder_kind({ type: type.name, kind: type.holder_kind === 'natural' ? { zh: '自然人', en: 'natural persons' } : { zh: '法人', en: 'legal persons' } });
      }
      // the face takes the form's answers of the same names; what the form lacks stays blank
      const data: Record<string, string> = {};
      for (const field of type.fields) {
        const value = approved.form[field.name];
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') data[field.name] = String(value).slice(0, 500);
      }
      requests.push({
        type,
        department: { id: department.id, name: department.name, creditCode: department.creditCode },
        seal,
        holder,
        data,
        issuedOn: today,
        validFrom: today,
        validUntil: type.validity_years ? validityEnd(today, type.validity_years) : null,
        source: 'case',
        caseNumber: approved.caseNumber,
        serial: serials[i]!,
      });
    }
    // Not in the audit chain (ADR 0011): the license's own history and the case's record the
    // issuance, append-only, and an audit append here would put every approval of the city,
    // 秒批 included, behind the chain's one lock until its transaction commits.
    const { rows, history } = await this.signed(executor, requests, { id: null, kind: 'system', ip: null });
    return { results: rows.map((row, i) => ({ name: results[i]!.name, licenseId: row.license_id! })), rows, history };
  }

  /**
   * Issues many prepared licenses in one transaction (the batch import; the benchmark). All or
   * nothing: any field error refuses the whole batch.
   */
  async issueBatch(departmentId: string, actor: AuditActor, inputs: readonly IssueInput[], source: 'direct' | 'import' = 'import'): Promise<LicenseRow[]> {
    const requests: IssueRequest[] = [];
    const errors: FieldErrorSpec[] = [];
    // a batch reads its types, its department and its seal once, not once a row
    const known = new Lookups();
    for (const [i, input] of inputs.entries()) {
      const prepared = await this.prepare(this.db, input, departmentId, source, `rows[${i}].`, known);
      if (prepared.request) requests.push(prepared.request);
      errors.push(...prepared.errors);
    }
    if (errors.length > 0) throw invalidInput(errors);
    return this.db.transaction().execute(async (trx) => {
      const rows = await this.issueAll(trx, requests, actor);
      await recordAudit(trx, actor, { action: source === 'import' ? 'licenses.license.imported' : 'licenses.license.issued', targetType: 'department', targetId: departmentId, detail: { count: rows.length } });
      return rows;
    });
  }

  // --- verification ---------------------------------------------------------------------------

  /**
   * The public verdict on an identifier. A malformed identifier (shape, or check character) is
   * a 400; an unknown one a 404; otherwise the answer says whether the signature holds over the
   * stored content (`tampered`: the content no longer has the signed digest; `bad_signature`;
   * `unknown_seal`) and the license's standing (revoked, superseded by a change, expired).
   */
  async verify(licenseId: string): Promise<Verification> {
    const parsed = parseLicenseId(licenseId);
    if (!parsed.ok) throw parsed.problem === 'check' ? LicenseErrors.license_id_check_failed() : LicenseErrors.license_id_malformed();
    const row = await store.forVerification(this.db, licenseId);
    if (!row) throw LicenseErrors.license_not_found();
    const { verdict, seal } = await this.checkSignature(this.db, row);
    const today = todayInShanghai(this.now());
    const expired = row.valid_until !== null && row.valid_until < today;
    const revoked = row.status === 'revoked';
    const superseded = row.status === 'superseded';
    const reason = verdict !== 'ok' ? verdict : revoked ? 'revoked' : superseded ? 'superseded' : expired ? 'expired' : 'ok';
    return {
      licenseId: row.license_id,
      valid: reason === 'ok',
      revoked,
      expired,
      superseded,
      signatureValid: verdict === 'ok',
      reason,
      name: row.name,
      holderMasked: holderMasked(row),
      issuer: row.issuer_name,
      issuedAt: row.issued_on,
      validUntil: row.valid_until,
      revokedAt: revoked && row.status_changed_at ? row.status_changed_at.toISOString() : null,
      successorLicenseId: row.successor_license_id,
      signatureAlgorithm: SIGNATURE_ALGORITHM,
      seal: seal ? { keyId: seal.key_id, name: seal.name, department: row.issuer_name } : null,
      checkedAt: this.now().toISOString(),
    };
  }

  /** Whether the stored signature holds over what is stored now. */
  private async checkSignature(executor: Executor, row: LicenseRow): Promise<{ verdict: 'ok' | 'tampered' | 'bad_signature' | 'unknown_seal'; seal: SealFacts | undefined }> {
    const seal = await this.seal(executor, row.seal_id);
    if (!seal) return { verdict: 'unknown_seal', seal };
    const content = contentOf(row);
    const digest = contentDigest(content);
    if (digest !== row.data_digest) return { verdict: 'tampered', seal };
    const message = signedMessage(signedData(content, { keyId: seal.key_id, name: seal.name }, row.signed_at, digest));
    // Whether a signature holds is a function of the message, the signature and the key alone:
    // a "yes" is remembered under all three (any change to the row changes the message), so a
    // license scanned again costs a digest, not an SM2 check. Status is read fresh every time.
    const key = `${sm3Hex(message)}:${row.signature}:${seal.key_id}`;
    if (this.verified.has(key)) return { verdict: 'ok', seal };
    const ok = this.keys.verifier(seal.public_key).verify(message, row.signature);
    if (ok) {
      if (this.verified.size >= VERIFIED_CACHE) this.verified.delete(this.verified.values().next().value!);
      this.verified.add(key);
    }
    return { verdict: ok ? 'ok' : 'bad_signature', seal };
  }

  // --- change and revocation ------------------------------------------------------------------

  private async lockManaged(trx: Tx, staff: StaffPrincipal, licenseId: string): Promise<LicenseRow> {
    const parsed = parseLicenseId(licenseId);
    if (!parsed.ok) throw parsed.problem === 'check' ? LicenseErrors.license_id_check_failed() : LicenseErrors.license_id_malformed();
    const row = await store.lockByLicenseId(trx, licenseId);
    if (!row) throw LicenseErrors.license_not_found();
    const scope = await this.org.departmentScope(row.issuer_department_id, trx);
    if (!reaches(staff, scope, MANAGERS)) throw LicenseErrors.license_not_found();
    if (row.status !== 'valid') throw LicenseErrors.license_not_valid({ status: row.status === 'revoked' ? { zh: '注销', en: 'revoked' } : { zh: '变更', en: 'superseded' } });
    return row;
  }

  /** 注销: with the reason and the case it was decided in; history kept; verification shows it at once. */
  async revoke(staff: StaffPrincipal, actor: AuditActor, licenseId: string, input: RevokeInput): Promise<LicenseDetail> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.lockManaged(trx, staff, licenseId);
      const now = this.now();
      const updated = await trx
        .updateTable('licenses')
        .set({ status: 'revoked', status_reason: input.reason, status_case_number: input.caseNumber, status_changed_at: now })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await store.insertHistory(trx, [{ license_id: row.id, at: now, action: 'revoked', reason: input.reason, case_number: input.caseNumber, actor_id: actor.id, actor_kind: actor.kind, detail: JSON.stringify({}) }]);
      await recordAudit(trx, actor, { action: 'licenses.license.revoked', targetType: 'license', targetId: row.license_id, detail: { caseNumber: input.caseNumber } });
      return this.detailIn(trx, updated);
    });
  }

  /**
   * ResultIssuer (cases/results.ts): the licenses a case's decision issued (their current
   * versions) still valid are revoked with the decision (a commitment found false), in its transaction, each with its
   * history entry; verification shows them revoked at once.
   */
  async revokeForCase(trx: Tx, revocation: ResultRevocation): Promise<string[]> {
    const rows = await trx
      .updateTable('licenses')
      .set({ status: 'revoked', status_reason: revocation.reason, status_case_number: revocation.caseNumber, status_changed_at: revocation.at })
      // by serial: a license changed since stands under a later version (and the change's case number)
      .where('holder_identifier', '=', revocation.holderIdentifier)
      .where('serial', 'in', (eb) => eb.selectFrom('licenses').select('serial').where('case_number', '=', revocation.caseNumber).where('source', '=', 'case'))
      .where('status', '=', 'valid')
      .returning(['id', 'license_id'])
      .execute();
    if (rows.length === 0) return [];
    const actor: AuditActor = { id: revocation.actorId, kind: 'staff', ip: null };
    await store.insertHistory(trx, rows.map((row) => ({ license_id: row.id, at: revocation.at, action: 'revoked' as const, reason: revocation.reason, case_number: revocation.caseNumber, actor_id: actor.id, actor_kind: actor.kind, detail: JSON.stringify({ decisionRevoked: true }) })));
    await recordAudit(trx, actor, { action: 'licenses.license.revoked', targetType: 'case', targetId: revocation.caseNumber, detail: { licenseIds: rows.map((r) => r.license_id), decisionRevoked: true } });
    return rows.map((r) => r.license_id);
  }

  /**
   * 变更: a new version of the license (same serial, version + 1) with the changed face, signed
   * anew; the old version is superseded and names its successor.
   */
  async change(staff: StaffPrincipal, actor: AuditActor, licenseId: string, input: ChangeInput): Promise<LicenseDetail> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.lockManaged(trx, staff, licenseId);
      const type = (await store.typeById(trx, row.type_id))!;
      const data = { ...row.data, ...input.data };
      const errors = fieldErrors(type.fields, data, 'data');
      const validUntil = input.validUntil === undefined ? row.valid_until : input.validUntil;
      if (validUntil !== null && validUntil < row.valid_from) errors.push({ field: 'validUntil', code: LicenseFieldCodes.license_dates });
      if (errors.length > 0) throw invalidInput(errors);
      const seal = await store.activeSeal(trx, row.issuer_department_id);
      if (!seal) throw LicenseErrors.issuance_no_seal({ department: row.issuer_name, result: row.name });
      const department = await this.org.getDepartment(row.issuer_department_id, trx);
      const [next] = await this.issueAll(trx, [{
        type,
        department: { id: department.id, name: department.name, creditCode: department.creditCode },
        seal,
        holder: { kind: row.holder_kind, idType: row.holder_id_type, identifier: row.holder_identifier, name: input.holderName ?? row.holder_name },
        data,
        issuedOn: todayInShanghai(this.now()),
        validFrom: row.valid_from,
        validUntil,
        source: row.source,
        caseNumber: input.caseNumber,
        serial: row.serial,
        version: row.version + 1,
      }], actor);
      const now = this.now();
      await trx
        .updateTable('licenses')
        .set({ status: 'superseded', status_reason: input.reason, status_case_number: input.caseNumber, status_changed_at: now, successor_license_id: next!.license_id })
        .where('id', '=', row.id)
        .execute();
      await store.insertHistory(trx, [
        { license_id: row.id, at: now, action: 'superseded', reason: input.reason, case_number: input.caseNumber, actor_id: actor.id, actor_kind: actor.kind, detail: JSON.stringify({ successor: next!.license_id }) },
        { license_id: next!.id, at: now, action: 'changed', reason: input.reason, case_number: input.caseNumber, actor_id: actor.id, actor_kind: actor.kind, detail: JSON.stringify({ predecessor: row.license_id }) },
      ]);
      await recordAudit(trx, actor, { action: 'licenses.license.changed', targetType: 'license', targetId: row.license_id, detail: { successor: next!.license_id, caseNumber: input.caseNumber } });
      return this.detailIn(trx, next!);
    });
  }

  // --- reading --------------------------------------------------------------------------------

  private async views(executor: Executor, rows: readonly LicenseRow[]): Promise<License[]> {
    const typeIds = [...new Set(rows.map((r) => r.type_id))];
    const types = new Map<string, LicenseTypeRow>();
    if (typeIds.length > 0) for (const t of await executor.selectFrom('license_types').selectAll().where('id', 'in', typeIds).execute()) types.set(t.id, t);
    const today = todayInShanghai(this.now());
    const out: License[] = [];
    for (const row of rows) {
      const type = types.get(row.type_id)!;
      const seal = await this.seal(executor, row.seal_id);
      const labels = new Map(type.fields.map((f) => [f.name, f.label]));
      out.push({
        licenseId: row.license_id,
        type: type.code,
        typeCode: row.type_code,
        name: row.name,
        holder: { kind: row.holder_kind, idType: row.holder_id_type, name: row.holder_name, identifierMasked: row.holder_kind === 'natural' ? maskIdNumber(row.holder_identifier) : row.holder_identifier },
        issuer: { departmentId: row.issuer_department_id, code: row.issuer_code, name: row.issuer_name },
        issuedOn: row.issued_on,
        validFrom: row.valid_from,
        validUntil: row.valid_until,
        data: Object.entries(row.data).map(([name, value]) => ({ name, label: labels.get(name) ?? name, value })),
        status: row.status,
        expired: row.valid_until !== null && row.valid_until < today,
        statusReason: row.status_reason,
        statusCaseNumber: row.status_case_number,
        successorLicenseId: row.successor_license_id,
        source: row.source,
        caseNumber: row.case_number,
        seal: { keyId: seal?.key_id ?? '', name: seal?.name ?? '' },
        signedAt: row.signed_at.toISOString(),
        signatureAlgorithm: SIGNATURE_ALGORITHM,
      });
    }
    return out;
  }

  private async detailIn(executor: Executor, row: LicenseRow): Promise<LicenseDetail> {
    const [view] = await this.views(executor, [row]);
    const history = await store.historyOf(executor, row.id);
    return { ...view!, history: history.map((h) => ({ action: h.action, at: h.at.toISOString(), reason: h.reason, caseNumber: h.case_number, actorKind: h.actor_kind })) };
  }

  private async identifierOf(applicant: ApplicantPrincipal): Promise<string | null> {
    return (await this.identity.applicantIdentifier(applicant.userId))?.identifier ?? null;
  }

  /** The holder's wallet (`GET /licenses?mine=true`): every license they hold, current and past. */
  async mine(applicant: ApplicantPrincipal): Promise<License[]> {
    const identifier = await this.identifierOf(applicant);
    if (!identifier) return [];
    return this.views(this.db, await store.heldBy(this.db, identifier));
  }

  /** One of the holder's licenses with its history; anyone else's is 404. */
  async mineOne(applicant: ApplicantPrincipal, licenseId: string): Promise<LicenseDetail> {
    const row = await this.heldRow(applicant, licenseId);
    return this.detailIn(this.db, row);
  }

  private async heldRow(applicant: ApplicantPrincipal, licenseId: string): Promise<LicenseRow> {
    const identifier = await this.identifierOf(applicant);
    const row = parseLicenseId(licenseId).ok ? await store.byLicenseId(this.db, licenseId) : undefined;
    if (!row || !identifier || row.holder_identifier !== identifier) throw LicenseErrors.license_not_found();
    return row;
  }

  /** The license as a PDF: face, seal, identifier and a QR code to the public verification page. */
  async pdf(applicant: ApplicantPrincipal, licenseId: string): Promise<{ body: Uint8Array; licenseId: string }> {
    const row = await this.heldRow(applicant, licenseId);
    return { body: await this.render(row), licenseId: row.license_id };
  }

  async render(row: LicenseRow): Promise<Uint8Array> {
    const [view] = await this.views(this.db, [row]);
    const type = (await store.typeById(this.db, row.type_id))!;
    const template = type.template as { title?: string; note?: string };
    const status = row.status === 'revoked' ? '（已注销）' : row.status === 'superseded' ? '（已变更，以新版本为准）' : '';
    return renderDocument({
      title: `${template.title ?? row.name}${status}`,
      number: row.license_id,
      paragraphs: [
        `持证主体：${row.holder_name}`,
        `${row.holder_id_type === '111' ? '身份证件号码' : '统一社会信用代码'}：${row.holder_identifier}`,
        `有效期限：${row.valid_from} 至 ${row.valid_until ?? '长期'}`,
        ...(template.note ? [template.note] : []),
      ],
      ...(view!.data.length > 0 ? { table: { columns: ['照面项', '内容'], rows: view!.data.map((d) => [d.label, d.value]) } } : {}),
      issuer: row.issuer_name,
      date: row.issued_on,
      qr: { text: this.verifyUrl(row.license_id), caption: '扫码核验真伪' },
      seal: { text: row.issuer_name, label: view!.seal.name },
      footer: `电子证照标识 ${row.license_id} · 签名 SM2-SM3 · 印章密钥 ${view!.seal.keyId} · 签发时间 ${row.signed_at.toISOString()}`,
    }, { createdAt: row.signed_at });
  }

  /** The licenses a department issued (newest first), or any department's for the system admin. */
  async listIssued(staff: StaffPrincipal, query: { departmentId?: string | undefined; limit?: number | undefined }): Promise<License[]> {
    const city = staff.roles.includes('system_admin');
    const department = query.departmentId ?? (city ? undefined : staff.departmentId);
    if (department) await this.assertManages(staff, department, () => LicenseErrors.license_not_found());
    return this.views(this.db, await store.issuedBy(this.db, department, query.limit ?? 50));
  }

  async issuedOne(staff: StaffPrincipal, licenseId: string): Promise<LicenseDetail> {
    const row = parseLicenseId(licenseId).ok ? await store.byLicenseId(this.db, licenseId) : undefined;
    if (!row) throw LicenseErrors.license_not_found();
    await this.assertManages(staff, row.issuer_department_id, () => LicenseErrors.license_not_found());
    return this.detailIn(this.db, row);
  }

  /**
   * 用证: staff handling a case look up its applicant's licenses. The case must be one they
   * reach (404 otherwise); each look-up is audited with the case it served.
   */
  async lookupForCase(staff: StaffPrincipal, actor: AuditActor, caseNumber: string): Promise<License[]> {
    if (!this.cases) throw LicenseErrors.license_not_found();
    const applicant = await this.cases.applicantOf(staff, caseNumber);
    const rows = await store.heldBy(this.db, applicant.identifier);
    await recordAudit(this.db, actor, { action: 'licenses.holder.looked_up', targetType: 'case', targetId: applicant.caseNumber, detail: { count: rows.length } });
    return this.views(this.db, rows);
  }

  // --- 免提交 ---------------------------------------------------------------------------------

  /**
   * The case module's material resolver: a material linked to a license type (its catalog
   * `licenseTypeCode`) may be met by a license of that type the applicant holds, valid, not
   * revoked, superseded or expired, and whose signature verifies; the clerk then sees the
   * material verified. Shared data keeps the default behaviour.
   */
  readonly references: MaterialReferenceResolver = {
    sharedData: (input) => defaultReferences.sharedData(input),
    license: async ({ material, licenseId, applicantUserId }) => {
      if (!applicantUserId || !material.licenseTypeCode) return { ok: false, code: CaseFieldCodes.case_license_unavailable };
      const identifier = (await this.identity.applicantIdentifier(applicantUserId))?.identifier;
      const row = parseLicenseId(licenseId).ok ? await store.byLicenseId(this.db, licenseId) : undefined;
      if (!row || !identifier || row.holder_identifier !== identifier) return { ok: false, code: LicenseFieldCodes.license_not_held };
      const type = await store.typeById(this.db, row.type_id);
      if (type?.code !== material.licenseTypeCode) return { ok: false, code: LicenseFieldCodes.license_type_mismatch };
      const today = todayInShanghai(this.now());
      if (row.status !== 'valid' || (row.valid_until !== null && row.valid_until < today)) return { ok: false, code: LicenseFieldCodes.license_not_held };
      const { verdict } = await this.checkSignature(this.db, row);
      if (verdict !== 'ok') return { ok: false, code: LicenseFieldCodes.license_not_held };
      return { ok: true, licenseId: row.license_id, verdictReason: `已通过电子证照核验：${row.name}（${row.issuer_name}签发，SM2 签名有效）` };
    },
  };

  /**
   * The instant-approval rules' input (the cases module's `LicensesHeld`): whether the subject
   * holds a license of each catalog type that is valid, unexpired and whose signature verifies.
   */
  async holds(subject: { kind: 'natural' | 'legal'; identifier: string }, typeCodes: readonly string[]): Promise<Record<string, boolean>> {
    const held: Record<string, boolean> = Object.fromEntries(typeCodes.map((code) => [code, false]));
    const today = todayInShanghai(this.now());
    for (const row of await store.heldBy(this.db, subject.identifier)) {
      if (row.status !== 'valid' || (row.valid_until !== null && row.valid_until < today)) continue;
      const code = (await store.typeById(this.db, row.type_id))?.code;
      if (code === undefined || held[code] !== false) continue;
      if ((await this.checkSignature(this.db, row)).verdict === 'ok') held[code] = true;
    }
    return held;
  }

  /** Licenses the applicant holds, by the catalog's type names (the application wizard's offers). */
  async heldTypes(applicant: ApplicantPrincipal): Promise<License[]> {
    const today = todayInShanghai(this.now());
    return (await this.mine(applicant)).filter((l) => l.status === 'valid' && (l.validUntil === null || l.validUntil >= today));
  }
}

/** What one batch has already read, by key. */
class Lookups {
  private readonly values = new Map<string, Promise<unknown>>();

  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.values.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.values.set(key, value);
    }
    return value;
  }
}

/** Field errors of a license's face against its type: required fields present, no unknown ones. */
function fieldErrors(fields: readonly LicenseFieldSpec[], data: Record<string, string>, prefix: string): FieldErrorSpec[] {
  const errors: FieldErrorSpec[] = [];
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(data)) if (!known.has(name)) errors.push({ field: `${prefix}.${name}`, code: LicenseFieldCodes.license_field_unknown, params: { name } });
  for (const f of fields) if (f.required && !(data[f.name] ?? '').trim()) errors.push({ field: `${prefix}.${f.name}`, code: LicenseFieldCodes.license_field_required, params: { label: f.label } });
  return errors;
}
