import { Type, type Static } from 'typebox';
import { PageQuery } from '../../platform/http/pagination.js';
import { EVALUATION_CHANNELS, QUALITY_SETTING_BOUNDS, QUALITY_SETTING_KEYS, TEXT_MAX } from '../../shared/quality-codes.js';

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const CivilDate = Type.String({ format: 'date', description: 'YYYY-MM-DD（Asia/Shanghai）' });
/** A string enum schema typed as its literals. */
export const Literals = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

// --- rating ------------------------------------------------------------------------------------

export const RatingInput = Type.Object({
  level: Type.Integer({ minimum: 1, maximum: 5, description: '5 = 非常满意 … 1 = 非常不满意（与 GB/T 39046 代码相反，见 gbtCode）' }),
  channel: Literals(EVALUATION_CHANNELS, { description: '评价渠道' }),
  text: Type.Optional(Type.String({ maxLength: TEXT_MAX, description: `评价内容，至多 ${TEXT_MAX} 字；不满意（1-2）时必填` })),
});
export type RatingInput = Static<typeof RatingInput>;

const WindowNo = Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z-]+$', description: '窗口号' });

export const HallVisitRatingInput = Type.Object({
  ...RatingInput.properties,
  hallId: Uuid,
  window: WindowNo,
  departmentId: Uuid,
});
export type HallVisitRatingInput = Static<typeof HallVisitRatingInput>;

export const HallVisitInput = Type.Object({
  hallId: Uuid,
  window: WindowNo,
  itemCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '所办事项（可选）' })),
});
export type HallVisitInput = Static<typeof HallVisitInput>;

export const RecordedHallVisit = Type.Object({
  id: Uuid,
  hallId: Uuid,
  hallName: Type.String(),
  window: Type.String(),
  departmentId: Uuid,
  staffName: Type.String(),
  itemCode: Nullable(Type.String()),
  itemName: Nullable(Type.String()),
  visitedAt: Instant,
  code: Type.String({ description: '评价码：仅此一次返回，印在二维码中；持码人可评价本次服务' }),
  ratingPath: Type.String({ description: '二维码指向的评价页（相对地址）' }),
});
export type RecordedHallVisit = Static<typeof RecordedHallVisit>;

export const VisitCode = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: '二维码中的评价码' });
export const VisitRatingInput = Type.Object({ ...RatingInput.properties, code: VisitCode });
export type VisitRatingInput = Static<typeof VisitRatingInput>;

export const Evaluation = Type.Object({
  id: Uuid,
  subjectKind: Type.Union([Type.Literal('case'), Type.Literal('ticket'), Type.Literal('hall_visit')]),
  caseNumber: Nullable(Type.String()),
  ticketNumber: Nullable(Type.String()),
  round: Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 首次评价，2 追加评价' }),
  level: Type.Integer({ minimum: 1, maximum: 5 }),
  gbtCode: Type.String({ description: 'GB/T 39046 满意度代码（1 = 非常满意 … 5 = 非常不满意）' }),
  channel: Type.String(),
  text: Nullable(Type.String()),
  isDefault: Type.Boolean({ description: '评价期满未评价，系统记录的默认评价' }),
  ratedAt: Instant,
  regionCode: Type.String(),
  departmentId: Uuid,
  hallId: Nullable(Uuid),
  staffName: Nullable(Type.String()),
  rectificationId: Nullable(Uuid),
});
export type Evaluation = Static<typeof Evaluation>;

export const EvaluationState = Type.Object({
  ratings: Type.Array(Evaluation),
  /** Whether the caller may rate now, and which round that would be. */
  canRate: Type.Boolean(),
  nextRound: Nullable(Type.Union([Type.Literal(1), Type.Literal(2)])),
  /** Last instant a rating is taken (completion + the rating period); null while not completed. */
  periodEndsAt: Nullable(Instant),
});
export type EvaluationState = Static<typeof EvaluationState>;

export const CaseNumberParam = Type.Object({ caseNumber: Type.String({ minLength: 8, maxLength: 64, pattern: '^[0-9A-Za-z]+$' }) });

// --- rectification ------------------------------------------------------------------------------

const RectStatus = Literals(['open', 'called_back', 'reported', 'appealed', 'closed'] as const);

export const Rectification = Type.Object({
  id: Uuid,
  evaluation: Evaluation,
  subjectKind: Type.String(),
  subjectRef: Type.String(),
  departmentId: Uuid,
  departmentName: Type.String(),
  status: RectStatus,
  dueOn: CivilDate,
  /** While reported: the last day the applicant may confirm; then the sweep closes it as `unconfirmed`. */
  confirmDueOn: Nullable(CivilDate),
  overdue: Type.Boolean(),
  openedAt: Instant,
  callbackAt: Nullable(Instant),
  callbackNote: Nullable(Type.String()),
  report: Nullable(Type.String()),
  reportedAt: Nullable(Instant),
  appealReason: Nullable(Type.String()),
  appealedAt: Nullable(Instant),
  appealDecision: Nullable(Type.String()),
  appealComment: Nullable(Type.String()),
  confirmedAt: Nullable(Instant),
  applicantComment: Nullable(Type.String()),
  escalatedAt: Nullable(Instant),
  outcome: Nullable(Type.String({ description: 'rectified 已整改 · appeal_upheld 申诉成立 · unconfirmed 申请人逾期未确认' })),
  closedAt: Nullable(Instant),
  version: Type.Integer(),
  /** Steps the caller may take now. */
  steps: Type.Array(Type.String()),
});
export type Rectification = Static<typeof Rectification>;

export const RectificationQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(RectStatus),
  escalated: Type.Optional(Type.Boolean()),
  mine: Type.Optional(Type.Boolean({ description: 'true：申请人本人的整改工单' })),
});
export type RectificationQuery = Static<typeof RectificationQuery>;

const Note = (description: string) => Type.String({ minLength: 1, maxLength: TEXT_MAX, description });
export const RectificationStep = Type.Union([
  Type.Object({ step: Type.Literal('callback'), version: Type.Integer(), note: Note('回访记录') }),
  Type.Object({ step: Type.Literal('report'), version: Type.Integer(), report: Note('整改结果') }),
  Type.Object({ step: Type.Literal('appeal'), version: Type.Integer(), reason: Note('申诉理由（恶意或错误评价）') }),
  Type.Object({ step: Type.Literal('decide_appeal'), version: Type.Integer(), decision: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]), comment: Note('裁定意见') }),
  Type.Object({ step: Type.Literal('confirm'), version: Type.Integer(), satisfied: Type.Boolean({ description: 'true：认可整改结果；false：不认可，退回部门继续整改' }), comment: Type.Optional(Type.String({ maxLength: TEXT_MAX })) }),
]);
export type RectificationStep = Static<typeof RectificationStep>;

// --- public statistics --------------------------------------------------------------------------

export const StatsQuery = Type.Object({
  from: Type.Optional(CivilDate),
  to: Type.Optional(CivilDate),
  departmentId: Type.Optional(Uuid),
});
export type StatsQuery = Static<typeof StatsQuery>;

const Figures = {
  evaluations: Type.Integer({ description: '首次评价数（含默认评价）' }),
  byLevel: Type.Array(Type.Integer(), { description: '各等级评价数，下标 0 = 非常不满意(1) … 4 = 非常满意(5)' }),
  satisfied: Type.Integer({ description: '满意及非常满意' }),
  satisfactionRate: Nullable(Type.Number({ description: '满意率（0-1），无评价时为 null' })),
  badReviews: Type.Integer(),
  rectified: Type.Integer({ description: '差评已整改办结（或申诉成立）' }),
  rectificationRate: Nullable(Type.Number({ description: '差评整改率（0-1），无差评时为 null' })),
};
export const StatsGroup = Type.Object({ key: Type.String(), name: Type.String(), ...Figures });
export type StatsGroup = Static<typeof StatsGroup>;
export const PublicStats = Type.Object({
  from: CivilDate,
  to: CivilDate,
  totals: Type.Object(Figures),
  byDepartment: Type.Array(StatsGroup),
  byItem: Type.Array(StatsGroup),
  byHall: Type.Array(StatsGroup),
  byMonth: Type.Array(StatsGroup),
});
export type PublicStats = Static<typeof PublicStats>;

// --- settings (ADR 0015) ------------------------------------------------------------------------

const bound = (key: keyof typeof QUALITY_SETTING_BOUNDS, description: string) => {
  const b = QUALITY_SETTING_BOUNDS[key];
  return Type.Integer({ minimum: b.min, maximum: b.max, description: `${description}（${b.min}-${b.max}，默认取环境变量 ${b.env}，未设为 ${b.fallback}）` });
};
const SettingsFields = {
  ratingPeriodDays: bound('ratingPeriodDays', '评价期：办结后多少个自然日内可评价，期满记默认评价'),
  rectificationWorkdays: bound('rectificationWorkdays', '差评整改时限（工作日）'),
  confirmationDays: bound('confirmationDays', '申请人确认整改结果的期限（自然日），逾期按“未确认”办结'),
};
const DeadlineFields = {
  consultation: bound('ticketDeadlines.consultation', '咨询答复时限（工作日）'),
  complaint: bound('ticketDeadlines.complaint', '投诉答复时限（工作日）'),
  suggestion: bound('ticketDeadlines.suggestion', '建议答复时限（工作日）'),
  praise: bound('ticketDeadlines.praise', '表扬答复时限（工作日）'),
};
const SettingsValues = Type.Object({ ...SettingsFields, ticketDeadlines: Type.Object(DeadlineFields) });

export const QualitySettingsView = Type.Object({
  ...SettingsValues.properties,
  defaults: SettingsValues,
  overridden: Type.Array(Type.String(), { description: '已由管理员改写的设置项' }),
  updatedAt: Nullable(Instant),
});
export type QualitySettingsView = Static<typeof QualitySettingsView>;

/*
 * A misspelt setting must be refused, not dropped: `additionalProperties: false` would have the
 * platform's validator (removeAdditional) strip it silently and save nothing; a schema no value
 * matches keeps it and fails on it, naming the field.
 */
const NoOtherKey = Type.Never();

export const QualitySettingsInput = Type.Object({
  ratingPeriodDays: Type.Optional(SettingsFields.ratingPeriodDays),
  rectificationWorkdays: Type.Optional(SettingsFields.rectificationWorkdays),
  confirmationDays: Type.Optional(SettingsFields.confirmationDays),
  ticketDeadlines: Type.Optional(Type.Object({
    consultation: Type.Optional(DeadlineFields.consultation),
    complaint: Type.Optional(DeadlineFields.complaint),
    suggestion: Type.Optional(DeadlineFields.suggestion),
    praise: Type.Optional(DeadlineFields.praise),
  }, { additionalProperties: NoOtherKey, minProperties: 1 })),
  reset: Type.Optional(Type.Array(Literals(QUALITY_SETTING_KEYS), { minItems: 1, uniqueItems: true, maxItems: QUALITY_SETTING_KEYS.length, description: '恢复为默认值的设置项，如 ticketDeadlines.complaint' })),
}, { additionalProperties: NoOtherKey, minProperties: 1 });
export type QualitySettingsInput = Static<typeof QualitySettingsInput>;
