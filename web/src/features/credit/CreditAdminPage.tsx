import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Radio, Select, Space, Table, Tabs, Tag } from 'antd';
import type { Static } from 'typebox';
import type { CreditAppeal as AppealSchema, CreditEntry as EntrySchema } from '@server/modules/credit/schemas';
import { api } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { rulesLabels } from '../rules/labels';

/*
 * 信用名单 administration (inspector, supervisor, system admin): the city-wide black and red lists
 * with source, period and removal (信用修复), entries added by the department, and appeals.
 */

type Entry = Static<typeof EntrySchema>;
type Appeal = Static<typeof AppealSchema>;

export function CreditAdminPage() {
  const { lang } = useI18n();
  const l = rulesLabels(lang);
  usePageTitle(l.credit);
  const { message } = App.useApp();
  const [list, setList] = useState<'black' | 'red'>('black');
  const entries = useApi<{ items: Entry[] }>('/api/v1/admin/credit/entries', { list, limit: 100 });
  const appeals = useApi<{ items: Appeal[] }>('/api/v1/admin/credit/appeals', { status: 'pending' });
  const [error, setError] = useState<unknown>(null);
  const [removing, setRemoving] = useState<Entry | null>(null);
  const [deciding, setDeciding] = useState<Appeal | null>(null);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();

  const act = async (op: () => Promise<unknown>) => {
    setError(null);
    try {
      await op();
      void message.success('OK');
      entries.reload();
      appeals.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };

  const columns = [
    { title: l.subject, render: (_: unknown, e: Entry) => <>{e.subjectName}<br /><span className="code-text">{e.subjectIdentifier}</span></> },
    { title: l.reason, dataIndex: 'reason' },
    { title: l.legalBasis, dataIndex: 'legalBasis' },
    { title: l.sourceLabel, render: (_: unknown, e: Entry) => <>{l.sourcesCredit[e.source]}{e.sourceRef ? <><br /><span className="code-text">{e.sourceRef}</span></> : null}</> },
    { title: l.period, render: (_: unknown, e: Entry) => `${e.validFrom} ~ ${e.validUntil ?? '长期'}` },
    { title: '', render: (_: unknown, e: Entry) => (e.active ? <Space><Tag color="red">{l.active}</Tag><Button size="small" onClick={() => setRemoving(e)}>{l.removeEntry}</Button></Space> : <Tag>{l.removed}</Tag>) },
  ];

  return (
    <div className="page">
      <PageHeading title={l.credit} extra={<Button type="primary" onClick={() => setAdding(true)}>{l.addEntry}</Button>} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ProblemAlert error={error ?? entries.error} />
        <Tabs
          items={[
            {
              key: 'entries',
              label: l.list,
              children: (
                <Card>
                  <Radio.Group aria-label={l.list} value={list} onChange={(e) => setList(e.target.value as 'black' | 'red')} optionType="button" options={[{ value: 'black', label: l.black }, { value: 'red', label: l.red }]} />
                  <Table rowKey="id" size="small" scroll={{ x: true }} loading={entries.loading} dataSource={entries.data?.items ?? []} columns={columns} pagination={false} />
                </Card>
              ),
            },
            {
              key: 'appeals',
              label: `${l.appeals}（${appeals.data?.items.length ?? 0}）`,
              children: (
                <Table
                  rowKey="id"
                  size="small"
                  dataSource={appeals.data?.items ?? []}
                  pagination={false}
                  columns={[
                    { title: l.subject, render: (_: unknown, a: Appeal) => a.entry?.subjectName },
                    { title: l.reason, render: (_: unknown, a: Appeal) => a.entry?.reason },
                    { title: l.appealText, dataIndex: 'text' },
                    { title: '', render: (_: unknown, a: Appeal) => <Button size="small" onClick={() => setDeciding(a)}>{l.comment}</Button> },
                  ]}
                />
              ),
            },
          ]}
        />
      </Space>
      <Modal open={removing !== null} title={l.removeEntry} onCancel={() => setRemoving(null)} destroyOnHidden footer={null}>
        <Form layout="vertical" onFinish={async (v: { reason: string }) => { if (await act(() => api.post(`/api/v1/admin/credit/entries/${removing!.id}/removal`, v))) setRemoving(null); }}>
          <Form.Item name="reason" label={l.removalReason} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Button type="primary" htmlType="submit">{l.removeEntry}</Button>
        </Form>
      </Modal>
      <Modal open={deciding !== null} title={l.appeals} onCancel={() => setDeciding(null)} destroyOnHidden footer={null}>
        <Form layout="vertical" onFinish={async (v: { comment: string; upheld: boolean }) => { if (await act(() => api.post(`/api/v1/admin/credit/appeals/${deciding!.id}/decision`, v))) setDeciding(null); }}>
          <Form.Item name="upheld" label={l.decision} rules={[{ required: true }]}><Radio.Group options={[{ value: true, label: l.upheld }, { value: false, label: l.rejected }]} /></Form.Item>
          <Form.Item name="comment" label={l.comment} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Button type="primary" htmlType="submit">OK</Button>
        </Form>
      </Modal>
      <Modal open={adding} title={l.addEntry} onCancel={() => setAdding(false)} destroyOnHidden footer={null}>
        <Form form={form} layout="vertical" initialValues={{ list: 'black', subjectKind: 'natural' }} onFinish={async (v: Record<string, string>) => { if (await act(() => api.post('/api/v1/admin/credit/entries', Object.fromEntries(Object.entries(v).filter(([, x]) => x))))) setAdding(false); }}>
          <Form.Item name="list" label={l.list}><Select options={[{ value: 'black', label: l.black }, { value: 'red', label: l.red }]} /></Form.Item>
          <Form.Item name="subjectKind" label={l.subject}><Select options={[{ value: 'natural', label: l.subjectKind.natural }, { value: 'legal', label: l.subjectKind.legal }]} /></Form.Item>
          <Form.Item name="subjectName" label={l.subject} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="subjectIdentifier" label={l.identifier} rules={[{ required: true }]}><Input maxLength={18} /></Form.Item>
          <Form.Item name="reason" label={l.reason} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="legalBasis" label={l.legalBasis} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="validUntil" label={l.period}><Input type="date" /></Form.Item>
          <ProblemAlert error={error} />
          <Button type="primary" htmlType="submit">{l.addEntry}</Button>
        </Form>
      </Modal>
    </div>
  );
}
