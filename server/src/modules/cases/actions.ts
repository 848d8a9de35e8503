import { Type, type Static } from 'typebox';
import type { Tx } from '../../platform/db/database.js';
import type { Principal } from '../../platform/auth/principal.js';
import { CASE_ACTIONS, DELIVERY_METHODS, SPECIAL_PROCEDURE_TYPES } from '../../shared/case-codes.js';
import type { CalendarService } from '../calendar/service.js';
import type { CatalogQueryService } from '../catalog/query-service.js';
import type { IdentityService } from '../identity/service.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { OrgService } from '../org/service.js';
import type { CaseActor, CaseRow } from './store.js';

/*
 * The one body of `POST /api/v1/cases/{caseNumber}/actions`. A flat object rather than a union per
 * action: Ajv's errors for a failed union are a list of every branch's complaints, useless to a
 * clerk; here the schema checks shapes and the handler of the named action says which of its
 * fields are missing, as ordinary field errors.
 */
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const ActionBody = Type.Object({
  action: Type.Enum(CASE_ACTIONS),
  version: Type.Integer({ minimum: 1, description: '读取到的办件版本号（并发控制）' }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  reason: Type.Optional(Text(2000)),
  legalBasis: Type.Optional(Text(1000)),
  items: Type.Optional(
    Type.Array(Type.Object({ materialId: Type.Optional(Id), field: Type.Optional(Id), reason: Text(1000) }), { maxItems: 100, description: '一次性告知的补正事项' }),
  ),
  owed: Type.Optional(Type.Array(Type.Object({ materialId: Id, dueDate: DateString }), { maxItems: 100, description: '容缺后补材料' })),
  verdicts: Type.Optional(
    Type.Array(Type.Object({ materialId: Id, verdict: Type.Enum(['accepted', 'deficient', 'missing'] as const), reason: Type.Optional(Text(1000)) }), { maxItems: 100 }),
  ),
  materials: Type.Optional(
    Type.Array(Type.Object({ materialId: Id, fileId: Type.Optional(Type.String({ format: 'uuid' })), licenseId: Type.Optional(Id), resourceId: Type.Optional(Id) }), { maxItems: 100 }),
  ),
  form: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  assigneeId: Type.Optional(Type.String({ format: 'uuid' })),
  toStep: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  procedure: Type.Optional(Type.Enum(SPECIAL_PROCEDURE_TYPES)),
  expectedDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  attachments: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 20 })),
  delivery: Type.Optional(
    Type.Object({
      method: Type.Enum(DELIVERY_METHODS),
      pickupCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
      carrier: Type.Optional(Text(50)),
      trackingNumber: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{4,40}$' })),
      address: Type.Optional(Text(300)),
    }),
  ),
});
export type ActionBody = Static<typeof ActionBody>;

/** What the case module's parts need from other modules (through their services only). */
export interface CaseDeps {
  calendar: CalendarService;
  catalogQuery: CatalogQueryService;
  org: OrgService;
  /** Staff look-ups for assignment (`isActiveStaff`). */
  identity: IdentityService;
}

/** Everything an action handler gets: the locked case (version and status already checked). */
export interface ActionContext {
  trx: Tx;
  deps: CaseDeps;
  row: CaseRow;
  /** The item version the case was filed under. */
  item: ItemGuide;
  body: ActionBody;
  actor: CaseActor;
  principal: Principal;
  now: Date;
}

/** Returns the case row after the action (from `applyTransition`). */
export type ActionHandler = (ctx: ActionContext) => Promise<CaseRow>;
