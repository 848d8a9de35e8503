import { useState } from 'react';
import { Card, DatePicker, Space, Statistic, Table, Tabs, Row, Col } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { Loading } from '../../app/status';
import { useApi } from '../../app/useApi';
import { useI18n } from '../../app/i18n';
import { STATS_PATH, type PublicStats } from './api';
import { StatsChart } from './StatsChart';

type Group = PublicStats['byDepartment'][number];
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** 好差评公开: satisfaction by department, item, hall and month, with the rectification rate; counts only, never a person. */
export function PublicStatsPage() {
  const { t } = useI18n();
  const s = t.quality.stats;
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const query = range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {};
  const stats = useApi<PublicStats>(STATS_PATH, query);
  const exportHref = `${STATS_PATH}.xlsx${range ? `?from=${query.from}&to=${query.to}` : ''}`;
  const columns = (label: string) => [
    { title: label, dataIndex: 'name', key: 'name' },
    { title: s.evaluations, dataIndex: 'evaluations', key: 'evaluations' },
    { title: s.satisfaction, key: 'sat', render: (_: unknown, g: Group) => pct(g.satisfactionRate) },
    { title: s.bad, dataIndex: 'badReviews', key: 'bad' },
    { title: s.rectificationRate, key: 'rect', render: (_: unknown, g: Group) => pct(g.rectificationRate) },
  ];
  const tab = (key: string, label: string, groups: Group[]) => ({
    key,
    label,
    children: (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {groups.length > 0 && <StatsChart label={s.chartLabel(label)} categories={groups.slice(0, 12).map((g) => g.name)} byLevel={groups.slice(0, 12).map((g) => g.byLevel)} rates={groups.slice(0, 12).map((g) => g.satisfactionRate)} />}
        <Table rowKey="key" size="small" pagination={false} dataSource={groups} columns={columns(label)} scroll={{ x: true }} />
      </Space>
    ),
  });
  return (
    <div className="page">
      <PageHeading
        title={s.title}
        intro={s.intro}
        extra={
          <Space wrap>
            <DatePicker.RangePicker aria-label={s.period} value={range} onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)} disabledDate={(d) => d.isAfter(dayjs())} />
            <a href={exportHref} download>{s.export}</a>
          </Space>
        }
      />
      {stats.error ? <ProblemAlert error={stats.error} /> : null}
      {!stats.data ? (
        <Loading />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}><Statistic title={s.evaluationsIn(stats.data.from, stats.data.to)} value={stats.data.totals.evaluations} /></Col>
              <Col xs={12} md={6}><Statistic title={s.satisfaction} value={pct(stats.data.totals.satisfactionRate)} /></Col>
              <Col xs={12} md={6}><Statistic title={s.badReviews} value={stats.data.totals.badReviews} /></Col>
              <Col xs={12} md={6}><Statistic title={s.totalRectificationRate} value={pct(stats.data.totals.rectificationRate)} /></Col>
            </Row>
          </Card>
          <Card>
            <Tabs items={[tab('department', s.department, stats.data.byDepartment), tab('item', s.item, stats.data.byItem), tab('hall', s.hall, stats.data.byHall), tab('month', s.month, stats.data.byMonth)]} />
          </Card>
        </Space>
      )}
    </div>
  );
}
