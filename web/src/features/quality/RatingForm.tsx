import { useState } from 'react';
import { Alert, Button, Form, Input, Rate, Space, Typography } from 'antd';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import type { FieldProblem } from '../../app/api';
import { LEVEL_LABELS, TEXT_MAX } from '@server/shared/quality-codes';
import type { Evaluation, RatingBody } from './api';

const TOOLTIPS = [1, 2, 3, 4, 5].map((l) => LEVEL_LABELS[l as 1 | 2 | 3 | 4 | 5].zh);

/** Five stars (5 = 非常满意) and a text, required for an unsatisfied rating; the server's field errors land on the fields. */
export function RatingForm({ round, channel, submit, onDone }: { round: 1 | 2; channel: string; submit(body: RatingBody): Promise<Evaluation>; onDone(e: Evaluation): void }) {
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
    <Form form={form} layout="vertical" onFinish={onFinish} aria-label="服务评价">
      <Typography.Paragraph type="secondary">{round === 1 ? '首次评价' : '追加评价（仅一次）'}</Typography.Paragraph>
      <Form.Item name="level" label="满意度" rules={[{ required: true, message: '请选择满意度' }]}>
        <Rate tooltips={TOOLTIPS} aria-label="满意度（5 星为非常满意）" />
      </Form.Item>
      {level > 0 && <Typography.Text aria-live="polite">{TOOLTIPS[level - 1]}</Typography.Text>}
      {level > 0 && level <= 2 && <Alert type="warning" showIcon title="不满意评价请写明原因，部门将回访并在 5 个工作日内整改。" style={{ margin: '8px 0' }} />}
      <Form.Item name="text" label="评价内容" rules={[{ max: TEXT_MAX, message: `至多 ${TEXT_MAX} 字` }]}>
        <Input.TextArea rows={3} maxLength={TEXT_MAX} showCount placeholder="说说您的办事体验（选填，不满意时必填）" />
      </Form.Item>
      <ProblemAlert error={error} unmatched={unmatched} />
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          提交评价
        </Button>
      </Space>
    </Form>
  );
}
