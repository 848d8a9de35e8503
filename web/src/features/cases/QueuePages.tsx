import { useState } from 'react';
import { Input, Radio, Tabs, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useI18n, usePageTitle } from '../../app/i18n';
import type { Dictionary } from '../../app/i18n/zh';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { CursorTable } from '../catalog/CursorTable';
import { useCursorList } from '../catalog/useCursorList';
import { CASES_PATH, FRONT_DESK_QUEUE_PATH, TASKS_PATH, type CaseSummary, type QueueTask } from './api';
import { formatInstant } from './format';
import { StatusTag } from './codes';
import './cases.css';

const enc = encodeURIComponent;

/** The case number, a link to the case under `base` (the desk's own case page). */
function caseNumberColumn<T extends { caseNumber: string; itemName: string }>(base: string, t: Dictionary): TableColumnsType<T>[number] {
  return {
    title: t.cases.detail.caseNumber,
    dataIndex: 'caseNumber',
    render: (n: string, row) => (
      <Link to={`${base}/${enc(n)}`} aria-label={t.cases.queue.openCase(row.itemName, n)} className="code-text">
        {n}
      </Link>
    ),
  };
}

function CaseTable({ path, query, caption }: { path: string; query: Record<string, string | boolean>; caption: string }) {
  const { t } = useI18n();
  const c = t.cases.detail;
  const list = useCursorList<CaseSummary>(path, query);
  const columns: TableColumnsType<CaseSummary> = [
    caseNumberColumn<CaseSummary>('/workbench/front-desk/cases', t),
    { title: c.item, dataIndex: 'itemName' },
    { title: c.applicant, dataIndex: 'applicantName' },
    { title: c.channel, dataIndex: 'channel', render: (ch: string) => t.cases.channels[ch as keyof typeof t.cases.channels] ?? ch },
    { title: c.status, dataIndex: 'status', render: (s: CaseSummary['status']) => <StatusTag status={s} /> },
    { title: c.submittedAt, dataIndex: 'submittedAt', render: (v: string) => formatInstant(v) },
    { title: c.department, dataIndex: 'departmentName' },
  ];
  return <CursorTable list={list} columns={columns} rowKey="caseNumber" caption={caption} empty={t.cases.queue.empty} />;
}

type DeskTab = 'submitted' | 'correction_requested' | 'delivery' | 'search';
const DESK_TABS: readonly DeskTab[] = ['submitted', 'correction_requested', 'delivery', 'search'];

/** The comprehensive window's desk (前台综合受理): cases waiting for it in its region, oldest first. */
export function FrontDeskPage() {
  const { t } = useI18n();
  const f = t.cases.frontDesk;
  usePageTitle(f.title);
  const [search, setSearch] = useSearchParams();
  const tab = (DESK_TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as DeskTab) : 'submitted';
  const [decided, setDecided] = useState<'approved' | 'denied'>('approved');
  const [q, setQ] = useState(search.get('q') ?? '');
  const query = search.get('q') ?? '';

  return (
    <div className="page page-wide">
      <PageHeading
        title={f.title}
        intro={f.intro}
        extra={
          <LinkButton type="primary" icon={<PlusOutlined aria-hidden />} to="/workbench/front-desk/new">
            {f.walkIn}
          </LinkButton>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch(key === 'submitted' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'submitted', label: f.tabSubmitted, children: <CaseTable path={FRONT_DESK_QUEUE_PATH} query={{ status: 'submitted' }} caption={f.tabSubmitted} /> },
          {
            key: 'correction_requested',
            label: f.tabCorrection,
            children: <CaseTable path={FRONT_DESK_QUEUE_PATH} query={{ status: 'correction_requested' }} caption={f.tabCorrection} />,
          },
          {
            key: 'delivery',
            label: f.tabDelivery,
            children: (
              <>
                <Radio.Group
                  className="toolbar"
                  optionType="button"
                  aria-label={f.decisionFilter}
                  value={decided}
                  onChange={(e) => setDecided(e.target.value as 'approved' | 'denied')}
                  options={[
                    { value: 'approved', label: t.cases.statusShort.approved },
                    { value: 'denied', label: t.cases.statusShort.denied },
                  ]}
                />
                <CaseTable path={CASES_PATH} query={{ status: decided }} caption={f.tabDelivery} />
              </>
            ),
          },
          {
            key: 'search',
            label: f.tabSearch,
            children: (
              <>
                <div role="search" className="toolbar">
                  <label htmlFor="case-search" className="visually-hidden">
                    {f.searchLabel}
                  </label>
                  <Input.Search
                    id="case-search"
                    value={q}
                    onChange={(e) => setQ(e.target.value)}
                    onSearch={(value) => setSearch(value.trim() ? { tab: 'search', q: value.trim() } : { tab: 'search' }, { replace: true })}
                    placeholder={f.searchPlaceholder}
                    enterButton={f.search}
                    maxLength={64}
                    className="case-search"
                  />
                </div>
                {query ? <CaseTable path={CASES_PATH} query={{ q: query }} caption={f.tabSearch} /> : null}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}

/** The approver's queues (后台分类审批): my tasks and the team's, overdue first. */
export function TasksPage() {
  const { t } = useI18n();
  const k = t.cases.tasks;
  const c = t.cases.detail;
  usePageTitle(k.title);
  const [search, setSearch] = useSearchParams();
  const queue = search.get('queue') === 'team' ? 'team' : 'mine';
  const list = useCursorList<QueueTask>(TASKS_PATH, { queue });
  const columns: TableColumnsType<QueueTask> = [
    caseNumberColumn<QueueTask>('/workbench/tasks/cases', t),
    { title: c.item, dataIndex: 'itemName' },
    { title: k.step, dataIndex: 'stepName' },
    {
      title: k.due,
      dataIndex: 'dueDate',
      render: (due: string, row) => (
        <span>
          {due} {row.overdue && <Tag color="red">{c.overdue}</Tag>}
        </span>
      ),
    },
    { title: k.caseDeadline, dataIndex: 'caseDeadline', render: (d: string | null) => d ?? '' },
    { title: c.applicant, dataIndex: 'applicantName' },
    { title: k.assignee, dataIndex: 'assignee', render: (a: QueueTask['assignee']) => a?.name ?? k.unassigned },
    { title: k.priority, dataIndex: 'priority', render: (p: number) => (p > 0 ? <Tag color="green">{k.greenChannel}</Tag> : '') },
  ];
  const table = (caption: string) => (
    <CursorTable
      list={list}
      columns={columns}
      rowKey="taskId"
      caption={caption}
      empty={queue === 'mine' ? k.emptyMine : k.emptyTeam}
      rowClassName={(row) => (row.overdue ? 'row-overdue' : '')}
    />
  );
  return (
    <div className="page page-wide">
      <PageHeading title={k.title} intro={k.intro} />
      <Tabs
        activeKey={queue}
        onChange={(key) => setSearch(key === 'team' ? { queue: 'team' } : {}, { replace: true })}
        items={[
          { key: 'mine', label: k.mine, children: queue === 'mine' ? table(k.mine) : null },
          { key: 'team', label: k.team, children: queue === 'team' ? table(k.team) : null },
        ]}
      />
    </div>
  );
}
