import { Alert, Card, Col, Row, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { SERVICE_OBJECTS } from '@server/shared/catalog-codes';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { type DepartmentCount, type List } from './api';
import { useCodeLabels } from './codes';
import { ThemeLinks } from './ThemeLinks';

export const DEPARTMENT_COUNTS_PATH = '/api/v1/catalog/departments';

/** Browse the published catalog by theme (life event), by service object and by department. */
export function BrowsePage() {
  const { t } = useI18n();
  const b = t.catalog.browse;
  const labels = useCodeLabels();
  usePageTitle(b.title);
  return (
    <div className="page">
      <PageHeading title={b.title} intro={b.intro} />
      <section aria-labelledby="browse-themes" className="section">
        <Typography.Title level={2} id="browse-themes">
          {b.byTheme}
        </Typography.Title>
        <ThemeLinks />
      </section>
      <section aria-labelledby="browse-objects" className="section">
        <Typography.Title level={2} id="browse-objects">
          {b.byObject}
        </Typography.Title>
        <ul className="browse-grid">
          {SERVICE_OBJECTS.map((code) => (
            <li key={code}>
              <Link to={`/items?objectType=${code}`} className="browse-link">
                {labels.serviceObject(code)}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="browse-departments" className="section">
        <Typography.Title level={2} id="browse-departments">
          {b.byDepartment}
        </Typography.Title>
        <DepartmentLinks />
      </section>
    </div>
  );
}

function DepartmentLinks() {
  const { t } = useI18n();
  const problemText = useProblemText();
  const departments = useApi<List<DepartmentCount>>(DEPARTMENT_COUNTS_PATH);
  if (departments.loading) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (departments.error) return <Alert type="error" showIcon title={problemText(departments.error)} />;
  // Grouped by region: the city's departments first, then each district's.
  const byRegion = new Map<string, DepartmentCount[]>();
  const sorted = [...(departments.data?.items ?? [])].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  for (const d of sorted) {
    if (d.itemCount === 0) continue;
    byRegion.set(d.regionName, [...(byRegion.get(d.regionName) ?? []), d]);
  }
  return (
    <Row gutter={[16, 16]}>
      {[...byRegion].map(([region, list]) => (
        <Col key={region} xs={24} md={12} xl={8}>
          <Card size="small" title={<h3 className="card-title">{region}</h3>}>
            <ul className="browse-list">
              {list.map((d) => (
                <li key={d.id}>
                  <Link to={`/items?departmentId=${d.id}`}>{d.name}</Link> <span className="browse-count">{t.catalog.browse.count(d.itemCount)}</span>
                </li>
              ))}
            </ul>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
