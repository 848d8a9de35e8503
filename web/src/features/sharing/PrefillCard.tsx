import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, type FormInstance } from 'antd';
import { CloudDownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../app/i18n';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { formatInstant } from '../cases/format';
import type { FormField } from '../cases/SchemaForm';
import { PREFILL_OPTIONS_PATH, sharingApi, type PrefillOptions, type PrefillPreview } from './api';
import { useReasonText } from './codes';
import { fitValue, targetOf } from './prefill';
import './sharing.css';

interface PreviewRow {
  key: string;
  source: string;
  label: string;
  value: string;
  target?: FormField;
  fitted: unknown;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
}

/**
 * 使用共享数据预填 (once-only, as in the EU's once-only technical system): the data the item's
 * department may fetch about the applicant, a consent, then a preview; values go into the form
 * only when the applicant confirms. Without consent nothing is fetched. Shown only when shared
 * data would fill at least one field of this form.
 */
export function PrefillCard({ itemCode, fields, form }: { itemCode: string; fields: readonly FormField[]; form: FormInstance }) {
  const { t } = useI18n();
  const p = t.sharing.prefill;
  const { message } = App.useApp();
  const reasonText = useReasonText();
  const options = useApi<PrefillOptions>(PREFILL_OPTIONS_PATH, { itemCode });
  const [consent, setConsent] = useState(false);
  const [fetching, setFetching] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [preview, setPreview] = useState<PrefillPreview | null>(null);
  const [done, setDone] = useState<'applied' | 'discarded' | null>(null);

  const usable = (options.data?.resources ?? []).filter((r) => r.fields.some((f) => targetOf(fields, r.code, f.name)));
  if (usable.length === 0 || done === 'discarded') return null;
  const codeOf = new Map(usable.map((r) => [r.resourceId, r.code]));

  const fetchPreview = async () => {
    if (!consent) return;
    setFetching(true);
    setError(null);
    try {
      setPreview(await sharingApi.prefillPreview(itemCode, usable.map((r) => r.resourceId)));
    } catch (err) {
      setError(err);
    } finally {
      setFetching(false);
    }
  };

  const rows: PreviewRow[] = (preview?.resources ?? []).flatMap((r) =>
    r.values.map((v) => {
      const target = targetOf(fields, codeOf.get(r.resourceId) ?? '', v.field);
      return { key: `${r.resourceId}:${v.field}`, source: r.name, label: v.label, value: display(v.value), target, fitted: target ? fitValue(target, v.value) : undefined };
    }),
  );

  const apply = () => {
    const values: Record<string, unknown> = {};
    for (const row of rows) if (row.target && row.fitted !== undefined && !(row.target.key in values)) values[row.target.key] = row.fitted;
    const n = Object.keys(values).length;
    if (n === 0) {
      message.info(p.nothingToApply);
      return;
    }
    form.setFieldsValue(values);
    setDone('applied');
    message.success(p.applied(n));
  };

  return (
    <Card className="prefill-card" size="small" title={<h3 className="card-title">{p.title}</h3>}>
      {done === 'applied' ? (
        <Alert type="success" showIcon title={p.applied(rows.filter((r) => r.target && r.fitted !== undefined).length)} />
      ) : preview ? (
        <section aria-labelledby="prefill-preview-title">
          <h4 className="review-subtitle" id="prefill-preview-title">
            {p.previewTitle}
          </h4>
          <p>{p.previewIntro}</p>
          {preview.resources
            .filter((r) => r.status !== 'ok')
            .map((r) => (
              <Alert key={r.resourceId} type="warning" showIcon className="apply-alert" title={`${r.name}：${r.status === 'not_found' ? p.notFound : p.unavailable(reasonText(r.reason))}`} />
            ))}
          <ul className="prefill-values" aria-label={p.previewTitle}>
            {rows.map((row) => (
              <li key={row.key}>
                <span className="muted-note">
                  {row.source} · {row.label}
                </span>
                <strong>{row.value}</strong>
                <span className={row.target && row.fitted !== undefined ? undefined : 'muted-note'}>
                  {row.target && row.fitted !== undefined ? p.targetField(row.target.label) : p.noTarget}
                </span>
              </li>
            ))}
          </ul>
          <p className="muted-note">{p.expires(formatInstant(preview.expiresAt))}</p>
          <div className="prefill-actions">
            <Button type="primary" onClick={apply}>
              {p.apply}
            </Button>
            <Button onClick={() => setDone('discarded')}>{p.discard}</Button>
          </div>
        </section>
      ) : (
        <>
          <p>{p.intro(options.data!.departmentName)}</p>
          <ul className="prefill-sources">
            {usable.map((r) => (
              <li key={r.resourceId}>
                <strong>{p.from(r.name, r.providerDepartmentName)}</strong>：{r.fields.map((f) => f.label).join('、')}
              </li>
            ))}
          </ul>
          <Checkbox checked={consent} onChange={(e) => setConsent(e.target.checked)}>
            {p.consent}
          </Checkbox>
          <div className="prefill-actions">
            <Button icon={<CloudDownloadOutlined aria-hidden />} onClick={fetchPreview} disabled={!consent} loading={fetching} aria-describedby={consent ? undefined : 'prefill-consent-hint'}>
              {p.fetch}
            </Button>
            <Button onClick={() => setDone('discarded')}>{p.discard}</Button>
          </div>
          {!consent && (
            <p id="prefill-consent-hint" className="muted-note">
              {p.needConsent}
            </p>
          )}
          <ProblemAlert error={error} />
        </>
      )}
    </Card>
  );
}
