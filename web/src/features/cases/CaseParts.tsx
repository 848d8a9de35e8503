import { useState, type ReactNode } from 'react';
import { App, Button, Descriptions, Empty, Grid, Result, Skeleton, Space, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined, PaperClipOutlined, PrinterOutlined, WarningOutlined } from '@ant-design/icons';
import { CLOCK_STATUSES } from '@server/shared/case-codes';
import { Link } from 'react-router';
import { ApiError } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { ProblemAlert, useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { guidePath, type Guide } from '../catalog/api';
import { casePath, casesApi, fileLink, noticePdfLink, type ActionInput, type CaseDetail, type CaseMaterial, type CorrectionItem, type HistoryEntry, type Verdict } from './api';
import { StatusTag, useCaseLabels } from './codes';
import { FileCard, useFileMeta } from './FileUpload';
import { formatInstant } from './format';
import { formFieldsOf } from './SchemaForm';

/** A history entry's actor: a name, or an object carrying one. */
export function actorName(actor: unknown): string {
  if (typeof actor === 'string') return actor;
  if (actor && typeof actor === 'object' && 'name' in actor && typeof actor.name === 'string') return actor.name;
  return '';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What the latest correction notice asks for (一次性告知): materials and fields, each with its reason. */
export function correctionItems(detail: CaseDetail): CorrectionItem[] {
  const notice = [...detail.notices].reverse().find((n) => n.kind === 'correction');
  const items = notice?.content.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((raw): CorrectionItem[] => {
    if (!raw || typeof raw !== 'object') return [];
    const item = raw as Record<string, unknown>;
    const reason = text(item.reason) ?? '';
    const materialId = text(item.materialId);
    const field = text(item.field);
    return [{ reason, ...(materialId ? { materialId } : {}), ...(field ? { field } : {}) }];
  });
}

/** Owed materials (容缺) not yet supplied. */
export function owedMaterials(detail: CaseDetail): CaseMaterial[] {
  return detail.materials.filter((m) => m.owed && !m.suppliedAt);
}

const VERDICT_COLORS: Record<Verdict, string> = { accepted: 'green', deficient: 'orange', missing: 'red' };

export function VerdictTag({ verdict }: { verdict: Verdict | 'pending' | null }) {
  const { t } = useI18n();
  if (!verdict || verdict === 'pending') return null;
  return <Tag color={VERDICT_COLORS[verdict]}>{t.cases.verdicts[verdict]}</Tag>;
}

/** The case at a glance: number, item, status, department, dates, deadline and the working days used. */
export function CaseFacts({ detail, staff = false }: { detail: CaseDetail; staff?: boolean }) {
  const { t } = useI18n();
  const c = t.cases.detail;
  const screens = Grid.useBreakpoint();
  const running = (CLOCK_STATUSES as readonly string[]).includes(detail.status);
  const step = running && detail.currentStep !== null ? detail.steps.find((s) => s.index === detail.currentStep) : undefined;
  const task = detail.tasks.find((k) => k.closedAt === null);
  const deadline = detail.clock.deadline ?? detail.deadline;
  // Once decided the clock stops: the days used are those its last history entry recorded.
  const elapsed = detail.clock.elapsedWorkdays ?? [...detail.history].reverse().find((h) => h.elapsedWorkdays !== null)?.elapsedWorkdays ?? null;
  return (
    <Descriptions
      bordered
      size="small"
      layout={screens.md === false ? 'vertical' : 'horizontal'}
      column={{ xs: 1, sm: 1, md: 2 }}
      items={[
        { key: 'number', label: c.caseNumber, children: <span className="code-text">{detail.caseNumber}</span> },
        { key: 'status', label: c.status, children: <StatusTag status={detail.status} /> },
        { key: 'item', label: c.item, children: detail.itemName },
        { key: 'department', label: c.department, children: detail.department.name },
        ...(staff
          ? [
              { key: 'applicant', label: c.applicant, children: [detail.applicant.name, detail.applicant.identifierMasked].filter(Boolean).join(' · ') },
              { key: 'phone', label: c.phone, children: detail.applicant.phoneMasked ?? '' },
              { key: 'channel', label: c.channel, children: t.cases.channels[detail.channel as keyof typeof t.cases.channels] ?? detail.channel },
            ]
          : []),
        { key: 'submitted', label: c.submittedAt, children: formatInstant(detail.submittedAt) },
        { key: 'accepted', label: c.acceptedAt, children: detail.acceptedAt ? formatInstant(detail.acceptedAt) : c.notYet },
        {
          key: 'deadline',
          label: c.deadline,
          children: deadline ? (
            <span>
              {deadline} {detail.clock.overdue && <Tag color="red">{c.overdue}</Tag>}
            </span>
          ) : detail.acceptedAt ? c.deadlinePending : c.notYet,
        },
        { key: 'elapsed', label: c.elapsed, children: elapsed !== null ? c.workdays(elapsed) : detail.acceptedAt ? '' : c.notYet },
        ...(step
          ? [
              {
                key: 'step',
                label: c.currentStep,
                children: (
                  <span>
                    {step.name}
                    {task?.dueDate && <> · {c.stepDue(task.dueDate)}</>}
                    {task?.assignee && <> · {c.assignee(task.assignee.name)}</>}
                  </span>
                ),
              },
            ]
          : []),
        ...(detail.suspension
          ? [{ key: 'suspension', label: c.suspension, children: <SuspensionText detail={detail} /> }]
          : []),
      ]}
    />
  );
}

function SuspensionText({ detail }: { detail: CaseDetail }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  const s = detail.suspension ?? {};
  const procedure = text(s.procedure);
  const since = text(s.since);
  return (
    <span>
      {procedure ? labels.specialProcedure(procedure) : ''}
      {text(s.reason) && <>：{text(s.reason)}</>}
      {since && <> · {t.cases.detail.since(since)}</>}
    </span>
  );
}

/** The back-office steps with the current one marked (后台分类审批). */
export function StepsView({ detail }: { detail: CaseDetail }) {
  const screens = Grid.useBreakpoint();
  if (detail.steps.length === 0) return null;
  const decided = detail.decision !== null || detail.status === 'delivered';
  const current = decided ? detail.steps.length : (CLOCK_STATUSES as readonly string[]).includes(detail.status) ? (detail.currentStep ?? 0) : -1;
  return (
    <Steps
      size="small"
      current={current}
      orientation={screens.md === false ? 'vertical' : 'horizontal'}
      items={detail.steps.map((s) => {
        const task = [...detail.tasks].reverse().find((k) => k.stepIndex === s.index);
        return { title: s.name, content: task?.dueDate ? task.dueDate : undefined };
      })}
    />
  );
}

/** The case's record (办件过程): every action, who took it, when, with its comment and the working days elapsed. */
export function CaseTimeline({ history }: { history: HistoryEntry[] }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  if (history.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      className="case-timeline"
      items={history.map((entry, i) => ({
        key: i,
        color: entry.status === 'denied' || entry.status === 'not_accepted' ? 'red' : entry.status === 'approved' || entry.status === 'delivered' ? 'green' : 'blue',
        content: (
          <div className="timeline-entry">
            <div className="timeline-head">
              <strong>{labels.action(entry.action)}</strong> <StatusTag status={entry.status} />
            </div>
            <div className="timeline-meta">
              <time dateTime={entry.at}>{formatInstant(entry.at)}</time>
              {actorName(entry.actor) && <span> · {actorName(entry.actor)}</span>}
              {entry.elapsedWorkdays !== null && entry.elapsedWorkdays !== undefined && <span> · {t.cases.detail.elapsedAt(entry.elapsedWorkdays)}</span>}
            </div>
            {entry.comment && <Typography.Paragraph className="timeline-comment">{entry.comment}</Typography.Paragraph>}
            {entry.attachments?.length > 0 && (
              <ul className="timeline-files">
                {entry.attachments.map((id, n) => (
                  <li key={id}>
                    <a href={fileLink(id)}>
                      <PaperClipOutlined aria-hidden /> {t.cases.detail.attachment(n + 1)}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ),
      }))}
    />
  );
}

/**
 * Opens a notice's PDF in a new window and asks the browser to print it once it has loaded (the
 * window is ours, same origin, so its load event and print() are ours to use); where the browser
 * shows no PDF viewer, the window simply holds the document to print by hand.
 */
function printNotice(url: string): void {
  const opened = window.open(url, '_blank');
  opened?.addEventListener('load', () => opened.print(), { once: true });
}

/**
 * Notices (文书) with their PDF: opened in a new tab to read. `printable` (the front desk and the
 * back office, who hand notices over on paper) adds a print button and a download link to each.
 */
export function NoticesList({ detail, printable = false }: { detail: CaseDetail; printable?: boolean }) {
  const { t } = useI18n();
  const c = t.cases.detail;
  if (detail.notices.length === 0) return <Typography.Paragraph type="secondary">{c.noNotices}</Typography.Paragraph>;
  return (
    <ul className="notice-list">
      {detail.notices.map((notice) => {
        const name = t.cases.noticeKinds[notice.kind as keyof typeof t.cases.noticeKinds] ?? notice.kind;
        const pdf = noticePdfLink(detail.caseNumber, notice.id);
        return (
          <li key={notice.id}>
            <a href={pdf} target="_blank" rel="noopener noreferrer" aria-label={c.openNotice(name)}>
              <FilePdfOutlined aria-hidden /> {name}
            </a>
            {notice.number && <span className="code-text"> {notice.number}</span>}
            <span className="notice-date"> · {formatInstant(notice.createdAt)}</span>
            {notice.breach && (
              <Tag color="red" icon={<WarningOutlined aria-hidden />} className="notice-breach">
                {c.breach}
              </Tag>
            )}
            {printable && (
              <Space size={4} className="notice-print">
                <Button size="small" icon={<PrinterOutlined aria-hidden />} aria-label={c.printNotice(name)} onClick={() => printNotice(pdf)}>
                  {c.print}
                </Button>
                <Button size="small" type="link" icon={<DownloadOutlined aria-hidden />} href={pdf} download aria-label={c.downloadNotice(name)}>
                  {c.download}
                </Button>
              </Space>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function MaterialFile({ fileId }: { fileId: string }) {
  const meta = useFileMeta(fileId);
  const { t } = useI18n();
  if (!meta) return <a href={fileLink(fileId)}>{t.cases.files.download}</a>;
  return <FileCard file={{ meta }} />;
}

/** The case's materials: the file given (with a preview), the window's verdict, what is owed and by when. */
export function MaterialsList({ detail }: { detail: CaseDetail }) {
  const { t } = useI18n();
  const c = t.cases.detail;
  const screens = Grid.useBreakpoint();
  const source = (m: CaseMaterial): ReactNode => {
    if (m.fileId) return <MaterialFile fileId={m.fileId} />;
    if (m.source === 'shared_data') return c.viaSharing;
    if (m.source === 'paper') return c.paper;
    if (m.source === 'license') return c.viaLicense;
    if (m.source === 'commitment') return c.viaCommitment;
    return m.owed ? '' : c.none;
  };
  const status = (m: CaseMaterial): ReactNode => (
    <>
      <VerdictTag verdict={m.verdict} />
      {m.verdictReason && <div className="verdict-reason">{m.verdictReason}</div>}
      {m.owed && !m.suppliedAt && <Tag color="orange">{c.owedBy(m.owedDue ?? '')}</Tag>}
      {m.suppliedAt && <Tag color="green">{c.suppliedAt(formatInstant(m.suppliedAt))}</Tag>}
    </>
  );
  if (detail.materials.length === 0) return <Typography.Paragraph type="secondary">{c.none}</Typography.Paragraph>;
  if (screens.md === false) {
    return (
      <ol className="case-material-list">
        {detail.materials.map((m) => (
          <li key={m.id}>
            <strong>{m.name}</strong>
            <div>{source(m)}</div>
            <div>{status(m)}</div>
          </li>
        ))}
      </ol>
    );
  }
  return (
    <Table<CaseMaterial>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={detail.materials}
      columns={[
        { title: c.materialName, dataIndex: 'name' },
        { title: c.materialFile, key: 'file', render: (_, m) => source(m) },
        { title: c.materialStatus, key: 'status', render: (_, m) => status(m), width: 220 },
      ]}
    />
  );
}

/**
 * A case as the page shows it: the last answer read, or the newer state an action just returned
 * (the actions route answers with the case after the action), whichever has the higher version.
 */
export function useCaseDetail(caseNumber: string) {
  const state = useApi<CaseDetail>(casePath(caseNumber));
  const [latest, setLatest] = useState<CaseDetail>();
  const fresh = latest && latest.caseNumber === caseNumber && (!state.data || latest.version >= state.data.version);
  return { ...state, data: fresh ? latest : state.data, update: setLatest };
}

/** A panel of what can be done on a case page: a section named by its heading. */
export function CasePanel({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="case-panel">
      <h2 id={`${id}-title`} className="panel-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * A case page's case, with the page titled by `title` once it is there; until then `fallback` is
 * the page to show instead: a skeleton, not found (with the way `back`), or the problem.
 */
export function useCasePage(caseNumber: string, title: (detail: CaseDetail) => string, back: { to: string; label: string }) {
  const { t } = useI18n();
  const detail = useCaseDetail(caseNumber);
  usePageTitle(detail.data ? title(detail.data) : t.cases.detail.title);
  let fallback: ReactNode = null;
  if (detail.loading && !detail.data) {
    fallback = (
      <div className="page">
        <Skeleton active paragraph={{ rows: 12 }} />
      </div>
    );
  } else if (detail.error && !detail.data) {
    const missing = detail.error instanceof ApiError && detail.error.status === 404;
    fallback = (
      <div className="page">
        {missing ? (
          <Result status="404" title={<h1 className="result-title">{t.cases.detail.notFound}</h1>} extra={<Link to={back.to}>{back.label}</Link>} />
        ) : (
          <ProblemAlert error={detail.error} />
        )}
      </div>
    );
  }
  return { ...detail, fallback };
}

/** What a case page works with: the guide of the case's item version, its form's fields, and the actions. */
export function useCaseWork(detail: CaseDetail, reload: () => void, update: (next: CaseDetail) => void) {
  const guide = useApi<Guide>(guidePath(detail.itemCode, detail.itemVersion));
  const { run, busy } = useCaseAction(detail, reload, update);
  const allowed = new Set(detail.allowedActions);
  const fields = guide.data ? formFieldsOf(guide.data.form) : [];
  return { guide, fields, run, busy, allowed };
}

/**
 * Acting on a case: sends the action with the version the page shows, and shows the case as the
 * answer has it. A 409 means someone else acted first: say so and reload, never retry blindly.
 * Other refusals go back to the caller, whose dialog shows them next to its fields.
 */
export function useCaseAction(detail: CaseDetail | undefined, reload: () => void, update: (next: CaseDetail) => void) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  const { message, modal } = App.useApp();
  const problemText = useProblemText();
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (input: Omit<ActionInput, 'version'>): Promise<'done' | 'conflict'> => {
    if (!detail) return 'conflict';
    setBusy(input.action);
    try {
      update(await casesApi.act(detail.caseNumber, { ...input, version: detail.version } as ActionInput));
      message.success(t.cases.actions.done(labels.action(input.action)));
      return 'done';
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        modal.warning({ title: t.cases.actions.conflict, content: problemText(err) });
        reload();
        return 'conflict';
      }
      throw err;
    } finally {
      setBusy(null);
    }
  };
  return { run, busy };
}
