import { Type, type Static } from 'typebox';
import { PageQuery } from '../../platform/http/pagination.js';

/* Credit lists (信用名单): the service blacklist (失信) and the red list (守信), appeals and removal (信用修复). */

export const CREDIT_LISTS = ['black', 'red'] as const;
export const CREDIT_SOURCES = ['false_commitment', 'department'] as const;
const DateString = Type.String({ format: 'date' });
const Nullable = <T extends import('typebox').TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const CreditEntry = Type.Object({
  id: Type.String(),
  list: Type.Enum(CREDIT_LISTS),
  subjectKind: Type.Enum(['natural', 'legal'] as const),
  /** Masked in lists (ID number / credit code). */
  subjectIdentifier: Type.String(),
  subjectName: Type.String(),
  reason: Type.String(),
  legalBasis: Type.String(),
  source: Type.Enum(CREDIT_SOURCES),
  sourceRef: Nullable(Type.String()),
  departmentId: Type.String(),
  validFrom: DateString,
  validUntil: Nullable(DateString),
  createdAt: Type.String({ format: 'date-time' }),
  active: Type.Boolean(),
  removedAt: Nullable(Type.String({ format: 'date-time' })),
  removalReason: Nullable(Type.String()),
});
export type CreditEntry = Static<typeof CreditEntry>;

export const NewCreditEntry = Type.Object({
  list: Type.Enum(CREDIT_LISTS),
  subjectKind: Type.Enum(['natural', 'legal'] as const),
  subjectIdentifier: Type.String({ minLength: 15, maxLength: 18, description: '身份证号码或统一社会信用代码' }),
  subjectName: Type.String({ minLength: 1, maxLength: 200 }),
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  legalBasis: Type.String({ minLength: 1, maxLength: 2000 }),
  validFrom: Type.Optional(DateString),
  validUntil: Type.Optional(DateString),
});
export type NewCreditEntry = Static<typeof NewCreditEntry>;

export const RemoveEntry = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, description: '信用修复 / 移出理由' }) });

export const CreditQuery = Type.Object({
  ...PageQuery.properties,
  list: Type.Optional(Type.Enum(CREDIT_LISTS)),
  active: Type.Optional(Type.Boolean()),
  identifier: Type.Optional(Type.String({ maxLength: 18, description: '按身份证号码或统一社会信用代码精确查找' })),
});
export type CreditQuery = Static<typeof CreditQuery>;

export const CreditAppeal = Type.Object({
  id: Type.String(),
  entryId: Type.String(),
  text: Type.String(),
  status: Type.Enum(['pending', 'upheld', 'rejected'] as const),
  createdAt: Type.String({ format: 'date-time' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decisionComment: Nullable(Type.String()),
  entry: Type.Optional(CreditEntry),
});
export type CreditAppeal = Static<typeof CreditAppeal>;

export const NewAppeal = Type.Object({ entryId: Type.String({ format: 'uuid' }), text: Type.String({ minLength: 1, maxLength: 4000, description: '申诉理由' }) });
export const AppealDecision = Type.Object({ upheld: Type.Boolean({ description: 'true = 申诉成立，移出名单' }), comment: Type.String({ minLength: 1, maxLength: 2000 }) });
export const AppealQuery = Type.Object({ status: Type.Optional(Type.Enum(['pending', 'upheld', 'rejected'] as const)) });

export const MyCredit = Type.Object({ entries: Type.Array(CreditEntry), appeals: Type.Array(CreditAppeal) });
