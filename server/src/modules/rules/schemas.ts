import { Type, type Static } from 'typebox';

/*
 * Decision tables (DMN-style) for instant approval (秒批), per catalog item version. Shared with
 * the web app's table editor. Inputs name where a value comes from (structured, not FEEL: the
 * editor offers them from the item's form and the known sources, and the save checks them);
 * each row's cells are FEEL unary tests (`>= 60`, `"1","2"`, `[18..35]`, `not("x")`, `-`).
 */

export const RULE_DECISIONS = ['approve', 'deny', 'route'] as const;
export type RuleDecision = (typeof RULE_DECISIONS)[number];
export const RULE_DECISION_LABELS: Record<RuleDecision, { zh: string; en: string }> = {
  approve: { zh: '准予（自动通过）', en: 'Approve' },
  deny: { zh: '不予（自动不通过）', en: 'Deny' },
  route: { zh: '转人工办理', en: 'Route to a person' },
};

export const HIT_POLICIES = ['UNIQUE', 'FIRST', 'COLLECT'] as const;
export type HitPolicy = (typeof HIT_POLICIES)[number];

/**
 * Where an input's value comes from: `form` a field of the application form (`path` = field
 * name); `applicant` the applicant's profile (`kind`, `age`, `regionCode`); `license` whether the
 * applicant holds an e-license of a type (`path` = license type code; needs the e-license module);
 * `shared` a shared-data look-up (`path` = `<resource code>.<item>`, through the data-sharing gateway).
 */
export const INPUT_SOURCES = ['form', 'applicant', 'license', 'shared'] as const;
export type InputSource = (typeof INPUT_SOURCES)[number];
export const APPLICANT_ATTRIBUTES = ['kind', 'age', 'regionCode'] as const;

export const RuleInput = Type.Object({
  id: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,39}$', description: '输入标识（规则测试用）' }),
  label: Type.String({ minLength: 1, maxLength: 100, description: '输入名称' }),
  source: Type.Enum(INPUT_SOURCES),
  path: Type.String({ minLength: 1, maxLength: 200, description: '表单字段名 / 申请人属性 / 证照类型代码 / 资源编码.数据项' }),
});
export type RuleInput = Static<typeof RuleInput>;

export const RuleRow = Type.Object({
  cells: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20, description: '每个输入一个 FEEL 一元测试，- 表示任意' }),
  decision: Type.Enum(RULE_DECISIONS),
  reason: Type.String({ minLength: 1, maxLength: 500, description: '决定理由（向申请人展示）' }),
});
export type RuleRow = Static<typeof RuleRow>;

export const DecisionTable = Type.Object({
  hitPolicy: Type.Enum(HIT_POLICIES),
  inputs: Type.Array(RuleInput, { minItems: 1, maxItems: 20 }),
  rows: Type.Array(RuleRow, { minItems: 1, maxItems: 200 }),
});
export type DecisionTable = Static<typeof DecisionTable>;

/** A stored rule test: input values by input id (absent = unavailable) and the decision expected. */
export const RuleTest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  inputs: Type.Record(Type.String(), Type.Unknown()),
  expected: Type.Enum(RULE_DECISIONS),
});
export type RuleTest = Static<typeof RuleTest>;

export const RuleSetInput = Type.Object({
  table: DecisionTable,
  tests: Type.Array(RuleTest, { maxItems: 200 }),
  /** The draft's lockVersion as read (absent when there is no draft yet). */
  lockVersion: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type RuleSetInput = Static<typeof RuleSetInput>;

export const RULE_STATUSES = ['draft', 'published', 'retired'] as const;

export const TestOutcome = Type.Object({
  name: Type.String(),
  expected: Type.Enum(RULE_DECISIONS),
  actual: Type.Enum(RULE_DECISIONS),
  passed: Type.Boolean(),
  reasons: Type.Array(Type.String()),
});
export const TestReport = Type.Object({
  passed: Type.Boolean(),
  total: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(TestOutcome),
});
export type TestReport = Static<typeof TestReport>;

export const RuleSet = Type.Object({
  id: Type.String(),
  itemCode: Type.String(),
  itemVersion: Type.Integer(),
  revision: Type.Integer(),
  /** `<item version>.<revision>`: what a decision record names. */
  ruleVersion: Type.String(),
  status: Type.Enum(RULE_STATUSES),
  lockVersion: Type.Integer(),
  table: DecisionTable,
  tests: Type.Array(RuleTest),
  lastTestReport: Type.Union([TestReport, Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type RuleSet = Static<typeof RuleSet>;

export const RuleSets = Type.Object({
  itemCode: Type.String(),
  itemVersion: Type.Integer(),
  draft: Type.Union([RuleSet, Type.Null()]),
  published: Type.Union([RuleSet, Type.Null()]),
});
export type RuleSets = Static<typeof RuleSets>;

export const RuleParams = Type.Object({
  implementationCode: Type.String({ pattern: '^[0-9A-Za-z]{31}$' }),
  version: Type.Integer({ minimum: 1 }),
});

/** The automatic decision as the case keeps it (history detail) and shows it. */
export const DecisionRecord = Type.Object({
  ruleId: Type.Union([Type.String(), Type.Null()]),
  ruleVersion: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Enum(RULE_DECISIONS),
  reasons: Type.Array(Type.String()),
  matchedRows: Type.Array(Type.Integer()),
  inputs: Type.Record(Type.String(), Type.Unknown()),
  /** Why the case went to a person instead of a rule outcome (missing data, look-up failure, rule error). */
  fallback: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  decidedAt: Type.String({ format: 'date-time' }),
});
export type DecisionRecord = Static<typeof DecisionRecord>;
