import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import type { FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useApi } from '../../app/useApi';
import { qualityApi, type RecordedVisit } from './api';

/** The window clerk records the visit just served and shows the visitor its QR code: scanning it opens the rating page of this visit. */
export function VisitRecorder() {
  const { t } = useI18n();
  const v = t.quality.visit;
  // only the halls of the clerk's region and below: a visit elsewhere is refused (evaluation_hall_out_of_region)
  const halls = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/halls', { mine: true });
  const [form] = Form.useForm<{ hallId: string; window: string; itemCode?: string }>();
  const [visit, setVisit] = useState<{ recorded: RecordedVisit; url: string; image: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const submit = async (values: { hallId: string; window: string; itemCode?: string }) => {
    setError(null);
    try {
      const recorded = await qualityApi.recordVisit({ hallId: values.hallId, window: values.window, ...(values.itemCode ? { itemCode: values.itemCode } : {}) });
      const url = `${location.origin}${recorded.ratingPath}`;
      setVisit({ recorded, url, image: await QRCode.toDataURL(url, { margin: 1, width: 240 }) });
    } catch (err) {
      setError(err);
      setUnmatched(applyFieldErrors(form, err, ['hallId', 'window', 'itemCode']));
    }
  };
  return (
    <Card>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{v.intro}</Typography.Paragraph>
        <Form form={form} layout="inline" onFinish={(values) => void submit(values)}>
          <Form.Item name="hallId" label={v.hall} rules={[{ required: true }]}>
            <Select aria-label={v.hall} style={{ width: 240 }} options={(halls.data?.items ?? []).map((h) => ({ value: h.id, label: h.name }))} />
          </Form.Item>
          <Form.Item name="window" label={v.window} rules={[{ required: true }]}><Input style={{ width: 100 }} maxLength={20} /></Form.Item>
          <Form.Item name="itemCode" label={v.item}><Input style={{ width: 220 }} maxLength={64} /></Form.Item>
          <Button type="primary" htmlType="submit">{v.submit}</Button>
        </Form>
        <ProblemAlert error={error} unmatched={unmatched} />
        {visit && (
          <Space orientation="vertical" align="center" style={{ width: '100%' }}>
            <Alert type="success" showIcon title={v.recorded(visit.recorded.hallName, visit.recorded.window)} />
            <img src={visit.image} alt={v.qrAlt(visit.recorded.window)} width={200} height={200} />
            <Typography.Link href={visit.url} target="_blank">{v.open}</Typography.Link>
          </Space>
        )}
      </Space>
    </Card>
  );
}
