import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Input, Row, Select, Skeleton, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { FOUR_WAYS, ITEM_TYPES, SERVICE_OBJECTS, THEMES } from '@server/shared/catalog-codes';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { DEPARTMENTS_PATH, type Department, type List } from '../org/api';
import { ITEMS_PATH, type ItemSummary } from './api';
import { useCodeLabels } from './codes';
import { ItemList } from './ItemList';
import { useCursorList } from './useCursorList';

const FILTERS = ['type', 'objectType', 'departmentId', 'handling', 'theme'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZE = 20;

/** Search and filters live in the address, so a result list can be bookmarked, shared and reached from the home page. */
export function ItemSearchPage() {
  const { t } = useI18n();
  const s = t.catalog.search;
  const labels = useCodeLabels();
  const problemText = useProblemText();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  usePageTitle(q ? `${q} - ${s.title}` : s.title);
  // Keep the box in step with the address (back button, a link from the home page).
  useEffect(() => setText(q), [q]);

  const query: Record<string, string | number | undefined> = { q: q || undefined, limit: PAGE_SIZE };
  for (const f of FILTERS) query[f] = params.get(f) ?? undefined;
  const list = useCursorList<ItemSummary>(ITEMS_PATH, query);
  const departments = useApi<List<Department>>(DEPARTMENTS_PATH);

  const update = (changes: Partial<Record<Filter | 'q', string | undefined>>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  const options: Record<Filter, Array<{ value: string; label: string }>> = {
    type: ITEM_TYPES.map((code) => ({ value: code, label: labels.itemType(code) })),
    objectType: SERVICE_OBJECTS.map((code) => ({ value: code, label: labels.serviceObject(code) })),
    departmentId: (departments.data?.items ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name })),
    handling: FOUR_WAYS.map((way) => ({ value: way, label: labels.fourWay(way) })),
    theme: THEMES.map((theme) => ({ value: theme, label: labels.theme(theme) })),
  };
  const filterLabels: Record<Filter, string> = { type: s.type, objectType: s.objectType, departmentId: s.department, handling: s.handling, theme: s.theme };
  const anyFilter = FILTERS.some((f) => params.get(f)) || q !== '';

  return (
    <div className="page">
      <PageHeading title={s.title} intro={s.intro} />
      <Card className="search-card">
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            update({ q: text.trim() || undefined });
          }}
        >
          <label htmlFor="item-search" className="search-label">
            {s.searchLabel}
          </label>
          <div className="search-box">
            <Input id="item-search" size="large" allowClear value={text} onChange={(e) => setText(e.target.value)} placeholder={s.searchPlaceholder} maxLength={100} />
            <Button type="primary" size="large" htmlType="submit">
              {s.search}
            </Button>
          </div>
        </form>
        <fieldset className="filters">
          <legend className="visually-hidden">{s.filters}</legend>
          <Row gutter={[12, 12]}>
            {FILTERS.map((f) => (
              <Col key={f} xs={24} sm={12} lg={f === 'departmentId' ? 6 : 4} xl={f === 'departmentId' ? 6 : 4}>
                <label htmlFor={`filter-${f}`} className="filter-label">
                  {filterLabels[f]}
                </label>
                <Select
                  id={`filter-${f}`}
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t.catalog.all}
                  value={params.get(f) ?? undefined}
                  onChange={(value?: string) => update({ [f]: value })}
                  options={options[f]}
                  style={{ width: '100%' }}
                />
              </Col>
            ))}
            <Col xs={24} lg={2} className="filters-clear">
              <Button type="link" disabled={!anyFilter} onClick={() => setParams(new URLSearchParams())}>
                {s.clear}
              </Button>
            </Col>
          </Row>
        </fieldset>
      </Card>

      <section aria-labelledby="results-title" className="search-results" aria-busy={list.loading}>
        <div className="results-head">
          <Typography.Title level={2} id="results-title" className="table-title">
            {s.results}
          </Typography.Title>
          {!list.loading && (
            <Typography.Text type="secondary" role="status">
              {s.shown(list.items.length)}
            </Typography.Text>
          )}
        </div>
        {list.error !== null && list.error !== undefined && <Alert type="error" showIcon title={problemText(list.error)} action={<Button onClick={list.reload}>{t.common.retry}</Button>} />}
        {list.loading ? <Skeleton active paragraph={{ rows: 6 }} /> : !list.error && <ItemList items={list.items} />}
        {!list.loading && list.items.length > 0 && (
          <div className="load-more">
            {list.nextCursor ? (
              <Button onClick={list.loadMore} loading={list.loadingMore} size="large">
                {t.common.loadMore}
              </Button>
            ) : (
              <Typography.Text type="secondary">{s.noMore}</Typography.Text>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
