import { useState } from 'react';
import { Alert, App, Button, Empty, Form, Input, Modal, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { formatInstant } from '../cases/format';
import { CREDENTIALS_PATH, sharingApi, type Credential, type CredentialIssued } from './api';
import './sharing.css';

/** Gateway credentials of our department's systems: issue (the token shown once), revoke. */
export function CredentialsPage() {
  const { t } = useI18n();
  const k = t.sharing.credentials;
  usePageTitle(k.title);
  const { message, modal } = App.useApp();
  const problemText = useProblemText();
  const list = useApi<{ items: Credential[] }>(CREDENTIALS_PATH);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<CredentialIssued | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const create = async () => {
    let values: { name: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSending(true);
    setError(null);
    try {
      const result = await sharingApi.issueCredential(values.name.trim());
      setCreating(false);
      setIssued(result);
      list.reload();
    } catch (err) {
      applyFieldErrors(form, err, ['name']);
      setError(err);
    } finally {
      setSending(false);
    }
  };

  const revoke = (row: Credential) => {
    modal.confirm({
      title: k.revokeOf(row.name),
      content: k.revokeConfirm(row.name),
      okText: k.revoke,
      okButtonProps: { danger: true },
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          await sharingApi.revokeCredential(row.id);
          message.success(k.revoked);
          list.reload();
        } catch (err) {
          message.error(problemText(err));
        }
      },
    });
  };

  const copy = async (token: string) => {
    try {
      await navigator.clipboard.writeText(token);
      message.success(k.copied);
    } catch {
      message.error(k.copyFailed);
    }
  };

  const columns: TableColumnsType<Credential> = [
    { title: k.name, dataIndex: 'name' },
    { title: k.createdAt, dataIndex: 'createdAt', render: (v: string) => formatInstant(v) },
    { title: t.sharing.common.status, dataIndex: 'revokedAt', render: (v: string | null) => (v ? <Tag color="red">{k.revokedTag}</Tag> : <Tag color="green">{k.active}</Tag>) },
    { title: k.revokedAt, dataIndex: 'revokedAt', render: (v: string | null) => formatInstant(v) },
    {
      title: t.common.actions,
      key: 'actions',
      render: (_, row) =>
        row.revokedAt ? null : (
          <Button danger onClick={() => revoke(row)} aria-label={k.revokeOf(row.name)}>
            {k.revoke}
          </Button>
        ),
    },
  ];

  return (
    <div className="page page-wide">
      <PageHeading
        title={k.title}
        intro={k.intro}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {k.create}
          </Button>
        }
      />
      {list.error !== null && <ProblemAlert error={list.error} />}
      <Table<Credential>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        title={() => <span className="visually-hidden">{k.title}</span>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={k.empty} /> }}
      />
      <Modal open={creating} title={k.create} okText={k.create} cancelText={t.common.cancel} onOk={create} onCancel={() => setCreating(false)} confirmLoading={sending} destroyOnHidden mask={{ closable: false }}>
        <Form form={form} name="sharing-credential" layout="vertical" preserve={false}>
          <Form.Item name="name" label={k.name} extra={k.nameHelp} rules={[{ required: true, whitespace: true, message: t.common.required(k.name) }]}>
            <Input maxLength={100} />
          </Form.Item>
          <div className="form-alert">
            <ProblemAlert error={error} />
          </div>
        </Form>
      </Modal>
      <Modal
        open={issued !== null}
        title={k.issuedTitle}
        onCancel={() => setIssued(null)}
        footer={
          <Button type="primary" onClick={() => setIssued(null)}>
            {t.sharing.common.close}
          </Button>
        }
        mask={{ closable: false }}
        destroyOnHidden
      >
        {issued && (
          <>
            <Alert type="warning" showIcon title={k.tokenOnce} />
            <p className="review-subtitle">
              {k.tokenLabel}（{issued.client.name}）
            </p>
            <Typography.Paragraph className="token-box">
              <code data-testid="issued-token">{issued.token}</code>
            </Typography.Paragraph>
            <Button onClick={() => void copy(issued.token)}>{k.copy}</Button>
          </>
        )}
      </Modal>
    </div>
  );
}
