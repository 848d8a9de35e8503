import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, InputNumber, Space, Tag, Typography } from 'antd';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import type { FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useApi } from '../../app/useApi';
import { flattenSettings, QUALITY_SETTING_BOUNDS, QUALITY_SETTING_KEYS, type QualitySettingKey } from '@server/shared/quality-codes';
import { qualityApi, type QualitySettings } from './api';

/**
 * The system administrator's quality settings: the rating, rectification and confirmation periods
 * and the ticket deadlines, each with the environment's default beside it and a way back to it.
 * The form's fields are the flat keys (`ticketDeadlines.complaint`), as the server names errors.
 */
export function QualitySettingsPage() {
  const { t } = useI18n();
  const s = t.quality.settings;
  const view = useApi<QualitySettings>('/api/v1/admin/quality-settings');
  const [form] = Form.useForm<Record<QualitySettingKey, number>>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (view.data) form.setFieldsValue(flattenSettings(view.data));
  }, [view.data, form]);
  const send = async (body: Parameters<typeof qualityApi.saveSettings>[0]) => {
    setError(null);
    setSaved(false);
    try {
      await qualityApi.saveSettings(body);
      setSaved(true);
      view.reload();
    } catch (err) {
      setError(err);
      setUnmatched(applyFieldErrors(form, err, QUALITY_SETTING_KEYS));
    }
  };
  const save = (values: Record<QualitySettingKey, number>) => {
    const current = view.data ? flattenSettings(view.data) : null;
    const changed = QUALITY_SETTING_KEYS.filter((k) => current === null || values[k] !== current[k]);
    if (changed.length === 0) return;
    const top = Object.fromEntries(changed.filter((k) => !k.startsWith('ticketDeadlines.')).map((k) => [k, values[k]]));
    const deadlines = Object.fromEntries(changed.filter((k) => k.startsWith('ticketDeadlines.')).map((k) => [k.slice('ticketDeadlines.'.length), values[k]]));
    void send({ ...top, ...(Object.keys(deadlines).length > 0 ? { ticketDeadlines: deadlines } : {}) });
  };
  const defaults = view.data ? flattenSettings(view.data.defaults) : null;
  return (
    <div className="page">
      <PageHeading title={s.title} intro={s.intro} />
      <Card>
        <ProblemAlert error={view.error} />
        <Form form={form} layout="vertical" onFinish={save} aria-label={s.title}>
          {QUALITY_SETTING_KEYS.map((key) => (
            <Form.Item
              key={key}
              name={key}
              label={s.labels[key]}
              extra={defaults && (
                <Space wrap>
                  <Typography.Text type="secondary">{s.default(defaults[key])}</Typography.Text>
                  {view.data?.overridden.includes(key) && <Tag color="blue">{s.overridden}</Tag>}
                  {view.data?.overridden.includes(key) && <Button size="small" type="link" onClick={() => void send({ reset: [key] })}>{s.reset}</Button>}
                </Space>
              )}
              rules={[{ required: true }]}
            >
              <InputNumber min={QUALITY_SETTING_BOUNDS[key].min} max={QUALITY_SETTING_BOUNDS[key].max} precision={0} aria-label={s.labels[key]} />
            </Form.Item>
          ))}
          <ProblemAlert error={error} unmatched={unmatched} />
          {saved && <Alert type="success" showIcon title={s.saved} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit">{s.save}</Button>
        </Form>
      </Card>
    </div>
  );
}
