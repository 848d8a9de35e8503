import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Space, Table, Tag } from 'antd';
import { api } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { rulesLabels } from '../rules/labels';

/*
 * 告知承诺 verification tasks of the signed-in staff member's department (/workbench/verifications):
 * soonest due first; each is marked confirmed, or found false with the finding (the server then
 * revokes the decision and its e-licenses and black-lists the signers).
 */

interface OpenVerification {
  caseNumber: string;
  itemName: string;
  applicantName: string;
  dueDate: string;
  openedAt: string;
}

/** Today in Asia/Shanghai, as the due dates are. */
function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

export function VerificationsPage() {
  const { lang } = useI18n();
  const l = rulesLabels(lang);
  usePageTitle(l.verifications);
  const { message } = App.useApp();
  const open = useApi<{ items: OpenVerification[] }>('/api/v1/verifications');
  const [deciding, setDeciding] = useState<{ row: OpenVerification; outcome: 'confirmed' | 'false' } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const today = shanghaiToday();

  const record = async (values: { finding: string }) => {
    setError(null);
    try {
      await api.post(`/api/v1/cases/${encodeURIComponent(deciding!.row.caseNumber)}/commitment-verification`, { outcome: deciding!.outcome, finding: values.finding });
      void message.success(l.recorded);
      setDeciding(null);
      open.reload();
    } catch (err) {
      setError(err);
    }
  };
  const start = (row: OpenVerification, outcome: 'confirmed' | 'false') => {
    setError(null);
    setDeciding({ row, outcome });
  };

  const columns = [
    { title: l.caseNumber, render: (_: unknown, v: OpenVerification) => <span className="code-text">{v.caseNumber}</span> },
    { title: l.itemName, dataIndex: 'itemName' },
    { title: l.applicant, dataIndex: 'applicantName' },
    { title: l.dueDate, render: (_: unknown, v: OpenVerification) => <>{v.dueDate}{v.dueDate < today ? <> <Tag color="red">{l.overdue}</Tag></> : null}</> },
    {
      title: '',
      render: (_: unknown, v: OpenVerification) => (
        <Space>
          <Button size="small" onClick={() => start(v, 'confirmed')} aria-label={`${l.confirm}：${v.caseNumber}`}>{l.confirm}</Button>
          <Button size="small" danger onClick={() => start(v, 'false')} aria-label={`${l.markFalse}：${v.caseNumber}`}>{l.markFalse}</Button>
        </Space>
      ),
    },
  ];

  return (
    <div className="page">
      <PageHeading title={l.verifications} intro={l.verificationsIntro} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ProblemAlert error={open.error} />
        <Card>
          <Table rowKey="caseNumber" size="small" scroll={{ x: true }} loading={open.loading} dataSource={open.data?.items ?? []} columns={columns} pagination={false} locale={{ emptyText: <Empty description={l.noVerifications} /> }} />
        </Card>
      </Space>
      <Modal
        open={deciding !== null}
        title={deciding ? (deciding.outcome === 'false' ? l.falseTitle(deciding.row.caseNumber) : l.confirmTitle(deciding.row.caseNumber)) : ''}
        onCancel={() => setDeciding(null)}
        destroyOnHidden
        footer={null}
      >
        {deciding?.outcome === 'false' ? <Alert type="warning" showIcon message={l.falseWarning} style={{ marginBottom: 16 }} /> : null}
        <Form layout="vertical" onFinish={record}>
          <Form.Item name="finding" label={l.finding} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={4} maxLength={4000} /></Form.Item>
          <ProblemAlert error={error} />
          <Button type="primary" danger={deciding?.outcome === 'false'} htmlType="submit">{deciding?.outcome === 'false' ? l.markFalse : l.confirm}</Button>
        </Form>
      </Modal>
    </div>
  );
}
