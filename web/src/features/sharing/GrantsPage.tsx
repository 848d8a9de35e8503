import { useState } from 'react';
import { App, Button, Checkbox, Form, Input, Modal, Tabs, type TableColumnsType } from 'antd';
import { useSearchParams } from 'react-router';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import { CursorTable } from '../catalog/CursorTable';
import { useCursorList } from '../catalog/useCursorList';
import { formatInstant } from '../cases/format';
import { GRANTS_PATH, sharingApi, type Grant } from './api';
import { GrantStateTag, useFieldLabels } from './codes';
import './sharing.css';

type Side = 'provider' | 'consumer';

function RevokeDialog({ grant, onClose, onRevoked }: { grant: Grant; onClose(): void; onRevoked(): void }) {
  const { t } = useI18n();
  const g = t.sharing.grants;
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = async () => {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSending(true);
    setError(null);
    try {
      await sharingApi.revokeGrant(grant.id, values.reason.trim());
      onRevoked();
      onClose();
    } catch (err) {
      applyFieldErrors(form, err, ['reason']);
      setError(err);
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal open title={g.revokeTitle} okText={g.revoke} okButtonProps={{ danger: true }} cancelText={t.common.cancel} onOk={submit} onCancel={onClose} confirmLoading={sending} destroyOnHidden mask={{ closable: false }}>
      <p>{g.revokeOf(grant.resourceName, grant.consumerDepartmentName)}</p>
      <Form form={form} name="sharing-revoke" layout="vertical">
        <Form.Item name="reason" label={g.revokeReason} rules={[{ required: true, whitespace: true, message: t.common.required(g.revokeReason) }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <div className="form-alert">
          <ProblemAlert error={error} />
        </div>
      </Form>
    </Modal>
  );
}

function GrantTable({ side }: { side: Side }) {
  const { t } = useI18n();
  const g = t.sharing.grants;
  const s = t.sharing.common;
  const { message } = App.useApp();
  const fieldLabels = useFieldLabels();
  const [live, setLive] = useState(true);
  const list = useCursorList<Grant>(GRANTS_PATH, { side, ...(live ? { live: true } : {}) });
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const columns: TableColumnsType<Grant> = [
    { title: s.resource, dataIndex: 'resourceName' },
    side === 'provider' ? { title: s.consumer, dataIndex: 'consumerDepartmentName' } : { title: s.provider, dataIndex: 'providerDepartmentName' },
    { title: s.fields, dataIndex: 'fields', render: (f: string[], row) => fieldLabels(row.resourceId, f) },
    { title: s.purpose, dataIndex: 'purpose', className: 'wrap-cell' },
    { title: s.items, dataIndex: 'itemCodes', render: (codes: string[]) => (codes.length > 0 ? codes.join(', ') : s.allItems) },
    { title: g.grantedAt, dataIndex: 'grantedAt', render: (v: string) => formatInstant(v) },
    { title: s.expiresAt, dataIndex: 'expiresAt', render: (v: string) => formatInstant(v) },
    { title: g.state, dataIndex: 'state', render: (v: Grant['state'], row) => <span title={row.revokeReason ?? undefined}><GrantStateTag value={v} /></span> },
    ...(side === 'provider'
      ? [
          {
            title: t.common.actions,
            key: 'actions',
            render: (_: unknown, row: Grant) =>
              row.state === 'active' ? (
                <Button danger onClick={() => setRevoking(row)} aria-label={g.revokeOf(row.resourceName, row.consumerDepartmentName)}>
                  {g.revoke}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <>
      <div className="toolbar sharing-toolbar">
        <Checkbox checked={live} onChange={(e) => setLive(e.target.checked)}>
          {g.liveOnly}
        </Checkbox>
      </div>
      <CursorTable<Grant> list={list} columns={columns} rowKey="id" caption={side === 'provider' ? g.provider : g.consumer} empty={s.empty} />
      {revoking && (
        <RevokeDialog
          grant={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            message.success(g.revoked);
            list.reload();
          }}
        />
      )}
    </>
  );
}

/** Grants: of our resources to other departments (revocable here), and those we hold. */
export function GrantsPage() {
  const { t } = useI18n();
  const g = t.sharing.grants;
  usePageTitle(g.title);
  const [search, setSearch] = useSearchParams();
  const side: Side = search.get('side') === 'consumer' ? 'consumer' : 'provider';
  return (
    <div className="page page-wide">
      <PageHeading title={g.title} intro={g.intro} />
      <Tabs
        activeKey={side}
        onChange={(key) => setSearch(key === 'consumer' ? { side: 'consumer' } : {}, { replace: true })}
        items={[
          { key: 'provider', label: g.provider, children: side === 'provider' ? <GrantTable side="provider" /> : null },
          { key: 'consumer', label: g.consumer, children: side === 'consumer' ? <GrantTable side="consumer" /> : null },
        ]}
      />
    </div>
  );
}
