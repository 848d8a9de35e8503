import { Type, type Static } from 'typebox';
import { FOUR_WAYS, ITEM_TYPES, SERVICE_OBJECTS, THEMES } from '../../shared/catalog-codes.js';
import { PageQuery } from '../../platform/http/pagination.js';
import { Hall } from '../org/schemas.js';
import { ItemContent, ItemSummary, LIST_STATUSES } from './schemas.js';

/*
 * Shapes of the public catalog routes (public-routes.ts). Shared with the web app like schemas.ts.
 * Nothing here names a person: no editor, submitter or publisher, only dates.
 */

const RegionCode = Type.String({ pattern: '^\\d{6,12}$', description: '行政区划代码：该区划及其下级区划的部门' });
const DepartmentId = Type.String({ format: 'uuid' });
const DateString = Type.String({ format: 'date' });

export const ItemsQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: '中文检索词，按相关度排序（支持俗称，如“开公司”）' })),
  type: Type.Optional(Type.Enum(ITEM_TYPES, { description: '事项类型 (GB/T 39046 附录 A.1)' })),
  objectType: Type.Optional(Type.Enum(SERVICE_OBJECTS, { description: '服务对象' })),
  departmentId: Type.Optional(DepartmentId),
  regionCode: Type.Optional(RegionCode),
  handling: Type.Optional(Type.Enum(FOUR_WAYS, { description: '四办属性' })),
  theme: Type.Optional(Type.Enum(THEMES, { description: '主题 / 人生事件' })),
  ...PageQuery.properties,
});
export type ItemsQuery = Static<typeof ItemsQuery>;

export const ItemPage = Type.Object({
  items: Type.Array(ItemSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: '无 q 时按部门、名称、编码排序，游标在目录变更后仍可续用；有 q 时按相关度排序，目录变更后旧游标返回 400 invalid_cursor，请从第一页重新检索',
  }),
});
export type ItemPage = Static<typeof ItemPage>;

export const CodeParam = Type.Object({
  implementationCode: Type.String({ pattern: '^[0-9A-Za-z]{31}$', description: '实施编码（31 位）' }),
});
export const VersionParam = Type.Object({
  implementationCode: CodeParam.properties.implementationCode,
  version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
});

export const PublicProof = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  legalBasis: Type.String({ description: '设定依据' }),
  requestingUnit: Type.String({ description: '索要单位' }),
  issuingUnit: Type.String({ description: '开具单位' }),
  guide: Type.String({ description: '办事指南' }),
  status: Type.Enum(LIST_STATUSES, { description: 'withdrawn：已从清单撤销（旧版本指南仍列出）' }),
});
export type PublicProof = Static<typeof PublicProof>;

export const PublicIntermediary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  legalBasis: Type.String({ description: '设定依据' }),
  feeStandard: Type.String({ description: '收费标准' }),
  providerRequirements: Type.Union([Type.String(), Type.Null()], { description: '中介机构资质要求' }),
  status: Type.Enum(LIST_STATUSES),
});
export type PublicIntermediary = Static<typeof PublicIntermediary>;

export const ItemRef = Type.Object({ implementationCode: Type.String(), name: Type.String(), departmentName: Type.String() });
export type ItemRef = Static<typeof ItemRef>;

/** The full guide (办事指南) of one version: identity, version facts, every ItemContent element, resolved references. */
export const ItemGuide = Type.Object({
  implementationCode: Type.String(),
  basicCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  exerciseLevel: Type.Integer(),
  version: Type.Integer(),
  status: Type.Enum(['published', 'superseded', 'withdrawn'] as const),
  /** Whether this is the version the public sees today. */
  current: Type.Boolean(),
  effectiveFrom: Type.Union([DateString, Type.Null()]),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** A later published version already scheduled (effective after today), if any. */
  upcoming: Type.Union([Type.Object({ version: Type.Integer(), effectiveFrom: DateString }), Type.Null()]),
  ...ItemContent.properties,
  halls: Type.Array(Hall, { description: '可办理的政务服务大厅（hallIds 解析）' }),
  proofs: Type.Array(PublicProof, { description: '材料引用的保留证明事项' }),
  intermediaries: Type.Array(PublicIntermediary, { description: '所需中介服务' }),
});
export type ItemGuide = Static<typeof ItemGuide>;

export const ScopeQuery = Type.Object({
  departmentId: Type.Optional(DepartmentId),
  regionCode: Type.Optional(RegionCode),
});
export type ScopeQuery = Static<typeof ScopeQuery>;

const Label = Type.Object({ zh: Type.String(), en: Type.String() });

export const Indicator = Type.Object({
  key: Type.Enum(FOUR_WAYS),
  label: Label,
  /** What is counted, in words (docs/indicators.md "Catalog ratios"). */
  definition: Label,
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  /** numerator / denominator, null when nothing is counted. */
  ratio: Type.Union([Type.Number(), Type.Null()]),
  targetKind: Type.Enum(['about', 'at_least'] as const, { description: 'about：左右（达到即视为达标）；at_least：以上' }),
  target2019: Type.Number(),
  target2020: Type.Number(),
  met2019: Type.Union([Type.Boolean(), Type.Null()]),
  met2020: Type.Union([Type.Boolean(), Type.Null()]),
});
export type Indicator = Static<typeof Indicator>;

const Scope = Type.Object({ departmentId: Type.Union([Type.String(), Type.Null()]), regionCode: Type.Union([Type.String(), Type.Null()]) });

export const FourWaysReport = Type.Object({
  asOf: DateString,
  revision: Type.Integer(),
  scope: Scope,
  counts: Type.Object({
    items: Type.Integer({ description: '范围内现行事项数' }),
    immediate: Type.Integer(),
    online: Type.Integer(),
    nearby: Type.Integer(),
    oneVisit: Type.Integer(),
    noVisit: Type.Integer({ description: '不见面审批（到现场 0 次）' }),
  }),
  indicators: Type.Array(Indicator),
  items: Type.Array(ItemSummary, { description: '“四办”事项目录（分页）' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type FourWaysReport = Static<typeof FourWaysReport>;

export const ScopedPageQuery = Type.Object({ ...ScopeQuery.properties, ...PageQuery.properties });
export type ScopedPageQuery = Static<typeof ScopedPageQuery>;

export const NoVisitList = Type.Object({
  asOf: DateString,
  revision: Type.Integer(),
  scope: Scope,
  count: Type.Integer({ description: '不见面审批事项数（依申请六类事项中到现场 0 次的）' }),
  total: Type.Integer({ description: '依申请六类现行事项数' }),
  share: Type.Union([Type.Number(), Type.Null()]),
  items: Type.Array(ItemSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type NoVisitList = Static<typeof NoVisitList>;

export const ThemeCount = Type.Object({ theme: Type.Enum(THEMES), label: Label, itemCount: Type.Integer() });
export const ProofEntry = Type.Object({ ...PublicProof.properties, items: Type.Array(ItemRef, { description: '要求该证明的现行事项' }) });
export const IntermediaryEntry = Type.Object({ ...PublicIntermediary.properties, items: Type.Array(ItemRef, { description: '需要该中介服务的现行事项' }) });

export const DepartmentCount = Type.Object({
  id: Type.String(),
  name: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  itemCount: Type.Integer({ description: '现行已发布事项数' }),
});
export type DepartmentCount = Static<typeof DepartmentCount>;
export const DepartmentCountQuery = Type.Object({ regionCode: Type.Optional(RegionCode) });

/** One item of the export: identity, version facts and the content as published. */
export const ExportItem = Type.Object({
  implementationCode: Type.String(),
  basicCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  exerciseLevel: Type.Integer(),
  version: Type.Integer(),
  effectiveFrom: Type.Union([DateString, Type.Null()]),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  content: ItemContent,
});
export type ExportItem = Static<typeof ExportItem>;

export const CatalogExport = Type.Object({
  format: Type.Literal('tongban-catalog'),
  formatVersion: Type.Literal(1),
  asOf: DateString,
  revision: Type.Integer(),
  exportedAt: Type.String({ format: 'date-time' }),
  departments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), creditCode: Type.String(), regionCode: Type.String() })),
  halls: Type.Array(Hall),
  proofs: Type.Array(PublicProof),
  intermediaries: Type.Array(PublicIntermediary),
  items: Type.Array(ExportItem),
});
export type CatalogExport = Static<typeof CatalogExport>;
