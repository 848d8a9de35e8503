import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Drawer, Form, Input, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { RECTIFICATION_STATUS_LABELS, TICKET_KIND_LABELS, TICKET_SOURCE_LABELS, TICKET_STATUS_LABELS, LEVEL_LABELS } from '@server/shared/quality-codes';
import { qualityApi, type ImportResult, type Page, type Rectification, type TicketDetail, type TicketSummary } from './api';

/**
 * The quality desk at the workbench: the department's ticket queue (咨询投诉) and its
 * rectifications of bad reviews (差评整改); for a supervisor, the region's, with what is escalated,
 * appeals to decide and the 12345 import.
 */
export function QualityDeskPage({ supervisor = false }: { supervisor?: boolean }) {
  const [escalated, setEscalated] = useState(supervisor);
  return (
    <div className="page">
      <PageHeading
        title={supervisor ? '服务质量督办' : '咨询投诉与差评整改'}
        intro={supervisor ? '本区域超期督办的工单与差评整改、待裁定的申诉，以及 12345 热线工单导入。' : '本部门的咨询投诉工单（按答复期限排序）与差评整改工单。'}
        extra={supervisor && <Space><span id="esc-label">只看督办</span><Switch aria-labelledby="esc-label" checked={escalated} onChange={setEscalated} /></Space>}
      />
      <Tabs
        items={[
          { key: 'tickets', label: '咨询投诉', children: <TicketQueue escalated={supervisor && escalated ? true : undefined} /> },
          { key: 'rect', label: '差评整改', children: <RectQueue escalated={supervisor && escalated ? true : undefined} /> },
          ...(supervisor ? [{ key: 'import', label: '12345 工单导入', children: <HotlineImport /> }] : []),
        ]}
      />
    </div>
  );
}

function TicketQueue({ escalated }: { escalated?: boolean }) {
  const [status, setStatus] = useState<string | undefined>('open');
  const list = useApi<Page<TicketSummary>>('/api/v1/tickets', { limit: 100, status, escalated });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card>
      <Space style={{ marginBottom: 12 }}>
        <Select aria-label="状态" style={{ width: 140 }} allowClear value={status} onChange={setStatus} options={Object.entries(TICKET_STATUS_LABELS).map(([value, l]) => ({ value, label: l.zh }))} placeholder="全部状态" />
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
          { title: '工单号', dataIndex: 'number', render: (n: string) => <Button type="link" onClick={() => setOpen(n)}>{n}</Button> },
          { title: '类型', dataIndex: 'kind', render: (k: TicketSummary['kind']) => TICKET_KIND_LABELS[k].zh },
          { title: '来源', dataIndex: 'source', render: (s: 'portal' | 'hall' | 'hotline') => TICKET_SOURCE_LABELS[s].zh },
          { title: '标题', dataIndex: 'title' },
          { title: '承办部门', dataIndex: 'departmentName' },
          { title: '期限', dataIndex: 'deadline', render: (d: string, t) => <Space>{d}{t.overdue && <Tag color="red">超期</Tag>}{t.escalated && <Tag color="orange">督办</Tag>}</Space> },
          { title: '状态', dataIndex: 'status', render: (s: TicketSummary['status']) => TICKET_STATUS_LABELS[s].zh },
        ]}
      />
      <TicketDrawer number={open} onClose={() => { setOpen(null); list.reload(); }} />
    </Card>
  );
}

export function TicketDrawer({ number, onClose }: { number: string | null; onClose(): void }) {
  const detail = useApi<TicketDetail>(number ? `/api/v1/tickets/${number}` : null);
  const departments = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/departments');
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ text?: string; departmentId?: string }>();
  const t = detail.data;
  const run = async (action: string) => {
    if (!t) return;
    setError(null);
    const { text, departmentId } = form.getFieldsValue();
    const body = action === 'reply' ? { action, version: t.version, reply: text ?? '' }
      : action === 'transfer' ? { action, version: t.version, departmentId: departmentId ?? '', comment: text ?? '' }
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
  const labels: Record<string, string> = { reply: '答复', transfer: '转办', escalate: '提请督办', close: '办结', publish_faq: '发布为常见问题', unpublish_faq: '撤下常见问题' };
  return (
    <Drawer open={number !== null} onClose={onClose} title={t ? `${TICKET_KIND_LABELS[t.kind].zh} ${t.number}` : number} size="large">
      {t && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered items={[
            { key: 'title', label: '标题', children: t.title },
            { key: 'body', label: '内容', children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{t.body}</Typography.Paragraph> },
            { key: 'item', label: '事项', children: t.itemName ?? '—' },
            { key: 'dept', label: '承办部门', children: t.departmentName },
            { key: 'contact', label: '联系人', children: [t.contactName, t.contactPhone].filter(Boolean).join(' ') || '—' },
            { key: 'deadline', label: '答复期限', children: t.deadline },
            ...(t.reply ? [{ key: 'reply', label: '答复', children: `${t.reply}（${t.repliedByName ?? ''}）` }] : []),
            ...(t.faq ? [{ key: 'faq', label: '常见问题', children: t.faq.question }] : []),
          ]} />
          <Typography.Title level={5}>办理记录</Typography.Title>
          <ul>{t.history.map((h, i) => <li key={i}>{new Date(h.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} {h.actor} {labels[h.action] ?? (h.action === 'open' ? '登记' : h.action)} {h.comment ?? ''}</li>)}</ul>
          {t.actions.length > 0 && (
            <Form form={form} layout="vertical">
              {t.actions.some((a) => ['reply', 'transfer', 'escalate'].includes(a)) && (
                <Form.Item name="text" label="答复内容 / 转办或督办理由">
                  <Input.TextArea rows={4} maxLength={2000} showCount />
                </Form.Item>
              )}
              {t.actions.includes('transfer') && (
                <Form.Item name="departmentId" label="转办至">
                  <Select showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
                </Form.Item>
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
  const list = useApi<Page<Rectification>>('/api/v1/rectifications', { limit: 100, escalated });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <ProblemAlert error={list.error} />
      {list.data?.items.length === 0 && <Alert type="success" showIcon title="没有差评整改工单" />}
      {(list.data?.items ?? []).map((r) => <RectCard key={r.id} rect={r} reload={list.reload} />)}
    </Space>
  );
}

function RectCard({ rect, reload }: { rect: Rectification; reload(): void }) {
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
    <Card size="small" title={<Space wrap><span>{rect.subjectRef}</span><Tag>{RECTIFICATION_STATUS_LABELS[rect.status].zh}</Tag>{rect.overdue && <Tag color="red">超期</Tag>}{rect.escalatedAt && <Tag color="orange">已督办</Tag>}</Space>}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
        { key: 'level', label: '评价', children: `${LEVEL_LABELS[rect.evaluation.level as 1 | 2 | 3 | 4 | 5].zh}：${rect.evaluation.text ?? ''}` },
        { key: 'dept', label: '责任部门', children: rect.departmentName },
        { key: 'due', label: '整改期限', children: rect.dueOn },
        ...(rect.callbackNote ? [{ key: 'cb', label: '回访记录', children: rect.callbackNote }] : []),
        ...(rect.report ? [{ key: 'rp', label: '整改结果', children: rect.report }] : []),
        ...(rect.appealReason ? [{ key: 'ap', label: '申诉理由', children: rect.appealReason }] : []),
        ...(rect.appealComment ? [{ key: 'ad', label: '裁定意见', children: `${rect.appealDecision === 'upheld' ? '申诉成立' : '申诉不成立'}：${rect.appealComment}` }] : []),
        ...(rect.applicantComment ? [{ key: 'ac', label: '申请人意见', children: rect.applicantComment }] : []),
      ]} />
      {rect.steps.filter((s) => s !== 'confirm').length > 0 && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea aria-label="回访记录、整改结果、申诉理由或裁定意见" rows={2} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} />
          <Space wrap>
            {rect.steps.includes('callback') && <Button type="primary" onClick={() => void go({ step: 'callback', note: text })}>记录回访</Button>}
            {rect.steps.includes('report') && <Button type="primary" onClick={() => void go({ step: 'report', report: text })}>报告整改结果</Button>}
            {rect.steps.includes('appeal') && <Button onClick={() => void go({ step: 'appeal', reason: text })}>申诉（恶意或错误评价）</Button>}
            {rect.steps.includes('decide_appeal') && <Button type="primary" onClick={() => void go({ step: 'decide_appeal', decision: 'upheld', comment: text })}>申诉成立</Button>}
            {rect.steps.includes('decide_appeal') && <Button danger onClick={() => void go({ step: 'decide_appeal', decision: 'rejected', comment: text })}>申诉不成立</Button>}
          </Space>
        </Space>
      )}
      <ProblemAlert error={error} />
    </Card>
  );
}

function HotlineImport() {
  const [csv, setCsv] = useState('工单号,类型,标题,内容,联系人,联系电话,事项编码,承办部门\n');
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
        <Typography.Paragraph>粘贴 12345 热线导出的 CSV（首行列名），或选择文件。已导入过的工单号不会重复建单；有误的行逐行列出，其余照常导入。</Typography.Paragraph>
        <input type="file" accept=".csv,text/csv" aria-label="选择 CSV 文件" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then(setCsv); }} />
        <Input.TextArea aria-label="CSV 内容" rows={8} value={csv} onChange={(e) => setCsv(e.target.value)} />
        <Button type="primary" loading={busy} onClick={() => void submit()}>导入</Button>
        <ProblemAlert error={error} />
        {result && (
          <>
            <Alert type={result.errors.length ? 'warning' : 'success'} showIcon title={`导入 ${result.imported.length} 条，已存在 ${result.duplicates.length} 条，有误 ${new Set(result.errors.map((e) => e.row)).size} 行`} />
            {result.errors.length > 0 && (
              <Table rowKey={(e) => `${e.row}-${e.field}-${e.code}`} size="small" pagination={false} dataSource={result.errors} columns={[{ title: '行', dataIndex: 'row' }, { title: '字段', dataIndex: 'field' }, { title: '问题', dataIndex: 'message' }]} />
            )}
          </>
        )}
      </Space>
    </Card>
  );
}
