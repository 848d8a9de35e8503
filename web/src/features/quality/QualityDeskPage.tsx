import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Drawer, Form, Input, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { useI18n } from '../../app/i18n';
import { VisitRecorder } from './VisitRecorder';
import { RECTIFICATION_STATUS_LABELS, TICKET_KINDS, TICKET_KIND_LABELS, TICKET_SOURCE_LABELS, TICKET_STATUS_LABELS, LEVEL_LABELS } from '@server/shared/quality-codes';
import { qualityApi, type ImportResult, type Page, type Rectification, type TicketDetail, type TicketSummary } from './api';

/**
 * The quality desk at the workbench: the department's ticket queue (咨询投诉) and its
 * rectifications of bad reviews (差评整改); for a supervisor, the region's, with what is escalated,
 * appeals to decide and the 12345 import.
 */
export function QualityDeskPage({ supervisor = false }: { supervisor?: boolean }) {
  const { t } = useI18n();
  const d = t.quality.desk;
  const [escalated, setEscalated] = useState(supervisor);
  return (
    <div className="page">
      <PageHeading
        title={supervisor ? d.supervisorTitle : d.title}
        intro={supervisor ? d.supervisorIntro : d.intro}
        extra={supervisor && <Space><span id="esc-label">{d.onlyEscalated}</span><Switch aria-labelledby="esc-label" checked={escalated} onChange={setEscalated} /></Space>}
      />
      <Tabs
        items={[
          { key: 'tickets', label: d.ticketsTab, children: <TicketQueue escalated={supervisor && escalated ? true : undefined} /> },
          { key: 'rect', label: d.rectTab, children: <RectQueue escalated={supervisor && escalated ? true : undefined} /> },
          ...(supervisor ? [{ key: 'import', label: d.importTab, children: <HotlineImport /> }] : [{ key: 'visit', label: d.visitTab, children: <VisitRecorder /> }]),
        ]}
      />
    </div>
  );
}

function TicketQueue({ escalated }: { escalated?: boolean }) {
  const { t, lang } = useI18n();
  const d = t.quality.desk;
  const [status, setStatus] = useState<string | undefined>('open');
  const list = useApi<Page<TicketSummary>>('/api/v1/tickets', { limit: 100, status, escalated });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card>
      <Space style={{ marginBottom: 12 }}>
        <Select aria-label={d.status} style={{ width: 140 }} allowClear value={status} onChange={setStatus} options={Object.entries(TICKET_STATUS_LABELS).map(([value, l]) => ({ value, label: l[lang] }))} placeholder={d.allStatuses} />
      </Space>
      <ProblemAlert error={list.error} />
      <Table<TicketSummary>
        rowKey="number"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          { title: d.number, dataIndex: 'number', render: (n: string) => <Button type="link" onClick={() => setOpen(n)}>{n}</Button> },
          { title: d.kind, dataIndex: 'kind', render: (k: TicketSummary['kind']) => TICKET_KIND_LABELS[k][lang] },
          { title: d.source, dataIndex: 'source', render: (s: 'portal' | 'hall' | 'hotline') => TICKET_SOURCE_LABELS[s][lang] },
          { title: d.titleColumn, dataIndex: 'title' },
          { title: d.department, dataIndex: 'departmentName' },
          { title: d.deadline, dataIndex: 'deadline', render: (day: string, row) => <Space>{day}{row.overdue && <Tag color="red">{d.overdue}</Tag>}{row.escalated && <Tag color="orange">{d.escalated}</Tag>}</Space> },
          { title: d.status, dataIndex: 'status', render: (s: TicketSummary['status']) => TICKET_STATUS_LABELS[s][lang] },
        ]}
      />
      <TicketDrawer number={open} onClose={() => { setOpen(null); list.reload(); }} />
    </Card>
  );
}

export function TicketDrawer({ number, onClose }: { number: string | null; onClose(): void }) {
  const { t: dict, lang } = useI18n();
  const k = dict.quality.ticket;
  const detail = useApi<TicketDetail>(number ? `/api/v1/tickets/${number}` : null);
  const departments = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/departments');
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ text?: string; departmentId?: string; kind?: TicketSummary['kind'] }>();
  const t = detail.data;
  const run = async (action: string) => {
    if (!t) return;
    setError(null);
    const { text, departmentId, kind } = form.getFieldsValue();
    const body = action === 'reply' ? { action, version: t.version, reply: text ?? '' }
      : action === 'transfer' ? { action, version: t.version, departmentId: departmentId ?? '', comment: text ?? '', ...(kind ? { kind } : {}) }
        : action === 'escalate' ? { action, version: t.version, comment: text ?? '' }
          : { action, version: t.version };
    try {
      await qualityApi.act(t.number, body as never);
      form.resetFields();
      detail.reload();
    } catch (err) {
      setError(err);
    }
  };
  const labels = k.actions;
  const when = (at: string) => new Date(at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });
  return (
    <Drawer open={number !== null} onClose={onClose} title={t ? `${TICKET_KIND_LABELS[t.kind][lang]} ${t.number}` : number} size="large">
      {t && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered items={[
            { key: 'title', label: k.title, children: t.title },
            { key: 'body', label: k.body, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{t.body}</Typography.Paragraph> },
            { key: 'item', label: k.item, children: t.itemName ?? '—' },
            { key: 'dept', label: k.department, children: t.departmentName },
            { key: 'contact', label: k.contact, children: [t.contactName, t.contactPhone].filter(Boolean).join(' ') || '—' },
            { key: 'deadline', label: k.deadline, children: t.deadline },
            ...(t.reply ? [{ key: 'reply', label: k.reply, children: `${t.reply} (${t.repliedByName ?? ''})` }] : []),
            ...(t.faq ? [{ key: 'faq', label: k.faq, children: t.faq.question }] : []),
          ]} />
          <Typography.Title level={5}>{k.history}</Typography.Title>
          <ul>{t.history.map((h, i) => (
            <li key={i}>
              {when(h.at)} {h.actor} {labels[h.action] ?? (h.action === 'open' ? k.opened : h.action)} {h.comment ?? ''}
              {h.transfer && <div><Typography.Text type="secondary">{k.transferred(h.transfer.fromDepartmentName, h.transfer.toDepartmentName, h.transfer.deadlineTo)}</Typography.Text></div>}
            </li>
          ))}</ul>
          {t.actions.length > 0 && (
            <Form form={form} layout="vertical">
              {t.actions.some((a) => ['reply', 'transfer', 'escalate'].includes(a)) && (
                <Form.Item name="text" label={k.text}>
                  <Input.TextArea rows={4} maxLength={2000} showCount />
                </Form.Item>
              )}
              {t.actions.includes('transfer') && (
                <>
                  <Form.Item name="departmentId" label={k.transferTo}>
                    <Select showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
                  </Form.Item>
                  <Form.Item name="kind" label={k.transferKind}>
                    <Select allowClear options={TICKET_KINDS.map((kind) => ({ value: kind, label: TICKET_KIND_LABELS[kind][lang] }))} />
                  </Form.Item>
                </>
              )}
              <Space wrap>
                {t.actions.map((a) => <Button key={a} type={a === 'reply' ? 'primary' : 'default'} onClick={() => void run(a)}>{labels[a]}</Button>)}
              </Space>
            </Form>
          )}
          <ProblemAlert error={error} />
        </Space>
      )}
    </Drawer>
  );
}

function RectQueue({ escalated }: { escalated?: boolean }) {
  const { t } = useI18n();
  const list = useApi<Page<Rectification>>('/api/v1/rectifications', { limit: 100, escalated });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <ProblemAlert error={list.error} />
      {list.data?.items.length === 0 && <Alert type="success" showIcon title={t.quality.rect.none} />}
      {(list.data?.items ?? []).map((r) => <RectCard key={r.id} rect={r} reload={list.reload} />)}
    </Space>
  );
}

function RectCard({ rect, reload }: { rect: Rectification; reload(): void }) {
  const { t, lang } = useI18n();
  const r = t.quality.rect;
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const go = async (body: object) => {
    setError(null);
    try {
      await qualityApi.step(rect.id, { version: rect.version, ...body } as never);
      setText('');
      reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card size="small" title={<Space wrap><span>{rect.subjectRef}</span><Tag>{RECTIFICATION_STATUS_LABELS[rect.status][lang]}</Tag>{rect.overdue && <Tag color="red">{r.overdue}</Tag>}{rect.escalatedAt && <Tag color="orange">{r.escalated}</Tag>}</Space>}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
        { key: 'level', label: r.rating, children: `${LEVEL_LABELS[rect.evaluation.level as 1 | 2 | 3 | 4 | 5][lang]}: ${rect.evaluation.text ?? ''}` },
        { key: 'dept', label: r.department, children: rect.departmentName },
        { key: 'due', label: r.due, children: rect.dueOn },
        ...(rect.callbackNote ? [{ key: 'cb', label: r.callbackNote, children: rect.callbackNote }] : []),
        ...(rect.report ? [{ key: 'rp', label: r.report, children: rect.report }] : []),
        ...(rect.confirmDueOn && rect.status === 'reported' ? [{ key: 'cd', label: r.confirmDue, children: rect.confirmDueOn }] : []),
        ...(rect.appealReason ? [{ key: 'ap', label: r.appealReason, children: rect.appealReason }] : []),
        ...(rect.appealComment ? [{ key: 'ad', label: r.appealDecision, children: `${rect.appealDecision === 'upheld' ? r.upheld : r.rejected}: ${rect.appealComment}` }] : []),
        ...(rect.applicantComment ? [{ key: 'ac', label: r.applicantComment, children: rect.applicantComment }] : []),
        ...(rect.outcome ? [{ key: 'oc', label: r.outcomeLabel, children: r.outcome[rect.outcome] ?? rect.outcome }] : []),
      ]} />
      {rect.steps.filter((s) => s !== 'confirm').length > 0 && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea aria-label={r.stepText} rows={2} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} />
          <Space wrap>
            {rect.steps.includes('callback') && <Button type="primary" onClick={() => void go({ step: 'callback', note: text })}>{r.callback}</Button>}
            {rect.steps.includes('report') && <Button type="primary" onClick={() => void go({ step: 'report', report: text })}>{r.reportStep}</Button>}
            {rect.steps.includes('appeal') && <Button onClick={() => void go({ step: 'appeal', reason: text })}>{r.appeal}</Button>}
            {rect.steps.includes('decide_appeal') && <Button type="primary" onClick={() => void go({ step: 'decide_appeal', decision: 'upheld', comment: text })}>{r.upheld}</Button>}
            {rect.steps.includes('decide_appeal') && <Button danger onClick={() => void go({ step: 'decide_appeal', decision: 'rejected', comment: text })}>{r.rejected}</Button>}
          </Space>
        </Space>
      )}
      <ProblemAlert error={error} />
    </Card>
  );
}

function HotlineImport() {
  const { t } = useI18n();
  const h = t.quality.hotline;
  const [csv, setCsv] = useState(h.header);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await qualityApi.importHotline(csv));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{h.intro}</Typography.Paragraph>
        <input type="file" accept=".csv,text/csv" aria-label={h.file} onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then(setCsv); }} />
        <Input.TextArea aria-label={h.content} rows={8} value={csv} onChange={(e) => setCsv(e.target.value)} />
        <Button type="primary" loading={busy} onClick={() => void submit()}>{h.submit}</Button>
        <ProblemAlert error={error} />
        {result && (
          <>
            <Alert type={result.errors.length ? 'warning' : 'success'} showIcon title={h.summary(result.imported.length, result.duplicates.length, new Set(result.errors.map((e) => e.row)).size)} />
            {result.errors.length > 0 && (
              <Table rowKey={(e) => `${e.row}-${e.field}-${e.code}`} size="small" pagination={false} dataSource={result.errors} columns={[{ title: h.row, dataIndex: 'row' }, { title: h.field, dataIndex: 'field' }, { title: h.problem, dataIndex: 'message' }]} />
            )}
          </>
        )}
      </Space>
    </Card>
  );
}
