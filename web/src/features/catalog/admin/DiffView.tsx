import { useState } from 'react';
import { Alert, Select, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../../app/i18n';
import { useProblemText } from '../../../app/problems';
import { useApi } from '../../../app/useApi';
import { ADMIN_ITEMS_PATH, type DiffChange, type ItemContent, type VersionMeta } from '../api';
import { toNamePath } from './shared';

/** The version a reviewer compares with by default: the newest published (or superseded) one before `to`. */
export function defaultBase(versions: readonly VersionMeta[], to: number): number | undefined {
  return versions
    .filter((v) => v.version !== to && (v.status === 'published' || v.status === 'superseded') && v.version < to)
    .sort((a, b) => b.version - a.version)[0]?.version;
}

function display(value: unknown, empty: string): string {
  if (value === undefined || value === null || value === '') return empty;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** Changes between two versions as a table of where / before / after; the base defaults to the previous published version. */
export function DiffView({ code, versions, to }: { code: string; versions: readonly VersionMeta[]; to: number }) {
  const { t } = useI18n();
  const r = t.catalog.admin.review;
  const e = t.catalog.admin.editor;
  const problemText = useProblemText();
  const [from, setFrom] = useState<number | undefined>(() => defaultBase(versions, to));
  const diff = useApi<{ from: number; to: number; changes: DiffChange[] }>(from === undefined ? null : `${ADMIN_ITEMS_PATH}/${encodeURIComponent(code)}/diff`, { from, to });

  // Names of the elements, so a path reads "承诺办结时限 promisedDays" rather than a bare key.
  const elementNames: Partial<Record<keyof ItemContent, string>> = {
    name: e.name,
    type: e.type,
    implementerNature: e.implementerNature,
    serviceObjects: e.serviceObjects,
    subItems: e.subItems,
    handlingItems: e.handlingItems,
    legalBasis: e.legalBasis,
    acceptanceConditions: e.tabs.conditions,
    procedure: e.tabs.procedure,
    legalDays: e.legalDays,
    promisedDays: e.promisedDays,
    caseKind: e.caseKind,
    fees: e.tabs.fees,
    materials: e.tabs.materials,
    form: e.tabs.form,
    results: e.tabs.results,
    hallIds: e.halls,
    handlingForms: e.handlingForms,
    handling: e.fourWays,
    onlineDepth: e.onlineDepth,
    visitsRequired: e.visitsRequired,
    appointment: e.appointment,
    expressDelivery: e.expressDelivery,
    onlinePayment: e.onlinePayment,
    intermediaryServiceIds: e.intermediaryServices,
    specialProcedures: e.tabs.special,
    enquiryPhone: e.enquiryPhone,
    complaintPhone: e.complaintPhone,
    keywords: e.keywords,
    themes: e.themes,
    faq: e.tabs.faq,
  };
  const where = (path: string) => {
    const first = toNamePath(path)[0];
    const label = typeof first === 'string' ? elementNames[first as keyof ItemContent] : undefined;
    return (
      <>
        {label && <div className="diff-element">{label}</div>}
        <code className="diff-path">{path}</code>
      </>
    );
  };

  const options = versions
    .filter((v) => v.version !== to)
    .sort((a, b) => b.version - a.version)
    .map((v) => ({ value: v.version, label: `${t.catalog.admin.list.versionN(v.version)} · ${t.catalog.admin.status[v.status]}` }));

  return (
    <section aria-labelledby="diff-title" className="diff">
      <div className="toolbar">
        <Typography.Title level={3} id="diff-title" className="table-title">
          {r.diff}
        </Typography.Title>
        {options.length > 0 && (
          <>
            <label htmlFor="diff-from">{r.compareWith}</label>
            <Select id="diff-from" value={from} onChange={(v: number) => setFrom(v)} options={options} style={{ minWidth: 200 }} />
          </>
        )}
        {diff.data && <Typography.Text type="secondary" role="status">{r.changes(diff.data.changes.length)}</Typography.Text>}
      </div>
      {from === undefined ? (
        <Alert type="info" showIcon title={r.noPrevious} />
      ) : diff.error ? (
        <Alert type="error" showIcon title={problemText(diff.error)} />
      ) : (
        <Table<DiffChange>
          rowKey={(c) => `${c.kind}:${c.path}`}
          size="small"
          loading={diff.loading}
          dataSource={diff.data?.changes ?? []}
          pagination={false}
          locale={{ emptyText: r.noChanges }}
          scroll={{ x: 720 }}
          className="diff-table"
          columns={[
            {
              title: r.path,
              dataIndex: 'path',
              width: '28%',
              render: (path: string, c) => (
                <>
                  {where(path)}
                  {c.kind !== 'changed' && <Tag color={c.kind === 'added' ? 'green' : 'red'}>{c.kind === 'added' ? r.added : r.removed}</Tag>}
                </>
              ),
            },
            { title: r.before, dataIndex: 'before', render: (v: unknown) => <pre className="diff-value diff-before">{display(v, r.valueEmpty)}</pre> },
            { title: r.after, dataIndex: 'after', render: (v: unknown) => <pre className="diff-value diff-after">{display(v, r.valueEmpty)}</pre> },
          ]}
        />
      )}
    </section>
  );
}
