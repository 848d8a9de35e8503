import { useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Table, Typography, Upload } from 'antd';
import { EyeOutlined, ImportOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { FieldProblem } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { calendarApi, todayInShanghai, YEARS_PATH, type Year, type YearArrangement, type YearSummary } from './api';
import { DeadlineCalculator } from './DeadlineCalculator';

export function CalendarPage() {
  const { t } = useI18n();
  const problemText = useProblemText();
  const years = useApi<{ items: YearSummary[] }>(YEARS_PATH);
  const [viewing, setViewing] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  // Bumped after an import or a correction: remounts an open year view so it shows the new state.
  const [revision, setRevision] = useState(0);
  usePageTitle(t.calendar.title);

  const changed = () => {
    years.reload();
    setRevision((r) => r + 1);
  };
  // Platform time (Asia/Shanghai) written YYYY-MM-DD HH:mm in both languages, like the dates beside it.
  const formatInstant = (iso: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
  const newestFirst = [...(years.data?.items ?? [])].sort((a, b) => b.year - a.year);

  return (
    <div className="page">
      <PageHeading
        title={t.calendar.title}
        intro={t.calendar.intro}
        extra={
          <Button type="primary" icon={<ImportOutlined aria-hidden />} onClick={() => setImporting(true)}>
            {t.calendar.importYear}
          </Button>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <Card title={<h2 className="card-title">{t.calendar.years}</h2>}>
            {years.error ? (
              <Alert type="error" showIcon title={problemText(years.error)} />
            ) : (
              <Table<YearSummary>
                rowKey="year"
                loading={years.loading}
                dataSource={newestFirst}
                pagination={{ pageSize: 5, hideOnSinglePage: true, showSizeChanger: false }}
                scroll={{ x: 760 }}
                columns={[
                  { title: t.calendar.year, dataIndex: 'year' },
                  { title: t.calendar.source, dataIndex: 'source' },
                  { title: t.calendar.holidayCount, dataIndex: 'holidays' },
                  { title: t.calendar.makeUpCount, dataIndex: 'makeUpWorkdays' },
                  { title: t.calendar.loadedAt, dataIndex: 'loadedAt', render: formatInstant },
                  {
                    title: t.common.actions,
                    key: 'actions',
                    render: (_, row) => (
                      <Button type="link" icon={<EyeOutlined aria-hidden />} aria-label={`${t.common.view} ${row.year}`} onClick={() => setViewing(row.year)}>
                        {t.common.view}
                      </Button>
                    ),
                  },
                ]}
              />
            )}
          </Card>
        </Col>
        {viewing !== null && (
          <Col xs={24}>
            <YearView key={`${viewing}:${revision}`} year={viewing} />
          </Col>
        )}
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-title">{t.calendar.correctDay}</h2>}>
            <Typography.Paragraph type="secondary">{t.calendar.correctIntro}</Typography.Paragraph>
            <CorrectDay onDone={changed} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-title">{t.calendar.deadlineTitle}</h2>}>
            <Typography.Paragraph type="secondary">{t.calendar.deadlineIntro}</Typography.Paragraph>
            <DeadlineCalculator idPrefix="calendar" />
          </Card>
        </Col>
      </Row>
      {importing && (
        <ImportYear
          onClose={(imported) => {
            setImporting(false);
            if (imported !== null) {
              changed();
              setViewing(imported);
            }
          }}
        />
      )}
    </div>
  );
}

function YearView({ year }: { year: number }) {
  const { t } = useI18n();
  const problemText = useProblemText();
  const data = useApi<Year>(`${YEARS_PATH}/${year}`);
  const columns = [
    { title: t.calendar.date, dataIndex: 'date' },
    { title: t.calendar.name, dataIndex: 'name' },
  ];
  return (
    <Card title={<h2 className="card-title">{t.calendar.yearDetail(year)}</h2>}>
      {data.error ? (
        <Alert type="error" showIcon title={problemText(data.error)} />
      ) : (
        <>
          {data.data && <Typography.Paragraph type="secondary">{t.calendar.sourceLine(data.data.source)}</Typography.Paragraph>}
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12}>
              <Typography.Title level={3} className="table-title">
                {t.calendar.holidays}
              </Typography.Title>
              <Table rowKey="date" size="small" loading={data.loading} dataSource={data.data?.holidays ?? []} pagination={false} columns={columns} />
            </Col>
            <Col xs={24} md={12}>
              <Typography.Title level={3} className="table-title">
                {t.calendar.makeUpWorkdays}
              </Typography.Title>
              <Table rowKey="date" size="small" loading={data.loading} dataSource={data.data?.workdays ?? []} pagination={false} columns={columns} />
            </Col>
          </Row>
        </>
      )}
    </Card>
  );
}

interface ImportValues {
  year: number;
  json: string;
}

/** Pasted or uploaded JSON in the export format; the year field decides which year is replaced. */
function ImportYear({ onClose }: { onClose(imported: number | null): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ImportValues>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const loadFile = async (file: File) => {
    const text = await file.text();
    form.setFieldValue('json', text);
    try {
      const parsed = JSON.parse(text) as { year?: unknown };
      if (typeof parsed.year === 'number') form.setFieldValue('year', parsed.year);
    } catch {
      // Shown as a field error when submitted; the text is in the box for the admin to fix.
    }
    return false;
  };

  const parse = (values: ImportValues): YearArrangement | string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.json);
    } catch {
      return t.calendar.jsonInvalid;
    }
    const body = parsed as Partial<Year> | null;
    if (!body || typeof body.source !== 'string' || !Array.isArray(body.holidays) || !Array.isArray(body.workdays)) return t.calendar.jsonShape;
    if (body.year !== undefined && body.year !== values.year) return t.calendar.jsonYearMismatch(Number(body.year));
    return { source: body.source, holidays: body.holidays, workdays: body.workdays };
  };

  const submit = async (values: ImportValues) => {
    setError(null);
    setUnmatched([]);
    const body = parse(values);
    if (typeof body === 'string') {
      form.setFields([{ name: 'json', errors: [body] }]);
      return;
    }
    setBusy(true);
    try {
      await calendarApi.putYear(values.year, body);
      message.success(t.calendar.imported(values.year));
      onClose(values.year);
    } catch (err) {
      // Field names such as holidays[3].date point into the JSON, not at a form item: list them.
      setUnmatched(applyFieldErrors(form, err, ['year']));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={t.calendar.importYear}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(null)}
    >
      <Typography.Paragraph type="secondary">{t.calendar.importIntro}</Typography.Paragraph>
      <Form<ImportValues> form={form} name="calendar-import" layout="vertical" onFinish={submit} initialValues={{ year: Number(todayInShanghai().slice(0, 4)) + 1 }}>
        <Form.Item name="year" label={t.calendar.year} rules={[{ required: true, message: t.common.required(t.calendar.year) }]}>
          <InputNumber min={1949} max={2200} precision={0} />
        </Form.Item>
        <Form.Item name="json" label={t.calendar.json} rules={[{ required: true, whitespace: true, message: t.common.required(t.calendar.json) }]}>
          <Input.TextArea rows={10} spellCheck={false} className="code-input" />
        </Form.Item>
        <Upload accept="application/json,.json" showUploadList={false} beforeUpload={loadFile} maxCount={1}>
          <Button icon={<UploadOutlined aria-hidden />}>{t.calendar.chooseFile}</Button>
        </Upload>
        <div className="form-alert">
          <ProblemAlert error={error} unmatched={unmatched} />
        </div>
      </Form>
    </Modal>
  );
}

interface CorrectionValues {
  date: Dayjs;
  workday: boolean;
  name?: string;
  reason: string;
}

function CorrectDay({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CorrectionValues>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (values: CorrectionValues) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    try {
      const date = values.date.format('YYYY-MM-DD');
      const name = values.name?.trim();
      const day = await calendarApi.correctDay(date, { workday: values.workday, reason: values.reason.trim(), ...(name ? { name } : {}) });
      message.success(t.calendar.corrected(day.date, day.workday));
      form.resetFields(['name', 'reason']);
      onDone();
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, ['date', 'workday', 'name', 'reason']));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<CorrectionValues> form={form} name="calendar-correct" layout="vertical" onFinish={submit} initialValues={{ date: dayjs(todayInShanghai()), workday: false }}>
      <Form.Item name="date" label={t.calendar.date} rules={[{ required: true, message: t.common.requiredChoice(t.calendar.date) }]}>
        <DatePicker allowClear={false} />
      </Form.Item>
      <Form.Item name="workday" label={t.calendar.dayType}>
        <Radio.Group
          aria-label={t.calendar.dayType}
          options={[
            { value: true, label: t.calendar.workday },
            { value: false, label: t.calendar.restDay },
          ]}
        />
      </Form.Item>
      <Form.Item name="name" label={t.calendar.dayName}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t.calendar.reason}
        extra={t.calendar.reasonHelp}
        rules={[
          { required: true, whitespace: true, message: t.common.required(t.calendar.reason) },
          { min: 2, message: t.calendar.reasonTooShort },
        ]}
      >
        <Input.TextArea rows={2} maxLength={300} />
      </Form.Item>
      <div className="form-alert">
        <ProblemAlert error={error} unmatched={unmatched} />
      </div>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t.common.submit}
      </Button>
    </Form>
  );
}
