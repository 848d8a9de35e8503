import { useState } from 'react';
import { Alert, Button, DatePicker, Form, InputNumber, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import { calendarApi, todayInShanghai, type Deadline } from './api';

interface Values {
  from: Dayjs;
  workdays: number;
}

/** The N-th working day after a date, as the server counts it; says so when a year is not loaded. */
export function DeadlineCalculator({ idPrefix }: { idPrefix: string }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<Deadline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const calculate = async (values: Values) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await calendarApi.deadline(values.from.format('YYYY-MM-DD'), values.workdays));
    } catch (err) {
      applyFieldErrors(form, err, ['from', 'workdays']);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const notPublished = error instanceof ApiError && error.code === 'calendar_not_published';
  return (
    <Form<Values>
      form={form}
      name={`${idPrefix}-deadline`}
      layout="vertical"
      initialValues={{ from: dayjs(todayInShanghai()), workdays: 20 }}
      onFinish={calculate}
      requiredMark={false}
    >
      <Space wrap align="end" size="middle">
        <Form.Item name="from" label={t.calendar.from} rules={[{ required: true, message: t.common.requiredChoice(t.calendar.from) }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="workdays" label={t.calendar.workdays} rules={[{ required: true, message: t.common.required(t.calendar.workdays) }]}>
          <InputNumber min={0} max={3650} precision={0} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t.calendar.calculate}
          </Button>
        </Form.Item>
      </Space>
      <div>
        {result && <Alert type="success" showIcon title={t.calendar.deadlineResult(result.from, result.workdays, result.deadline)} />}
        {notPublished ? (
          <Alert type="warning" showIcon title={t.calendar.notPublished} description={(error as ApiError).title} />
        ) : (
          <ProblemAlert error={error} />
        )}
      </div>
    </Form>
  );
}
