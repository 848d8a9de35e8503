import { Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../app/i18n';
import type { ItemSummary } from './api';
import { FourWayBadges, useCodeLabels } from './codes';

/** Found items: name (to the guide), department and type, four-ways badges, time limits. */
export function ItemList({ items, headingLevel = 3, empty }: { items: ItemSummary[]; headingLevel?: 2 | 3; empty?: string }) {
  const { t } = useI18n();
  const labels = useCodeLabels();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  if (items.length === 0) return <Empty description={empty ?? t.catalog.search.empty} />;
  const days = (n: number) => (n === 0 ? t.catalog.immediateDays : t.catalog.days(n));
  return (
    <ol className="item-list">
      {items.map((item) => (
        <li key={item.implementationCode} className="item-row">
          <div className="item-row-main">
            <H className="item-name">
              <Link to={`/items/${encodeURIComponent(item.implementationCode)}`}>{item.name}</Link>
            </H>
            <Typography.Text type="secondary" className="item-meta">
              {item.departmentName} · {labels.itemType(item.type)}
            </Typography.Text>
            <FourWayBadges handling={item.handling} />
          </div>
          <dl className="item-days">
            <div>
              <dt>{t.catalog.search.promised}</dt>
              <dd>{days(item.promisedDays)}</dd>
            </div>
            <div>
              <dt>{t.catalog.search.legal}</dt>
              <dd>{days(item.legalDays)}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ol>
  );
}
