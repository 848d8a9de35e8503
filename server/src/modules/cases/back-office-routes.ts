import { Type } from 'typebox';
import { staffOf } from '../../platform/http/request-context.js';
import type { App } from '../../platform/http/types.js';
import { Paged } from '../../platform/http/pagination.js';
import { attachmentDisposition } from '../files/names.js';
import { CASE_READER_ROLES } from './access.js';
import type { NoticeDocuments } from './documents.js';
import { TaskQueueItem, TaskQueueQuery, type Workbench } from './queue.js';
import { CaseNumberParam } from './schemas.js';

/*
 * The back office's reading routes: the approver's workbench and the printable notices of a case
 * (受理通知书, 不予受理通知书, 一次性告知书, 容缺受理通知书, 决定书). Actions go through
 * POST /cases/{caseNumber}/actions (routes.ts).
 */

const tags = ['cases'];

const NoticeParams = Type.Object({
  ...CaseNumberParam.properties,
  noticeId: Type.String({ format: 'uuid', description: '文书 id（办件详情 notices[].id）' }),
});

export async function backOfficeRoutes(app: App, { workbench, documents }: { workbench: Workbench; documents: NoticeDocuments }): Promise<void> {
  app.get('/api/v1/workbench/tasks', {
    config: { access: { roles: ['approver', 'department_admin'] } },
    schema: {
      tags,
      summary: '审批工作台：本部门待办环节（mine 指派给我的；team 团队队列中我所持岗位的）',
      description: '绿色通道优先，其次按环节到期日由早到晚（已超期的在前），再按任务 id。部门管理员的团队队列为本部门全部未指派环节。',
      querystring: TaskQueueQuery,
      response: { 200: Paged(TaskQueueItem) },
    },
  }, async (request) => workbench.tasks(staffOf(request), request.query));

  app.get('/api/v1/cases/:caseNumber/notices/:noticeId/pdf', {
    config: { access: { applicant: true, roles: CASE_READER_ROLES } },
    schema: {
      tags,
      summary: '办件文书 PDF（受理、不予受理、补正告知、容缺受理、决定书）',
      description: '与办件详情的可见范围相同：申请人本人或权限范围内的工作人员；其他人 404。',
      params: NoticeParams,
      response: {
        200: { description: 'PDF 文书', content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } },
      },
    },
  }, async (request, reply) => {
    const { bytes, title } = await documents.pdf(request.principal!, request.params.caseNumber, request.params.noticeId, request.ip);
    return reply
      .type('application/pdf')
      .header('content-disposition', attachmentDisposition(`${title}-${request.params.caseNumber}.pdf`).replace(/^attachment/, 'inline'))
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
