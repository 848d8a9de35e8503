import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Space, Table, Tag } from 'antd';
import type { Static } from 'typebox';
import type { CreditAppeal as AppealSchema, MyCredit } from '@server/modules/credit/schemas';
import { api } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { rulesLabels } from '../rules/labels';

/*
 * The applicant's own credit record (/me/credit): the black- and red-list entries about them with
 * reason, legal basis, source and period, their appeals, and an appeal of an active entry
 * (POST /me/credit/appeals; one pending appeal an entry).
 */

type Credit = Static<typeof MyCredit>;
type Entry = Credit['entries'][number];
type Appeal = Static<typeof AppealSchema>;

export function MyCreditPage() {
  const { lang } = useI18n();
  const l = rulesLabels(lang);
  usePageTitle(l.myCredit);
  const { message } = App.useApp();
  const credit = useApi<Credit>('/api/v1/me/credit');
  const [appealing, setAppealing] = useState<Entry | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pending = new Set((credit.data?.appeals ?? []).filter((a) => a.status === 'pending').map((a) => a.entryId));

  const send = async (values: { text: string }) => {
    setError(null);
    try {
      await api.post('/api/v1/me/credit/appeals', { entryId: appealing!.id, text: values.text });
      void message.success(l.appealSent);
      setAppealing(null);
      credit.reload();
    } catch (err) {
      setError(err);
    }
  };

  const entryColumns = [
    { title: l.list, render: (_: unknown, e: Entry) => <Tag color={e.list === 'black' ? 'red' : 'green'}>{e.list === 'black' ? l.black : l.red}</Tag> },
    { title: l.reason, dataIndex: 'reason' },
    { title: l.legalBasis, dataIndex: 'legalBasis' },
    { title: l.sourceLabel, render: (_: unknown, e: Entry) => <>{l.sourcesCredit[e.source]}{e.sourceRef ? <><br /><span className="code-text">{e.sourceRef}</span></> : null}</> },
    { title: l.period, render: (_: unknown, e: Entry) => `${e.validFrom} ~ ${e.validUntil ?? l.longTerm}` },
    {
      title: l.status_,
      render: (_: unknown, e: Entry) => (e.active ? <Tag color="red">{l.active}</Tag> : <><Tag>{l.removed}</Tag>{e.removalReason ? <div>{e.removalReason}</div> : null}</>),
    },
    {
      title: '',
      render: (_: unknown, e: Entry) => {
        if (!e.active) return null;
        if (pending.has(e.id)) return <Tag color="processing">{l.appealPending}</Tag>;
        return <Button size="small" onClick={() => { setError(null); setAppealing(e); }}>{l.appeal}</Button>;
      },
    },
  ];

  const appealColumns = [
    { title: l.submittedAt, render: (_: unknown, a: Appeal) => new Date(a.createdAt).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') },
    { title: l.appealText, dataIndex: 'text' },
    { title: l.status_, render: (_: unknown, a: Appeal) => <Tag color={a.status === 'upheld' ? 'green' : a.status === 'rejected' ? 'default' : 'processing'}>{l.appealStatus[a.status]}</Tag> },
    { title: l.comment, render: (_: unknown, a: Appeal) => a.decisionComment ?? '' },
  ];

  return (
    <div className="page">
      <PageHeading title={l.myCredit} intro={l.myCreditIntro} />
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <ProblemAlert error={credit.error} />
        <Card title={<h2 className="card-title">{l.credit}</h2>}>
          <Table rowKey="id" size="small" scroll={{ x: true }} loading={credit.loading} dataSource={credit.data?.entries ?? []} columns={entryColumns} pagination={false} locale={{ emptyText: <Empty description={l.noEntries} /> }} />
        </Card>
        <Card title={<h2 className="card-title">{l.myAppeals}</h2>}>
          <Table rowKey="id" size="small" scroll={{ x: true }} loading={credit.loading} dataSource={credit.data?.appeals ?? []} columns={appealColumns} pagination={false} locale={{ emptyText: <Empty description={l.noAppeals} /> }} />
        </Card>
      </Space>
      <Modal open={appealing !== null} title={l.appeal} onCancel={() => setAppealing(null)} destroyOnHidden footer={null}>
        {appealing ? <p>{appealing.reason}</p> : null}
        <Form layout="vertical" onFinish={send}>
          <Form.Item name="text" label={l.appealText} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={4} maxLength={4000} /></Form.Item>
          <ProblemAlert error={error} />
          <Button type="primary" htmlType="submit">{l.appeal}</Button>
        </Form>
      </Modal>
    </div>
  );
}
