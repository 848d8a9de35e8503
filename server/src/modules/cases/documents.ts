import { recordAudit } from '../../platform/audit/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import type { Db } from '../../platform/db/database.js';
import { chineseDate, renderDocument, type DocumentSpec } from '../../platform/documents/pdf.js';
import { todayInShanghai } from '../../platform/time.js';
import { CASE_STATUS_LABELS, type CaseStatusCode } from '../../shared/case-codes.js';
import type { OrgService } from '../org/service.js';
import { reachableCase } from './access.js';
import { CaseErrors } from './errors.js';
import { findNotice, type CaseRow, type NoticeRow } from './store.js';

/*
 * The printed form of a case's notices (文书): what each kind says, as a document the platform
 * renderer (platform/documents) lays out. The wording follows the models in common use under
 * 《中华人民共和国行政许可法》 (受理 §32, 不予受理 and 一次性告知 §32, 决定 §34, §38) and the
 * appeal notice every adverse decision must carry (行政复议法 §20: 60 days; 行政诉讼法 §46: six months).
 */

/** GB/T 39046 type 01: 行政许可. Its decisions are 决定书; other items' results are notices. */
const LICENCE_TYPE = '01';

export const COMPOSITE_RESULT_TITLE = '并联审批办理结果通知书';

export function decisionTitle(itemType: string, outcome: 'approved' | 'denied'): string {
  if (itemType === LICENCE_TYPE) return outcome === 'approved' ? '准予行政许可决定书' : '不予行政许可决定书';
  return '办理结果通知书';
}

const APPEAL = '如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。';

/** What a notice needs besides its own row: the case, and names only known outside it. */
export interface NoticeCase {
  row: Pick<CaseRow, 'case_number' | 'item_name' | 'applicant_name' | 'applicant_kind' | 'submitted_at'>;
  /** The case's department: the issuer. */
  departmentName: string;
  /** Department names by id, for the sub-cases listed on a parallel approval's result. */
  departmentNames: ReadonlyMap<string, string>;
}

type Content = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const list = (value: unknown): Content[] => (Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Content[]) : []);
const dateText = (value: unknown): string => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? chineseDate(value) : '');
/** Text as the end of a sentence, without doubling the full stop the author may have typed. */
const clause = (value: unknown): string => str(value).trim().replace(/[。．.；;，,]+$/, '');
const basisText = (value: unknown): string => (Array.isArray(value) ? value.map(str).filter(Boolean).join('、') : str(value));

function acceptance(c: Content, kase: NoticeCase): Pick<DocumentSpec, 'title' | 'paragraphs'> {
  const deadline = dateText(c.deadline);
  const immediate = str(c.caseKind) === '1';
  const paragraphs = [
    `你（单位）于${chineseDate(todayInShanghai(kase.row.submitted_at))}提交的“${kase.row.item_name}”申请，申请材料齐全、符合法定形式，本机关决定予以受理。`,
    immediate
      ? '本事项为即办件，当日办结。'
      : `本事项承诺办结时限为${str(c.promisedDays)}个工作日，自受理之日的次一工作日起计算${deadline ? `，将于${deadline}前办结` : ''}。依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在办理时限内。`,
    `可凭办件编号 ${kase.row.case_number} 在网上办事大厅、移动端或政务服务大厅查询办理进度。`,
  ];
  return { title: '受理通知书', paragraphs };
}

function notAccepted(c: Content, kase: NoticeCase): Pick<DocumentSpec, 'title' | 'paragraphs'> {
  return {
    title: '不予受理通知书',
    paragraphs: [
      `你（单位）于${chineseDate(todayInShanghai(kase.row.submitted_at))}提交的“${kase.row.item_name}”申请，经审查，${clause(c.reason)}。`,
      `根据${basisText(c.legalBasis)}的规定，本机关决定不予受理。`,
      APPEAL.replace('本决定书', '本通知书'),
    ],
  };
}

function correction(c: Content, kase: NoticeCase): Pick<DocumentSpec, 'title' | 'paragraphs' | 'table'> {
  const items = list(c.items);
  return {
    title: '补正材料通知书（一次性告知）',
    paragraphs: [
      `你（单位）提交的“${kase.row.item_name}”申请（办件编号 ${kase.row.case_number}），申请材料不齐全或者不符合法定形式。现一次性告知需要补正的全部内容如下，请补正后重新提交：`,
      '补正后本机关将继续办理；逾期未补正的，视为撤回申请。',
    ],
    table: {
      columns: ['序号', '材料或填报事项', '补正要求'],
      rows: items.map((item, i) => [String(i + 1), str(item.materialName) || str(item.fieldLabel) || str(item.materialId) || str(item.field), str(item.reason)]),
    },
  };
}

function deficiency(c: Content, kase: NoticeCase): Pick<DocumentSpec, 'title' | 'paragraphs' | 'table'> {
  const owed = list(c.owed);
  return {
    title: '容缺受理通知书',
    paragraphs: [
      `你（单位）提交的“${kase.row.item_name}”申请（办件编号 ${kase.row.case_number}），主要申请材料齐全，本机关决定容缺受理。下列材料请于期限内补交：`,
      '容缺材料补齐前，本机关不作出准予决定；逾期未补交的，依法作出不予许可或者不予办理的决定。',
    ],
    table: {
      columns: ['序号', '容缺材料', '补交期限'],
      rows: owed.map((o, i) => [String(i + 1), str(o.name) || str(o.materialId), dateText(o.dueDate)]),
    },
  };
}

function decision(c: Content, kase: NoticeCase): Pick<DocumentSpec, 'title' | 'paragraphs' | 'table'> {
  const approved = str(c.outcome) === 'approved';
  const title = str(c.title) || '办理结果通知书';
  const basis = basisText(c.legalBasis);
  const according = basis ? `根据${basis}的规定，` : '';
  if (Array.isArray(c.subCases)) {
    const subs = list(c.subCases);
    return {
      title,
      paragraphs: [
        `你（单位）申请的“${kase.row.item_name}”（办件编号 ${kase.row.case_number}），由以下部门并联办理，结果如下。`,
        approved ? '各必办事项均已准予，请按领取方式领取办理结果。' : `${clause(c.reasons)}。`,
        ...(approved ? [] : [APPEAL]),
      ],
      table: {
        columns: ['子办件编号', '事项', '办理部门', '结果', '决定书文号'],
        rows: subs.map((s) => [
          str(s.caseNumber),
          `${str(s.itemName)}${s.required === false ? '（选办）' : ''}`,
          kase.departmentNames.get(str(s.departmentId)) ?? '',
          s.decision === 'approved' ? '准予' : s.decision === 'denied' ? '不予批准' : (CASE_STATUS_LABELS[str(s.status) as CaseStatusCode]?.zh ?? ''),
          str(s.decisionNumber),
        ]),
      },
    };
  }
  const results = Array.isArray(c.results) ? c.results.map(str).filter(Boolean) : [];
  const paragraphs = approved
    ? [
        `你（单位）提交的“${kase.row.item_name}”申请（办件编号 ${kase.row.case_number}），经审查，符合法定条件、标准。${according}本机关决定准予。`,
        ...(results.length > 0 ? [`办理结果：${results.join('、')}。请按选定的领取方式领取。`] : []),
        ...(str(c.comment) ? [`审查意见：${str(c.comment)}`] : []),
      ]
    : [
        `你（单位）提交的“${kase.row.item_name}”申请（办件编号 ${kase.row.case_number}），经审查，${clause(c.reasons)}。`,
        `${according}本机关决定不予批准。`,
        APPEAL,
      ];
  return { title, paragraphs };
}

/** The document of a notice, ready for `renderDocument`. */
export function noticeDocument(notice: Pick<NoticeRow, 'kind' | 'number' | 'content' | 'created_at'>, kase: NoticeCase): DocumentSpec {
  const c = (notice.content ?? {}) as Content;
  const body = (() => {
    switch (notice.kind) {
      case 'acceptance':
        return acceptance(c, kase);
      case 'not_accepted':
        return notAccepted(c, kase);
      case 'correction':
        return correction(c, kase);
      case 'deficiency':
        return deficiency(c, kase);
      case 'decision':
        return decision(c, kase);
    }
  })();
  const issuer = str(c.departmentName) || kase.departmentName;
  const spec: DocumentSpec = {
    ...body,
    addressee: `${kase.row.applicant_name}：`,
    issuer,
    date: todayInShanghai(notice.created_at),
    qr: { text: kase.row.case_number, caption: '扫码查询办理进度' },
    seal: { text: issuer, label: notice.kind === 'decision' ? '行政审批专用章' : '受理专用章' },
    footer: `办件编号 ${kase.row.case_number}  本文书由一网通办平台生成`,
  };
  if (notice.number) spec.number = notice.number;
  return spec;
}

/** `GET /cases/{caseNumber}/notices/{noticeId}/pdf`: the same audience as the case itself. */
export class NoticeDocuments {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
  ) {}

  async pdf(principal: Principal, caseNumber: string, noticeId: string, ip: string | null = null): Promise<{ bytes: Uint8Array; title: string }> {
    const row = await reachableCase(this.db, principal, caseNumber);
    const notice = await findNotice(this.db, row.id, noticeId);
    if (!notice) throw CaseErrors.notice_not_found();
    // a notice names the applicant, as the case detail does: staff opening it is recorded alike
    if (principal.kind === 'staff') {
      await recordAudit(this.db, { id: principal.userId, kind: 'staff', ip }, { action: 'cases.notice.read', targetType: 'case', targetId: row.case_number, detail: { noticeId: notice.id, kind: notice.kind } });
    }
    const departments = new Map((await this.org.listDepartments()).map((d) => [d.id, d.name]));
    const spec = noticeDocument(notice, { row, departmentName: departments.get(row.department_id) ?? '', departmentNames: departments });
    return { bytes: await renderDocument(spec, { createdAt: notice.created_at }), title: spec.title };
  }
}
