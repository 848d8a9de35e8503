import { useState } from 'react';
import { App, Button, Select, Tabs, type TableColumnsType } from 'antd';
import { useSearchParams } from 'react-router';
import { REQUEST_STATUSES } from '@server/shared/sharing-codes';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { CursorTable } from '../catalog/CursorTable';
import { useCursorList } from '../catalog/useCursorList';
import { formatInstant } from '../cases/format';
import { REQUESTS_PATH, type AccessRequest } from './api';
import { RequestStatusTag, useFieldLabels, useSharingLabels } from './codes';
import { DecisionDialog } from './DecisionDialog';
import './sharing.css';

type Side = 'incoming' | 'outgoing';

function RequestTable({ side }: { side: Side }) {
  const { t } = useI18n();
  const r = t.sharing.requests;
  const s = t.sharing.common;
  const { message } = App.useApp();
  const labels = useSharingLabels();
  const fieldLabels = useFieldLabels();
  const [status, setStatus] = useState<string | undefined>(side === 'incoming' ? 'pending' : undefined);
  const list = useCursorList<AccessRequest>(REQUESTS_PATH, { side, ...(status ? { status } : {}) });
  const [deciding, setDeciding] = useState<AccessRequest | null>(null);

  const columns: TableColumnsType<AccessRequest> = [
    { title: s.resource, dataIndex: 'resourceName' },
    side === 'incoming' ? { title: s.consumer, dataIndex: 'consumerDepartmentName' } : { title: s.provider, dataIndex: 'providerDepartmentName' },
    { title: s.purpose, dataIndex: 'purpose', className: 'wrap-cell' },
    { title: s.fields, dataIndex: 'fields', render: (f: string[], row) => fieldLabels(row.resourceId, f) },
    { title: s.items, dataIndex: 'itemCodes', render: (codes: string[]) => (codes.length > 0 ? codes.join(', ') : s.allItems) },
    { title: s.status, dataIndex: 'status', render: (v: AccessRequest['status']) => <RequestStatusTag value={v} /> },
    { title: s.createdAt, dataIndex: 'createdAt', render: (v: string) => formatInstant(v) },
    { title: r.decisionNote, dataIndex: 'decisionNote', render: (v: string | null) => v ?? '' },
    ...(side === 'incoming'
      ? [
          {
            title: t.common.actions,
            key: 'actions',
            render: (_: unknown, row: AccessRequest) =>
              row.status === 'pending' ? (
                <Button onClick={() => setDeciding(row)} aria-label={r.decideOf(row.resourceName, row.consumerDepartmentName)}>
                  {r.decide}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <div className="toolbar sharing-toolbar">
        <Select
          aria-label={r.filterStatus}
          allowClear
          placeholder={s.all}
          value={status}
          onChange={(v?: string) => setStatus(v)}
          options={REQUEST_STATUSES.map((v) => ({ value: v, label: labels.requestStatus(v) }))}
          className="sharing-filter"
        />
      </div>
      <CursorTable<AccessRequest> list={list} columns={columns} rowKey="id" caption={side === 'incoming' ? r.incoming : r.outgoing} empty={s.empty} />
      {deciding && (
        <DecisionDialog
          request={deciding}
          onClose={() => setDeciding(null)}
          onDecided={() => {
            message.success(r.decided);
            list.reload();
          }}
        />
      )}
    </>
  );
}

/** Access requests: those for our resources (to review) and ours to other departments. */
export function RequestsPage() {
  const { t } = useI18n();
  const r = t.sharing.requests;
  usePageTitle(r.title);
  const [search, setSearch] = useSearchParams();
  const side: Side = search.get('side') === 'outgoing' ? 'outgoing' : 'incoming';
  return (
    <div className="page page-wide">
      <PageHeading title={r.title} intro={r.intro} />
      <Tabs
        activeKey={side}
        onChange={(key) => setSearch(key === 'outgoing' ? { side: 'outgoing' } : {}, { replace: true })}
        items={[
          { key: 'incoming', label: r.incoming, children: side === 'incoming' ? <RequestTable side="incoming" /> : null },
          { key: 'outgoing', label: r.outgoing, children: side === 'outgoing' ? <RequestTable side="outgoing" /> : null },
        ]}
      />
    </div>
  );
}
