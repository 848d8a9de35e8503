import { Type, type Static, type TSchema } from 'typebox';
import { PageQuery } from '../../platform/http/pagination.js';
import { Indicator as CatalogIndicator } from '../catalog/public-schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NumOrNull = Nullable(Type.Number());
const StrOrNull = Type.Union([Type.String(), Type.Null()]);
const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const RegionCode = Type.String({ pattern: '^\\d{6,12}$', description: '行政区划代码：该区划及其下级区划' });
const DepartmentId = Type.String({ format: 'uuid' });

export const PeriodQuery = Type.Object({
  from: Type.Optional(DateText),
  to: Type.Optional(DateText),
  departmentId: Type.Optional(DepartmentId),
  regionCode: Type.Optional(RegionCode),
});

export const Figure = Type.Object({
  key: Type.String(),
  label: Label,
  unit: Type.Enum(['ratio', 'workdays'] as const),
  value: NumOrNull,
  numerator: NumOrNull,
  denominator: NumOrNull,
  target: NumOrNull,
  targetKind: Type.Union([Type.Enum(['at_least', 'at_most'] as const), Type.Null()]),
  met: Type.Union([Type.Boolean(), Type.Null()]),
});

export const IndicatorReport = Type.Object({
  period: Type.Object({ from: DateText, to: DateText }),
  scope: Type.Object({ departmentId: StrOrNull, regionCode: StrOrNull }),
  catalog: Type.Array(CatalogIndicator, { description: '“四办”比例（事项目录口径）及2019、2020年目标' }),
  indicators: Type.Array(Figure, { description: '办件口径指标（docs/indicators.md）；服务质量指标在评价模块接入前为 null' }),
  byDepartment: Type.Array(Type.Object({
    departmentId: Type.String(),
    departmentName: Type.String(),
    received: Type.Integer(),
    decided: Type.Integer(),
    onTimeRate: NumOrNull,
    averageWorkdays: NumOrNull,
    correctionRate: NumOrNull,
    refusalRate: NumOrNull,
    satisfactionRate: NumOrNull,
    complaintOnTimeRate: NumOrNull,
  })),
  byRegion: Type.Array(Type.Object({ regionCode: Type.String(), regionName: Type.String(), received: Type.Integer(), decided: Type.Integer(), onTimeRate: NumOrNull })),
  byItem: Type.Array(Type.Object({ itemCode: Type.String(), itemName: Type.String(), received: Type.Integer(), decided: Type.Integer(), onTimeRate: NumOrNull, averageWorkdays: NumOrNull })),
  trend: Type.Array(Type.Object({ bucket: Type.String(), received: Type.Integer(), decided: Type.Integer(), onTimeRate: NumOrNull })),
  qualityAvailable: Type.Boolean(),
});

export const CaseFilter = Type.Enum(['late', 'on_time', 'instant', 'commitment', 'denied', 'corrected', 'refused', 'open'] as const);

export const CasesQuery = Type.Object({
  ...PeriodQuery.properties,
  itemCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  filter: Type.Optional(CaseFilter),
  ...PageQuery.properties,
});

export const SupervisedCasePage = Type.Object({
  items: Type.Array(Type.Object({
    caseNumber: Type.String(),
    itemCode: Type.String(),
    itemName: Type.String(),
    departmentId: Type.String(),
    departmentName: Type.String(),
    status: Type.String(),
    channel: StrOrNull,
    submittedAt: Type.String({ format: 'date-time' }),
    acceptedOn: StrOrNull,
    deadline: StrOrNull,
    decidedAt: StrOrNull,
    handlingWorkdays: Nullable(Type.Integer()),
    onTime: Type.Union([Type.Boolean(), Type.Null()]),
    instant: Type.Boolean(),
    commitment: Type.Boolean(),
    corrected: Type.Boolean(),
    refused: Type.Boolean(),
  })),
  nextCursor: StrOrNull,
});

const LevelCounts = { green: Type.Integer(), yellow: Type.Integer(), red: Type.Integer(), stopped: Type.Integer(), waiting: Type.Integer() };

export const ScopeOnlyQuery = Type.Object({ departmentId: Type.Optional(DepartmentId), regionCode: Type.Optional(RegionCode) });

export const Monitor = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  yellowShare: Type.Number(),
  totals: Type.Object(LevelCounts),
  byDepartment: Type.Array(Type.Object({ departmentId: Type.String(), departmentName: Type.String(), ...LevelCounts })),
  cases: Type.Array(Type.Object({
    caseNumber: Type.String(),
    itemName: Type.String(),
    departmentId: Type.String(),
    departmentName: Type.String(),
    status: Type.String(),
    deadline: StrOrNull,
    elapsedWorkdays: Nullable(Type.Integer()),
    remainingWorkdays: Nullable(Type.Integer()),
    currentStep: Nullable(Type.Integer()),
    stepDue: StrOrNull,
    stepElapsedWorkdays: Nullable(Type.Integer()),
    stepRemainingWorkdays: Nullable(Type.Integer()),
    level: Type.String(),
  })),
});

export const AlertsQuery = Type.Object({
  ...ScopeOnlyQuery.properties,
  level: Type.Optional(Type.Enum(['yellow', 'red', 'anomaly'] as const)),
  ...PageQuery.properties,
});

export const AlertPage = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(),
    caseNumber: Type.String(),
    kind: Type.String(),
    kindLabel: Type.String(),
    level: Type.String(),
    departmentId: Type.String(),
    departmentName: Type.String(),
    itemName: Type.String(),
    detail: Type.Record(Type.String(), Type.Unknown()),
    raisedAt: Type.String({ format: 'date-time' }),
  })),
  nextCursor: StrOrNull,
});

const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM（默认上月）' });

export const EvaluationQuery = Type.Object({ month: Type.Optional(Month), regionCode: Type.Optional(RegionCode) });

export const Evaluation = Type.Object({
  month: Type.String(),
  weights: Type.Record(Type.String(), Type.Number()),
  departments: Type.Array(Type.Object({
    rank: Nullable(Type.Integer()),
    departmentId: Type.String(),
    departmentName: Type.String(),
    score: NumOrNull,
    received: Type.Integer(),
    decided: Type.Integer(),
    onTimeRate: NumOrNull,
    correctionRate: NumOrNull,
    refusalRate: NumOrNull,
    satisfactionRate: NumOrNull,
  })),
});

export const RankingQuery = Type.Object({ month: Type.Optional(Month) });

/** A download is a plain link: `lang` names the file's language where the browser's Accept-Language would not. */
export const OpenDataQuery = Type.Object({ ...RankingQuery.properties, lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])) });

export const PublicRanking = Type.Object({
  month: Type.String(),
  departments: Type.Array(Type.Object({ rank: Nullable(Type.Integer()), departmentId: Type.String(), departmentName: Type.String(), score: NumOrNull, decided: Type.Integer(), onTimeRate: NumOrNull })),
});

export const OverdueQuery = Type.Object({ departmentId: Type.Optional(DepartmentId), ...PageQuery.properties });

export const OverdueRow = Type.Object({
  itemCode: Type.String(),
  itemName: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  deadline: DateText,
  daysOverdue: Type.Integer({ description: '超期工作日数' }),
  reason: Type.String(),
});

export const OverduePage = Type.Object({ asOf: DateText, items: Type.Array(OverdueRow), nextCursor: StrOrNull });

export const OPEN_DATASETS = ['overdue.csv', 'overdue.json', 'ranking.csv', 'ranking.json'] as const;
export const OpenDataParam = Type.Object({ file: Type.Enum(OPEN_DATASETS) });

export type IndicatorReportBody = Static<typeof IndicatorReport>;
