/**
 * Shared helpers for tests of case handling (server tests, and the web e2e through the same HTTP
 * API): find a demo item, fill its form from its JSON Schema, upload materials, submit, act.
 * Use with `createTestPlatform()` (demo city): docs/cases-api.md "Test helpers".
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ItemGuide } from '../src/modules/catalog/public-schemas.js';
import type { ActionBody } from '../src/modules/cases/actions.js';
import type { ApplicationInput, CaseCreated, CaseDetail, MaterialRef } from '../src/modules/cases/schemas.js';
import { DEMO_ENTERPRISE, DEMO_PASSWORD, DEMO_PERSON } from '../src/modules/demo/seed.js';
import { CasesService } from '../src/modules/cases/service.js';
import type { ApplicantPrincipal, StaffPrincipal } from '../src/platform/auth/principal.js';
import { SYSTEM_ACTOR } from '../src/platform/audit/audit.js';
import type { StaffRole } from '../src/shared/roles.js';
import { multipartFiles, samplePdf } from './file-samples.js';
import { as, login, type Session, type TestPlatform } from './harness.js';

/** Demo items the case tests use (modules/catalog/demo): names are unique in the demo catalog. */
export const ITEMS = {
  /** 市场监督管理局; persons and enterprises; promised 5 working days; `central_kitchen` is deferrable; three back-office steps. */
  food: '食品经营许可',
  /** 公安局; persons; promised 1 working day. */
  criminalRecord: '无犯罪记录证明开具',
  /** 福田区政务服务数据管理局 (district); persons. */
  futianAllowance: '高龄老人津贴申领',
  /** 市场监督管理局; enterprises only. */
  companySetup: '企业设立登记',
} as const;

/** The current published guide of the demo item with this exact name. */
export async function demoItem(platform: TestPlatform, name: string): Promise<ItemGuide> {
  const found = await platform.services.catalogQuery.listItems({ q: name, limit: 100 });
  const summary = found.items.find((i) => i.name === name);
  if (!summary) throw new Error(`no demo item named ${name}`);
  return platform.services.catalogQuery.guide(summary.implementationCode);
}

type PropertySchema = { type?: string; enum?: unknown[]; pattern?: string; minimum?: number; maxLength?: number };

function sampleValue(schema: PropertySchema): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'boolean') return false;
  if (schema.type === 'integer' || schema.type === 'number') return Math.max(1, schema.minimum ?? 0);
  const pattern = schema.pattern ?? '';
  if (pattern.includes('[0-9X]$')) return DEMO_PERSON.idNumber;
  if (pattern.startsWith('^[0-9A-HJ')) return DEMO_ENTERPRISE.creditCode;
  if (pattern.includes('1[3-9]')) return '13800138000';
  if (pattern.startsWith('^[0-9]{6}(')) return '440304001';
  if (pattern.includes('{4}-')) return '2026-05-06';
  return '测试内容'.slice(0, schema.maxLength ?? 4);
}

/**
 * Valid form data for an item: every required field, plus the conditional ones (`allOf` of
 * if/then, as the catalog's form builder writes them) that the chosen values switch on.
 */
export function sampleForm(guide: Pick<ItemGuide, 'form'>): Record<string, unknown> {
  const schema = guide.form.schema as { properties: Record<string, PropertySchema>; required?: string[]; allOf?: Array<{ if: { properties: Record<string, { const: unknown }> }; then: { required: string[] } }> };
  const form: Record<string, unknown> = {};
  for (const key of schema.required ?? []) form[key] = sampleValue(schema.properties[key]!);
  for (const rule of schema.allOf ?? []) {
    const [[field, condition]] = Object.entries(rule.if.properties) as [[string, { const: unknown }]];
    if (form[field] === condition.const) for (const key of rule.then.required) form[key] = sampleValue(schema.properties[key]!);
  }
  return form;
}

/** A multipart body uploading one tiny valid PDF (`POST /api/v1/files`). */
export function minimalPdfUpload(name = '材料.pdf'): { payload: Buffer; headers: Record<string, string> } {
  return multipartFiles([{ filename: name, data: samplePdf(name), type: 'application/pdf' }]);
}

/** Uploads a PDF as the session's user; returns its file id. */
export async function uploadPdf(platform: TestPlatform, session: Session, name = '材料.pdf'): Promise<string> {
  const upload = minimalPdfUpload(name);
  const res = await as(platform.app, session, { method: 'POST', url: '/api/v1/files', ...upload });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { fileId: string }).fileId;
}

/** One uploaded PDF for each required material of the item (the fewest materials a submission needs). */
export async function requiredMaterials(platform: TestPlatform, session: Session, guide: Pick<ItemGuide, 'materials'>): Promise<MaterialRef[]> {
  const refs: MaterialRef[] = [];
  for (const m of guide.materials.filter((x) => x.requirement === 'required')) refs.push({ materialId: m.id, fileId: await uploadPdf(platform, session, `${m.id}.pdf`) });
  return refs;
}

/** The application body for an item: sample form, required materials uploaded by the session's user; overrides win. */
export async function applicationFor(platform: TestPlatform, session: Session, guide: ItemGuide, overrides: Partial<ApplicationInput> = {}): Promise<ApplicationInput> {
  return {
    itemCode: guide.implementationCode,
    form: sampleForm(guide),
    materials: overrides.materials ?? (await requiredMaterials(platform, session, guide)),
    ...overrides,
  };
}

/** Submits online (`POST /api/v1/cases`) and expects 201. `item` is a guide or a demo item's name. */
export async function submitCase(platform: TestPlatform, session: Session, item: ItemGuide | string, overrides: Partial<ApplicationInput> = {}): Promise<CaseCreated> {
  const guide = typeof item === 'string' ? await demoItem(platform, item) : item;
  const body = await applicationFor(platform, session, guide, overrides);
  const res = await as(platform.app, session, { method: 'POST', url: '/api/v1/cases', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as CaseCreated;
}

export async function caseDetail(platform: TestPlatform, session: Session, caseNumber: string): Promise<CaseDetail> {
  const res = await as(platform.app, session, { method: 'GET', url: `/api/v1/cases/${caseNumber}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CaseDetail;
}

/** `POST /cases/{caseNumber}/actions`; `version` defaults to the case's current one (read first). */
export async function caseAction(
  platform: TestPlatform,
  session: Session,
  caseNumber: string,
  body: Omit<ActionBody, 'version'> & { version?: number },
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const version = body.version ?? (await platform.database.db.selectFrom('cases').select('version').where('case_number', '=', caseNumber).executeTakeFirstOrThrow()).version;
  return as(platform.app, session, { method: 'POST', url: `/api/v1/cases/${caseNumber}/actions`, payload: { ...body, version }, headers });
}

/** An action expected to answer `status` (200 unless said); the case as answered. */
export async function actAndExpect(
  platform: TestPlatform,
  session: Session,
  caseNumber: string,
  body: Omit<ActionBody, 'version'> & { version?: number },
  status = 200,
): Promise<CaseDetail> {
  const res = await caseAction(platform, session, caseNumber, body);
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as CaseDetail;
}

/**
 * The case service on a clock the test sets (HTTP runs on today; deadlines need chosen dates),
 * with the demo person, clerk and approver as the principals it takes. Call in `beforeAll`.
 */
export function casesOnDates(platform: TestPlatform, sessions: { person: Session; clerk: Session; approver: Session }) {
  let now = new Date();
  const { calendar, catalogQuery, org, identity, files } = platform.services;
  const service = new CasesService(platform.database.db, { calendar, catalogQuery, org, identity, files }, { now: () => now });
  const applicant: ApplicantPrincipal = { kind: 'applicant', userId: sessions.person.user.id, applicantKind: 'natural', name: DEMO_PERSON.name };
  const staff = (session: Session, role: StaffRole): StaffPrincipal => ({
    kind: 'staff',
    userId: session.user.id,
    name: session.user.name,
    roles: [role],
    departmentId: session.user.departmentId!,
    regionPath: '440300',
  });
  const window = staff(sessions.clerk, 'window_clerk');
  /** Sets the clock to 10:00 Shanghai time on `date`. */
  const setDate = (date: string) => {
    now = new Date(`${date}T10:00:00+08:00`);
  };
  /** A case of `item` submitted by the person and accepted at the window on `date` (the clock stays there). */
  const acceptedOn = async (date: string, item: ItemGuide): Promise<CaseDetail> => {
    setDate(date);
    const { caseNumber } = await service.submit(applicant, null, await applicationFor(platform, sessions.person, item));
    return service.act(window, null, caseNumber, { action: 'accept', version: 1 });
  };
  return { service, applicant, window, officer: staff(sessions.approver, 'approver'), setDate, acceptedOn };
}

/** A staff account made for a test (a department's name from the demo city), signed in. */
export async function staffSession(platform: TestPlatform, input: { username: string; name: string; department: string; roles: StaffRole[] }): Promise<Session> {
  const department = (await platform.services.org.listDepartments()).find((d) => d.name === input.department);
  if (!department) throw new Error(`no department ${input.department}`);
  await platform.services.identity.createStaff(null, SYSTEM_ACTOR, { username: input.username, name: input.name, departmentId: department.id, roles: input.roles, password: DEMO_PASSWORD });
  return login(platform.app, input.username);
}
