import { Type } from 'typebox';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import type { App } from '../../platform/http/types.js';
import type { RulesService } from './service.js';
import { RuleParams, RuleSet, RuleSetInput, RuleSets, TestReport } from './schemas.js';

/*
 * Decision-rule authoring (catalog admin of the item's department; the system admin): read,
 * save the draft, run its tests, publish. Reach is the catalog's (404 outside it).
 */

const tags = ['rules'];
const editors = { roles: ['catalog_admin', 'system_admin'] } as const;
const base = '/api/v1/admin/rules/:implementationCode/versions/:version';

export async function rulesRoutes(app: App, { rules }: { rules: RulesService }): Promise<void> {
  app.get(base, {
    config: { access: editors },
    schema: { tags, summary: '事项版本的决策规则（草稿与已发布）', params: RuleParams, response: { 200: RuleSets } },
  }, async (request) => rules.get(staffOf(request), request.params.implementationCode, request.params.version));

  app.put(base, {
    config: { access: editors },
    schema: { tags, summary: '保存规则草稿：字段须存在、FEEL 语法正确、唯一命中下规则不重叠（400 指明行与原因）', params: RuleParams, body: RuleSetInput, response: { 200: RuleSet } },
  }, async (request) => rules.save(staffOf(request), actorOf(request), request.params.implementationCode, request.params.version, request.body));

  app.post(`${base}/test`, {
    config: { access: editors },
    schema: { tags, summary: '运行草稿的测试用例', params: RuleParams, response: { 200: TestReport } },
  }, async (request) => rules.test(staffOf(request), request.params.implementationCode, request.params.version));

  app.post(`${base}/publish`, {
    config: { access: editors },
    schema: { tags, summary: '发布规则草稿：全部测试通过方可发布（否则 422 rule_tests_failed）', params: RuleParams, body: Type.Optional(Type.Object({})), response: { 200: RuleSet } },
  }, async (request) => rules.publish(staffOf(request), actorOf(request), request.params.implementationCode, request.params.version));
}
