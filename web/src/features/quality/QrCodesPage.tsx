import { useEffect, useState } from 'react';
import { Card, Col, Form, InputNumber, Row, Select, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { PageHeading } from '../../app/layout/chrome';
import { useApi } from '../../app/useApi';
import { useI18n } from '../../app/i18n';

/** QR codes to print for a hall's windows: each opens the rating page of that window on a phone. */
export function QrCodesPage() {
  const { t } = useI18n();
  const q = t.quality.qr;
  const halls = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/halls');
  const departments = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/departments');
  const [hallId, setHallId] = useState<string>();
  const [departmentId, setDepartmentId] = useState<string>();
  const [windows, setWindows] = useState(4);
  const [codes, setCodes] = useState<Array<{ window: string; url: string; image: string }>>([]);
  useEffect(() => {
    if (!hallId || !departmentId) return;
    let cancelled = false;
    const list = Array.from({ length: windows }, (_, i) => `A${i + 1}`);
    void Promise.all(list.map(async (w) => {
      const url = `${location.origin}/rate/hall/${hallId}/${w}?dept=${departmentId}`;
      return { window: w, url, image: await QRCode.toDataURL(url, { margin: 1, width: 200 }) };
    })).then((c) => { if (!cancelled) setCodes(c); });
    return () => { cancelled = true; };
  }, [hallId, departmentId, windows]);
  return (
    <div className="page">
      <PageHeading title={q.title} intro={q.intro} />
      <Card>
        <Form layout="inline">
          <Form.Item label={q.hall}><Select aria-label={q.hall} style={{ width: 240 }} value={hallId} onChange={setHallId} options={(halls.data?.items ?? []).map((h) => ({ value: h.id, label: h.name }))} /></Form.Item>
          <Form.Item label={q.department}><Select aria-label={q.department} style={{ width: 260 }} showSearch optionFilterProp="label" value={departmentId} onChange={setDepartmentId} options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} /></Form.Item>
          <Form.Item label={q.windows}><InputNumber aria-label={q.windows} min={1} max={40} value={windows} onChange={(v) => setWindows(v ?? 1)} /></Form.Item>
        </Form>
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {codes.map((c) => (
          <Col key={c.window} xs={12} md={6}>
            <Card size="small">
              <Space orientation="vertical" align="center" style={{ width: '100%' }}>
                <img src={c.image} alt={q.alt(c.window)} width={160} height={160} />
                <Typography.Text strong>{q.caption(c.window)}</Typography.Text>
                <Typography.Link href={c.url} target="_blank" style={{ fontSize: 12 }}>{q.open}</Typography.Link>
              </Space>
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
