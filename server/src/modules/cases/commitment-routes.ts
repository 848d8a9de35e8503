import { Type } from 'typebox';
import { staffOf } from '../../platform/http/request-context.js';
import type { App } from '../../platform/http/types.js';
import { CaseDetail, CaseNumberParam } from './schemas.js';
import type { CasesService } from './service.js';
import { VERIFIER_ROLES } from './verification.js';

/* 告知承诺 verification (事后核查) by the case's department: the open list and the outcome. */

const tags = ['cases'];
const verifiers = { roles: VERIFIER_ROLES } as const;

const VerificationBody = Type.Object({
  outcome: Type.Enum(['confirmed', 'false'] as const, { description: 'confirmed 承诺属实；false 承诺不实：撤销决定并列入失信名单' }),
  finding: Type.String({ minLength: 1, maxLength: 4000, description: '核查情况' }),
});
const OpenVerification = Type.Object({ caseNumber: Type.String(), itemName: Type.String(), applicantName: Type.String(), dueDate: Type.String({ format: 'date' }), openedAt: Type.String({ format: 'date-time' }) });

export async function commitmentRoutes(app: App, { cases }: { cases: CasesService }): Promise<void> {
  app.get('/api/v1/verifications', {
    config: { access: verifiers },
    schema: { tags, summary: '本部门待核查的告知承诺（到期日在前）', response: { 200: Type.Object({ items: Type.Array(OpenVerification) }) } },
  }, async (request) => cases.openVerifications(staffOf(request)));

  app.post('/api/v1/cases/:caseNumber/commitment-verification', {
    config: { access: verifiers },
    schema: { tags, summary: '记录告知承诺核查结果；不实则撤销决定、申请人（企业及其法定代表人）列入失信名单', params: CaseNumberParam, body: VerificationBody, response: { 200: CaseDetail } },
  }, async (request) => cases.verifyCommitment(staffOf(request), request.ip, request.params.caseNumber, request.body));
}
