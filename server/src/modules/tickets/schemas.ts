import { Type, type Static } from 'typebox';
import { PageQuery } from '../../platform/http/pagination.js';
import { Literals } from '../evaluation/schemas.js';
import { TICKET_BODY_MAX, TICKET_KINDS, TEXT_MAX } from '../../shared/quality-codes.js';

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const CivilDate = Type.String({ format: 'date' });
const Kind = Literals(TICKET_KINDS);
const Status = Type.Union([Type.Literal('open'), Type.Literal('answered'), Type.Literal('closed')]);

export const TicketInput = Type.Object({
  kind: Kind,
  title: Type.String({ minLength: 1, maxLength: 100 }),
  body: Type.String({ minLength: 1, maxLength: TICKET_BODY_MAX }),
  itemCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '所涉事项（按事项分派到实施部门）' })),
  departmentId: Type.Optional(Uuid),
  caseNumber: Type.Optional(Type.String({ minLength: 8, maxLength: 64, pattern: '^[0-9A-Za-z]+$', description: '所涉办件（本人的）' })),
  contactName: Type.Optional(Type.String({ maxLength: 50, description: '大厅代登记时：来访人姓名' })),
  contactPhone: Type.Optional(Type.String({ maxLength: 20 })),
});
export type TicketInput = Static<typeof TicketInput>;

export const TicketNumberParam = Type.Object({ ticketNumber: Type.String({ minLength: 6, maxLength: 40, pattern: '^[0-9A-Za-z]+$' }) });

export const TicketSummary = Type.Object({
  number: Type.String(),
  kind: Kind,
  source: Type.String(),
  title: Type.String(),
  itemCode: Nullable(Type.String()),
  itemName: Nullable(Type.String()),
  caseNumber: Nullable(Type.String()),
  departmentId: Uuid,
  departmentName: Type.String(),
  status: Status,
  deadline: CivilDate,
  overdue: Type.Boolean(),
  escalated: Type.Boolean(),
  openedAt: Instant,
  answeredAt: Nullable(Instant),
  contactName: Nullable(Type.String({ description: '列表中脱敏' })),
  contactPhone: Nullable(Type.String({ description: '列表中脱敏' })),
  hotlineRef: Nullable(Type.String()),
  version: Type.Integer(),
});
export type TicketSummary = Static<typeof TicketSummary>;

export const TicketDetail = Type.Object({
  ...TicketSummary.properties,
  body: Type.String(),
  reply: Nullable(Type.String()),
  repliedByName: Nullable(Type.String()),
  closedAt: Nullable(Instant),
  faq: Nullable(Type.Object({ question: Type.String(), answer: Type.String(), publishedAt: Instant })),
  history: Type.Array(Type.Object({
    action: Type.String(),
    at: Instant,
    actor: Type.String(),
    comment: Nullable(Type.String()),
    /** On a transfer: where it went, and the kind and deadline before and after. */
    transfer: Type.Optional(Type.Object({
      fromDepartmentId: Uuid,
      fromDepartmentName: Type.String(),
      toDepartmentId: Uuid,
      toDepartmentName: Type.String(),
      kindFrom: Kind,
      kindTo: Kind,
      deadlineFrom: CivilDate,
      deadlineTo: CivilDate,
    })),
  })),
  /** Actions the caller may take now. */
  actions: Type.Array(Type.String()),
});
export type TicketDetail = Static<typeof TicketDetail>;

export const TicketQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(Status),
  kind: Type.Optional(Kind),
  overdue: Type.Optional(Type.Boolean()),
  escalated: Type.Optional(Type.Boolean()),
});
export type TicketQuery = Static<typeof TicketQuery>;

const Text = (description: string) => Type.String({ minLength: 1, maxLength: TICKET_BODY_MAX, description });
export const TicketAction = Type.Union([
  Type.Object({ action: Type.Literal('reply'), version: Type.Integer(), reply: Text('答复内容') }),
  Type.Object({
    action: Type.Literal('transfer'),
    version: Type.Integer(),
    departmentId: Uuid,
    kind: Type.Optional(Kind),
    comment: Text('转办理由'),
  }, { description: '转办：承办部门（及可选的类型）改变，答复时限自转办之日按新类型重新计算' }),
  Type.Object({ action: Type.Literal('escalate'), version: Type.Integer(), comment: Text('提请效能监督的理由') }),
  Type.Object({ action: Type.Literal('close'), version: Type.Integer(), comment: Type.Optional(Type.String({ maxLength: TEXT_MAX })) }),
  Type.Object({
    action: Type.Literal('publish_faq'),
    version: Type.Integer(),
    question: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    answer: Type.Optional(Type.String({ minLength: 1, maxLength: TICKET_BODY_MAX })),
  }),
  Type.Object({ action: Type.Literal('unpublish_faq'), version: Type.Integer() }),
]);
export type TicketAction = Static<typeof TicketAction>;

/** A 12345 hotline work order (工单) as imported. */
export const HotlineRow = Type.Object({
  ref: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  body: Type.Optional(Type.String()),
  contactName: Type.Optional(Type.String()),
  contactPhone: Type.Optional(Type.String()),
  itemCode: Type.Optional(Type.String()),
  department: Type.Optional(Type.String({ description: '部门 id 或名称' })),
}, { additionalProperties: true });
export type HotlineRow = Static<typeof HotlineRow>;

export const HotlineImport = Type.Object({
  csv: Type.Optional(Type.String({ maxLength: 5_000_000, description: 'CSV（UTF-8，首行为列名：ref,kind,title,body,contactName,contactPhone,itemCode,department，或对应中文列名）' })),
  rows: Type.Optional(Type.Array(HotlineRow, { maxItems: 5000 })),
});
export type HotlineImport = Static<typeof HotlineImport>;

export const HotlineImportResult = Type.Object({
  imported: Type.Array(Type.Object({ row: Type.Integer(), ref: Type.String(), number: Type.String() })),
  duplicates: Type.Array(Type.Object({ row: Type.Integer(), ref: Type.String(), number: Type.String() })),
  errors: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
});
export type HotlineImportResult = Static<typeof HotlineImportResult>;

export const FaqEntry = Type.Object({ question: Type.String(), answer: Type.String(), departmentName: Type.String(), publishedAt: Instant });
export const FaqList = Type.Object({ itemCode: Type.String(), items: Type.Array(FaqEntry) });
export type FaqList = Static<typeof FaqList>;
