import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import type { FieldProblem } from '../../app/api';
import { useApi } from '../../app/useApi';
import { useI18n } from '../../app/i18n';
import { TICKET_KINDS, TICKET_KIND_LABELS, TICKET_STATUS_LABELS } from '@server/shared/quality-codes';
import { browserChannel, qualityApi, type Page, type TicketDetail, type TicketSummary } from './api';
import { RatingForm } from './RatingForm';

/** The applicant's consultations and complaints: file one about an item, a department or a case; read the reply; rate it. */
export function MyTicketsPage() {
  const { t: dict, lang } = useI18n();
  const m = dict.quality.myTickets;
  const list = useApi<Page<TicketSummary>>('/api/v1/tickets', { limit: 100 });
  const departments = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/departments');
  const cases = useApi<{ items: Array<{ caseNumber: string; itemName: string }> }>('/api/v1/cases', { mine: true, limit: 100 });
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const submit = async (values: Record<string, string | undefined>) => {
    setError(null);
    try {
      const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as never;
      const t = await qualityApi.openTicket(body);
      form.resetFields();
      list.reload();
      setOpen(t.number);
    } catch (err) {
      setError(err);
      setUnmatched(applyFieldErrors(form, err, ['kind', 'title', 'body', 'departmentId', 'caseNumber', 'itemCode']));
    }
  };
  return (
    <div className="page">
      <PageHeading title={m.title} intro={m.intro} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={<h2 className="card-title">{m.formTitle}</h2>}>
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ kind: 'consultation' }} aria-label={m.formLabel}>
            <Form.Item name="kind" label={m.kind} rules={[{ required: true }]}>
              <Select options={TICKET_KINDS.map((k) => ({ value: k, label: TICKET_KIND_LABELS[k][lang] }))} />
            </Form.Item>
            <Form.Item name="caseNumber" label={m.caseNumber}>
              <Select allowClear options={(cases.data?.items ?? []).map((c) => ({ value: c.caseNumber, label: `${c.itemName} ${c.caseNumber}` }))} />
            </Form.Item>
            <Form.Item name="departmentId" label={m.department}>
              <Select allowClear showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            <Form.Item name="itemCode" hidden><Input /></Form.Item>
            <Form.Item name="title" label={m.title_} rules={[{ required: true, message: m.titleRequired }]}><Input maxLength={100} /></Form.Item>
            <Form.Item name="body" label={m.body} rules={[{ required: true, message: m.bodyRequired }]}><Input.TextArea rows={4} maxLength={2000} showCount /></Form.Item>
            <ProblemAlert error={error} unmatched={unmatched} />
            <Button type="primary" htmlType="submit">{m.submit}</Button>
          </Form>
        </Card>
        <Card title={<h2 className="card-title">{m.mine}</h2>}>
          <List
            dataSource={list.data?.items ?? []}
            renderItem={(t) => (
              <List.Item actions={[<Button key="open" type="link" onClick={() => setOpen(open === t.number ? null : t.number)}>{m.open}</Button>]}>
                <List.Item.Meta title={<Space wrap>{t.title}<Tag>{TICKET_KIND_LABELS[t.kind][lang]}</Tag><Tag color={t.status === 'open' ? 'blue' : 'green'}>{TICKET_STATUS_LABELS[t.status][lang]}</Tag></Space>} description={`${t.number} · ${t.departmentName} · ${m.deadline(t.deadline)}`} />
              </List.Item>
            )}
          />
          {open && <MyTicket number={open} reload={list.reload} />}
        </Card>
      </Space>
    </div>
  );
}

function MyTicket({ number, reload }: { number: string; reload(): void }) {
  const { t: dict } = useI18n();
  const m = dict.quality.myTickets;
  const detail = useApi<TicketDetail>(`/api/v1/tickets/${number}`);
  const [rated, setRated] = useState(false);
  const t = detail.data;
  if (!t) return null;
  return (
    <Card size="small" type="inner" title={m.ticket(t.number)}>
      <Descriptions size="small" column={1} items={[
        { key: 'body', label: m.body, children: t.body },
        { key: 'reply', label: dict.quality.ticket.reply, children: t.reply ?? m.pending },
      ]} />
      {t.status !== 'open' && !rated && (
        <>
          <Typography.Title level={5}>{m.rateReply}</Typography.Title>
          <RatingForm round={1} channel={browserChannel()} submit={(body) => qualityApi.rateTicket(t.number, body)} onDone={() => { setRated(true); reload(); }} />
        </>
      )}
      {rated && <Typography.Text type="success">{dict.quality.rating.thanks}</Typography.Text>}
    </Card>
  );
}
