import { Card, Collapse } from 'antd';
import { useApi } from '../../app/useApi';
import { useI18n } from '../../app/i18n';
import type { FaqList } from './api';

/** The item's FAQ on its guide: answered consultations a department chose to publish. Nothing shows while there are none. */
export function ItemFaq({ itemCode }: { itemCode: string }) {
  const { t } = useI18n();
  const faq = useApi<FaqList>(`/api/v1/items/${itemCode}/faq`);
  const items = faq.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card title={<h2 className="card-title">{t.quality.faq.title}</h2>}>
      <Collapse items={items.map((f, i) => ({ key: String(i), label: f.question, children: <><p style={{ whiteSpace: 'pre-wrap' }}>{f.answer}</p><small>{t.quality.faq.department(f.departmentName)}</small></> }))} />
    </Card>
  );
}
