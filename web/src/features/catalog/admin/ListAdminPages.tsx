import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table } from 'antd';
import { CheckOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import type { FieldProblem } from '../../../app/api';
import { useI18n, usePageTitle } from '../../../app/i18n';
import { PageHeading } from '../../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../../app/problems';
import { useSession } from '../../../app/session';
import { useApi } from '../../../app/useApi';
import { catalogApi, type Intermediary, type IntermediaryInput, type List, type ListStatus, type Proof, type ProofInput } from '../api';
import { ADMIN_INTERMEDIARIES_PATH, ADMIN_PROOFS_PATH, formatInstant, ListStatusTag } from './shared';

interface Entry {
  id: string;
  code: string;
  name: string;
  status: ListStatus;
  updatedAt: string;
  updatedBy: string | null;
}

interface FieldSpec {
  name: string;
  label: string;
  long?: boolean;
  optional?: boolean;
  max: number;
}

interface ListConfig<E extends Entry, I> {
  path: string;
  title: string;
  intro: string;
  createLabel: string;
  editLabel(name: string): string;
  fields: FieldSpec[];
  /** Extra table columns after code and name. */
  columns: Array<{ title: string; dataIndex: keyof E & string }>;
  create(input: I): Promise<unknown>;
  update(id: string, input: I): Promise<unknown>;
  publish(id: string): Promise<unknown>;
  withdraw(id: string): Promise<unknown>;
}

/** A city-wide list (retained proofs, intermediary services): propose, change, publish by another person, withdraw. */
function ListAdminPage<E extends Entry, I>({ config }: { config: ListConfig<E, I> }) {
  const { t } = useI18n();
  const p = t.catalog.admin.proofs;
  const problemText = useProblemText();
  const { message, modal } = App.useApp();
  const { me } = useSession();
  const list = useApi<List<E>>(config.path);
  const [editing, setEditing] = useState<E | 'new' | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  usePageTitle(config.title);

  const act = async (entry: E, kind: 'publish' | 'withdraw') => {
    setActionError(null);
    try {
      if (kind === 'publish') {
        await config.publish(entry.id);
        message.success(p.published(entry.name));
      } else {
        await config.withdraw(entry.id);
        message.success(p.withdrawn(entry.name));
      }
      list.reload();
    } catch (err) {
      setActionError(err);
    }
  };

  return (
    <div className="page">
      <PageHeading
        title={config.title}
        intro={config.intro}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
            {config.createLabel}
          </Button>
        }
      />
      {actionError !== null && (
        <div className="editor-alert">
          <ProblemAlert error={actionError} />
        </div>
      )}
      <Card>
        {list.error ? (
          <Alert type="error" showIcon title={problemText(list.error)} />
        ) : (
          <Table<E>
            rowKey="id"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t.catalog.proofs.code, dataIndex: 'code', render: (c: string) => <span className="code-text">{c}</span> },
              { title: t.catalog.proofs.name, dataIndex: 'name' },
              ...config.columns.map((c) => ({ title: c.title, dataIndex: c.dataIndex, render: (v: unknown) => <div className="cell-clamp">{typeof v === 'string' ? v : ''}</div> })),
              { title: p.status, dataIndex: 'status', render: (s: ListStatus) => <ListStatusTag status={s} /> },
              {
                title: t.catalog.admin.item.updated,
                key: 'updated',
                render: (_, e) => `${formatInstant(e.updatedAt)}${e.updatedBy && e.updatedBy === me?.user.id ? t.catalog.admin.item.you : ''}`,
              },
              {
                title: t.common.actions,
                key: 'actions',
                fixed: 'right' as const,
                render: (_, entry) => (
                  <Space size={0} wrap>
                    <Button type="link" icon={<EditOutlined aria-hidden />} disabled={entry.status === 'published'} onClick={() => setEditing(entry)} aria-label={`${t.common.edit} ${entry.name}`}>
                      {t.common.edit}
                    </Button>
                    {entry.status !== 'published' ? (
                      <Button type="link" icon={<CheckOutlined aria-hidden />} onClick={() => act(entry, 'publish')} aria-label={`${p.publish} ${entry.name}`}>
                        {p.publish}
                      </Button>
                    ) : (
                      <Button
                        type="link"
                        danger
                        icon={<StopOutlined aria-hidden />}
                        aria-label={`${p.withdraw} ${entry.name}`}
                        onClick={() =>
                          modal.confirm({
                            title: p.withdraw,
                            content: p.withdrawConfirm(entry.name),
                            okText: p.withdraw,
                            okButtonProps: { danger: true },
                            cancelText: t.common.cancel,
                            onOk: () => act(entry, 'withdraw'),
                          })
                        }
                      >
                        {p.withdraw}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      {editing !== null && (
        <EntryForm<E, I>
          config={config}
          entry={editing === 'new' ? null : editing}
          onClose={(changed) => {
            setEditing(null);
            if (changed) list.reload();
          }}
        />
      )}
    </div>
  );
}

function EntryForm<E extends Entry, I>({ config, entry, onClose }: { config: ListConfig<E, I>; entry: E | null; onClose(changed: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, string>>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Record<string, string | undefined>) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    const input: Record<string, string> = {};
    for (const field of config.fields) {
      const value = values[field.name]?.trim() ?? '';
      if (value !== '' || !field.optional) input[field.name] = value;
    }
    try {
      if (entry) await config.update(entry.id, input as I);
      else await config.create(input as I);
      message.success(t.catalog.admin.proofs.saved);
      onClose(true);
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, config.fields.map((f) => f.name)));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const initial: Record<string, string> = {};
  if (entry) for (const f of config.fields) initial[f.name] = String((entry as unknown as Record<string, unknown>)[f.name] ?? '');

  return (
    <Modal
      open
      width={720}
      title={entry ? config.editLabel(entry.name) : config.createLabel}
      okText={t.common.save}
      cancelText={t.common.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
    >
      <Form form={form} name="list-entry" layout="vertical" onFinish={submit} initialValues={initial}>
        {config.fields.map((f) => (
          <Form.Item key={f.name} name={f.name} label={f.label} rules={f.optional ? [] : [{ required: true, whitespace: true, message: t.common.required(f.label) }]}>
            {f.long ? <Input.TextArea rows={3} maxLength={f.max} /> : <Input maxLength={f.max} className={f.name === 'code' ? 'code-input' : undefined} />}
          </Form.Item>
        ))}
        <ProblemAlert error={error} unmatched={unmatched} />
      </Form>
    </Modal>
  );
}

export function ProofsAdminPage() {
  const { t } = useI18n();
  const p = t.catalog.proofs;
  const a = t.catalog.admin.proofs;
  return (
    <ListAdminPage<Proof, ProofInput>
      config={{
        path: ADMIN_PROOFS_PATH,
        title: a.title,
        intro: a.intro,
        createLabel: a.create,
        editLabel: a.edit,
        fields: [
          { name: 'code', label: p.code, max: 40 },
          { name: 'name', label: p.name, max: 200 },
          { name: 'legalBasis', label: p.legalBasis, long: true, max: 2000 },
          { name: 'requestingUnit', label: p.requestingUnit, max: 200 },
          { name: 'issuingUnit', label: p.issuingUnit, max: 200 },
          { name: 'guide', label: p.guide, long: true, max: 4000 },
        ],
        columns: [
          { title: p.requestingUnit, dataIndex: 'requestingUnit' },
          { title: p.issuingUnit, dataIndex: 'issuingUnit' },
        ],
        create: catalogApi.createProof,
        update: catalogApi.updateProof,
        publish: catalogApi.publishProof,
        withdraw: catalogApi.withdrawProof,
      }}
    />
  );
}

export function IntermediariesAdminPage() {
  const { t } = useI18n();
  const m = t.catalog.intermediaries;
  const a = t.catalog.admin.intermediaries;
  return (
    <ListAdminPage<Intermediary, IntermediaryInput>
      config={{
        path: ADMIN_INTERMEDIARIES_PATH,
        title: a.title,
        intro: a.intro,
        createLabel: a.create,
        editLabel: a.edit,
        fields: [
          { name: 'code', label: m.code, max: 40 },
          { name: 'name', label: m.name, max: 200 },
          { name: 'legalBasis', label: m.legalBasis, long: true, max: 2000 },
          { name: 'feeStandard', label: m.feeStandard, long: true, max: 1000 },
          { name: 'providerRequirements', label: m.providerRequirements, long: true, optional: true, max: 2000 },
        ],
        columns: [{ title: m.feeStandard, dataIndex: 'feeStandard' }],
        create: catalogApi.createIntermediary,
        update: catalogApi.updateIntermediary,
        publish: catalogApi.publishIntermediary,
        withdraw: catalogApi.withdrawIntermediary,
      }}
    />
  );
}
