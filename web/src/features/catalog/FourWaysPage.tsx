import { useMemo, useState } from 'react';
import { Alert, Badge, Card, Col, Row, Select, Skeleton, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { DEPARTMENTS_PATH, type Department } from '../org/api';
import type { FourWaysReport, Indicator, ItemSummary, List } from './api';
import { ItemList } from './ItemList';
import { RatioChart } from './RatioChart';
import { useCursorList } from './useCursorList';
import { LoadMore } from './CursorTable';

export const FOUR_WAYS_PATH = '/api/v1/catalog/four-ways';

/** The four-ways catalog (§1-5): each way's share against the seed's 2019 and 2020 targets, and the items. */
export function FourWaysPage() {
  const { t, lang } = useI18n();
  const f = t.catalog.fourWays;
  const problemText = useProblemText();
  const [departmentId, setDepartmentId] = useState<string>();
  const report = useCursorList<ItemSummary, FourWaysReport>(FOUR_WAYS_PATH, { departmentId, limit: 50 });
  const departments = useApi<List<Department>>(DEPARTMENTS_PATH);
  usePageTitle(f.title);

  const indicators = useMemo(() => report.first?.indicators ?? [], [report.first]);
  const pct = t.catalog.pct;
  const target = (i: Indicator, value: number) => (i.targetKind === 'about' ? f.targetAbout(pct(value)) : f.targetAtLeast(pct(value)));
  const met = (value: boolean | null) =>
    value === null ? <Typography.Text type="secondary">{f.notCounted}</Typography.Text> : <Badge status={value ? 'success' : 'error'} text={value ? f.met : f.notMet} />;

  const chart = useMemo(
    () => ({
      categories: indicators.map((i) => i.label[lang]),
      series: [
        { name: f.current, values: indicators.map((i) => i.ratio), color: '#1456c8' },
        { name: f.target2019, values: indicators.map((i) => i.target2019), color: '#9db8e8' },
        { name: f.target2020, values: indicators.map((i) => i.target2020), color: '#5b8a3c' },
      ],
    }),
    [indicators, lang, f],
  );
  const chartLabel = indicators
    .map((i) => f.chartLabel(i.label[lang], i.ratio === null ? f.notCounted : pct(i.ratio), pct(i.target2019), pct(i.target2020)))
    .join('；');

  return (
    <div className="page">
      <PageHeading title={f.title} intro={f.intro} />
      <div className="toolbar">
        <label htmlFor="four-ways-department">{f.department}</label>
        <Select
          id="four-ways-department"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={f.allDepartments}
          value={departmentId}
          onChange={(id?: string) => setDepartmentId(id)}
          options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          style={{ minWidth: 260 }}
        />
      </div>
      {report.error !== null && report.error !== undefined && <Alert type="error" showIcon title={problemText(report.error)} />}
      {report.loading && !report.first ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        report.first && (
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={9}>
              <Card title={<h2 className="card-title">{f.chartTitle}</h2>} extra={f.total(report.first.counts.items)}>
                <RatioChart categories={chart.categories} series={chart.series} label={chartLabel} />
              </Card>
            </Col>
            <Col xs={24} xl={15}>
              <Card title={<h2 className="card-title">{f.way}</h2>}>
                <Table<Indicator>
                  rowKey="key"
                  size="small"
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={indicators}
                  columns={[
                    {
                      title: f.way,
                      dataIndex: 'key',
                      render: (_, i) => (
                        <>
                          <div>
                            <Link to={`/items?handling=${i.key}`} aria-label={f.viewItems(i.label[lang])}>
                              {i.label[lang]}
                            </Link>
                          </div>
                          <Typography.Text type="secondary" className="indicator-definition">
                            {i.definition[lang]}
                          </Typography.Text>
                        </>
                      ),
                    },
                    { title: f.count, key: 'count', render: (_, i) => f.counted(i.numerator, i.denominator) },
                    { title: f.ratio, dataIndex: 'ratio', render: (ratio: number | null) => (ratio === null ? '—' : pct(ratio)) },
                    { title: f.target2019, key: 't2019', render: (_, i) => <>{target(i, i.target2019)}<div>{met(i.met2019)}</div></> },
                    { title: f.target2020, key: 't2020', render: (_, i) => <>{target(i, i.target2020)}<div>{met(i.met2020)}</div></> },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24}>
              <Card title={<h2 className="card-title">{f.items}</h2>}>
                <ItemList items={report.items} />
                <LoadMore list={report} />
              </Card>
            </Col>
          </Row>
        )
      )}
    </div>
  );
}
