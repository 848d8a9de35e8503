import type { Static } from 'typebox';
import type { DecisionTable as DecisionTableSchema, RuleSet as RuleSetSchema, RuleSets as RuleSetsSchema, RuleTest as RuleTestSchema, TestReport as TestReportSchema } from '@server/modules/rules/schemas';
import { api } from '../../app/api';

/* The decision-rule admin routes (server/src/modules/rules/routes.ts), typed from the server's schemas. */

export type DecisionTable = Static<typeof DecisionTableSchema>;
export type RuleTest = Static<typeof RuleTestSchema>;
export type RuleSet = Static<typeof RuleSetSchema>;
export type RuleSets = Static<typeof RuleSetsSchema>;
export type TestReport = Static<typeof TestReportSchema>;

const base = (code: string, version: number | string) => `/api/v1/admin/rules/${encodeURIComponent(code)}/versions/${version}`;

export const rulesApi = {
  get: (code: string, version: number | string, signal?: AbortSignal) => api.get<RuleSets>(base(code, version), undefined, signal),
  save: (code: string, version: number | string, body: { table: DecisionTable; tests: RuleTest[]; lockVersion?: number }) => api.put<RuleSet>(base(code, version), body),
  test: (code: string, version: number | string) => api.post<TestReport>(`${base(code, version)}/test`, {}),
  publish: (code: string, version: number | string) => api.post<RuleSet>(`${base(code, version)}/publish`, {}),
};
