import { useState } from 'react';
import { Alert, Button, Form, Input, Rate, Space, Typography } from 'antd';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import type { FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { LEVEL_LABELS, TEXT_MAX } from '@server/shared/quality-codes';
import type { Evaluation, RatingBody } from './api';

/** Five stars (5 = 非常满意) and a text, required for an unsatisfied rating; the server's field errors land on the fields. */
export function RatingForm({ round, channel, submit, onDone }: { round: 1 | 2; channel: string; submit(body: RatingBody): Promise<Evaluation>; onDone(e: Evaluation): void }) {
  const { t, lang } = useI18n();
  const q = t.quality.rating;
  const tooltips = [1, 2, 3, 4, 5].map((l) => LEVEL_LABELS[l as 1 | 2 | 3 | 4 | 5][lang]);
  const [form] = Form.useForm<{ level: number; text?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const level = Form.useWatch('level', form) ?? 0;
  const onFinish = async (values: { level: number; text?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const text = values.text?.length ? values.text : undefined;
      onDone(await submit({ level: values.level, channel, ...(text !== undefined ? { text } : {}) }));
      form.resetFields();
    } catch (err) {
      setError(err);
      setUnmatched(applyFieldErrors(form, err, ['level', 'text']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} aria-label={q.formLabel}>
      <Typography.Paragraph type="secondary">{round === 1 ? q.first : q.followUp}</Typography.Paragraph>
      <Form.Item name="level" label={q.level} rules={[{ required: true, message: q.levelRequired }]}>
        <Rate tooltips={tooltips} aria-label={q.levelAria} />
      </Form.Item>
      {level > 0 && <Typography.Text aria-live="polite">{tooltips[level - 1]}</Typography.Text>}
      {level > 0 && level <= 2 && <Alert type="warning" showIcon title={q.badWarning} style={{ margin: '8px 0' }} />}
      <Form.Item name="text" label={q.text} rules={[{ max: TEXT_MAX, message: q.textMax(TEXT_MAX) }]}>
        <Input.TextArea rows={3} maxLength={TEXT_MAX} showCount placeholder={q.textPlaceholder} />
      </Form.Item>
      <ProblemAlert error={error} unmatched={unmatched} />
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {q.submit}
        </Button>
      </Space>
    </Form>
  );
}
