import { useEffect, useState } from 'react';
import { App, Alert, Button, Empty, Skeleton, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useI18n, usePageTitle } from '../../app/i18n';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { ProblemAlert, useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { api } from '../../app/api';
import { guidePath, type Guide } from '../catalog/api';
import { useCursorList } from '../catalog/useCursorList';
import { casesApi, CASES_PATH, DRAFTS_PATH, type CaseSummary, type Draft } from './api';
import { formatInstant } from './format';
import { StatusTag } from './codes';
import './cases.css';
import { LoadMore } from '../catalog/CursorTable';

type TabKey = 'cases' | 'drafts';

/** 我的办件: the applicant's cases (newest first) and their unfinished drafts. */
export function MyCasesPage() {
  const { t } = useI18n();
  const m = t.cases.mine;
  usePageTitle(m.title);
  const [search, setSearch] = useSearchParams();
  const tab: TabKey = search.get('tab') === 'drafts' ? 'drafts' : 'cases';
  return (
    <div className="page">
      <PageHeading title={m.title} intro={m.intro} extra={<LinkButton to="/items">{m.findItem}</LinkButton>} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch(key === 'drafts' ? { tab: 'drafts' } : {}, { replace: true })}
        items={[
          { key: 'cases', label: m.cases, children: <CaseList /> },
          { key: 'drafts', label: m.drafts, children: <DraftList /> },
        ]}
      />
    </div>
  );
}

function CaseList() {
  const { t } = useI18n();
  const m = t.cases.mine;
  const list = useCursorList<CaseSummary>(CASES_PATH, { mine: true });
  if (list.loading) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (list.error && list.items.length === 0) return <ProblemAlert error={list.error} />;
  if (list.items.length === 0) return <Empty description={m.empty} />;
  return (
    <>
      <ul className="case-list" aria-label={m.cases}>
        {list.items.map((c) => (
          <li key={c.caseNumber} className="case-row">
            <div className="case-row-main">
              <h2 className="case-row-title">
                <Link to={`/me/cases/${encodeURIComponent(c.caseNumber)}`}>{c.itemName}</Link>
              </h2>
              <div className="case-row-meta">
                <span className="code-text">{c.caseNumber}</span>
                <span>{c.departmentName}</span>
              </div>
            </div>
            <dl className="case-row-facts">
              <div>
                <dt>{t.cases.detail.status}</dt>
                <dd>
                  <StatusTag status={c.status} />
                  {c.overdue && <Tag color="red">{t.cases.detail.overdue}</Tag>}
                </dd>
              </div>
              <div>
                <dt>{t.cases.detail.submittedAt}</dt>
                <dd>{formatInstant(c.submittedAt)}</dd>
              </div>
              <div>
                <dt>{t.cases.detail.deadline}</dt>
                <dd>{c.deadline ?? t.cases.detail.notYet}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
      {list.error !== null && <ProblemAlert error={list.error} />}
      <LoadMore list={list} />
    </>
  );
}

/** Item names for drafts (a draft records the item's code only), from the public guides. */
function useItemNames(codes: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(codes)].sort().join(',');
  useEffect(() => {
    if (!key) return;
    let live = true;
    for (const code of key.split(',')) {
      api
        .get<Guide>(guidePath(code))
        .then((guide) => {
          if (live) setNames((all) => ({ ...all, [code]: guide.name }));
        })
        // An item withdrawn since the draft was saved keeps showing its code.
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

function DraftList() {
  const { t } = useI18n();
  const m = t.cases.mine;
  const { message, modal } = App.useApp();
  const problemText = useProblemText();
  const drafts = useApi<{ items: Draft[] }>(DRAFTS_PATH);
  const names = useItemNames((drafts.data?.items ?? []).map((d) => d.itemCode));
  if (drafts.loading && !drafts.data) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (drafts.error) return <ProblemAlert error={drafts.error} />;
  const items = (drafts.data?.items ?? []).map((d) => ({ ...d, itemName: d.itemName ?? names[d.itemCode] }));
  if (items.length === 0) return <Empty description={m.noDrafts} />;

  const remove = (draft: Draft) =>
    modal.confirm({
      title: m.deleteDraftTitle,
      content: draft.itemName ?? draft.itemCode,
      okText: m.deleteDraft,
      okButtonProps: { danger: true },
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          await casesApi.deleteDraft(draft.id);
          message.success(m.draftDeleted);
          drafts.reload();
        } catch (err) {
          message.error(problemText(err));
        }
      },
    });

  return (
    <>
      <Alert type="info" showIcon title={m.draftsNote} className="apply-alert" />
      <ul className="case-list" aria-label={m.drafts}>
        {items.map((d) => (
          <li key={d.id} className="case-row">
            <div className="case-row-main">
              <h2 className="case-row-title">{d.itemName ?? d.itemCode}</h2>
              <Typography.Text type="secondary">{m.savedAt(formatInstant(d.updatedAt))}</Typography.Text>
            </div>
            <div className="case-row-actions">
              <LinkButton type="primary" to={`/apply/${encodeURIComponent(d.itemCode)}?draft=${encodeURIComponent(d.id)}`} aria-label={m.resumeNamed(d.itemName ?? d.itemCode)}>
                {m.resume}
              </LinkButton>
              <Button danger icon={<DeleteOutlined aria-hidden />} onClick={() => remove(d)} aria-label={m.deleteNamed(d.itemName ?? d.itemCode)}>
                {m.deleteDraft}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
