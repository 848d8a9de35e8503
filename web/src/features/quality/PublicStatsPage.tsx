import { useState } from 'react';
import { Card, DatePicker, Space, Statistic, Table, Tabs, Row, Col } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { Loading } from '../../app/status';
import { useApi } from '../../app/useApi';
import { STATS_PATH, type PublicStats } from './api';
import { StatsChart } from './StatsChart';

type Group = PublicStats['byDepartment'][number];
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** 好差评公开: satisfaction by department, item, hall and month, with the rectification rate; counts only, never a person. */
export function PublicStatsPage() {
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const query = range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {};
  const stats = useApi<PublicStats>(STATS_PATH, query);
  const exportHref = `${STATS_PATH}.xlsx${range ? `?from=${query.from}&to=${query.to}` : ''}`;
  const columns = (label: string) => [
    { title: label, dataIndex: 'name', key: 'name' },
    { title: '评价数', dataIndex: 'evaluations', key: 'evaluations' },
    { title: '满意率', key: 'sat', render: (_: unknown, g: Group) => pct(g.satisfactionRate) },
    { title: '差评', dataIndex: 'badReviews', key: 'bad' },
    { title: '整改率', key: 'rect', render: (_: unknown, g: Group) => pct(g.rectificationRate) },
  ];
  const tab = (key: string, label: string, groups: Group[]) => ({
    key,
    label,
    children: (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {groups.length > 0 && <StatsChart label={`${label}评价分布与满意率`} categories={groups.slice(0, 12).map((g) => g.name)} byLevel={groups.slice(0, 12).map((g) => g.byLevel)} rates={groups.slice(0, 12).map((g) => g.satisfactionRate)} />}
        <Table rowKey="key" size="small" pagination={false} dataSource={groups} columns={columns(label)} scroll={{ x: true }} />
      </Space>
    ),
  });
  return (
    <div className="page">
      <PageHeading
        title="好差评公开"
        intro="政务服务评价情况：按部门、事项、大厅和月份统计的满意率与差评整改率。仅公开统计数字，不含任何个人信息。"
        extra={
          <Space wrap>
            <DatePicker.RangePicker aria-label="统计期间" value={range} onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)} disabledDate={(d) => d.isAfter(dayjs())} />
            <a href={exportHref} download>导出 Excel</a>
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
              <Col xs={12} md={6}><Statistic title={`评价数（${stats.data.from} 至 ${stats.data.to}）`} value={stats.data.totals.evaluations} /></Col>
              <Col xs={12} md={6}><Statistic title="满意率" value={pct(stats.data.totals.satisfactionRate)} /></Col>
              <Col xs={12} md={6}><Statistic title="差评数" value={stats.data.totals.badReviews} /></Col>
              <Col xs={12} md={6}><Statistic title="差评整改率" value={pct(stats.data.totals.rectificationRate)} /></Col>
            </Row>
          </Card>
          <Card>
            <Tabs items={[tab('department', '部门', stats.data.byDepartment), tab('item', '事项', stats.data.byItem), tab('hall', '大厅', stats.data.byHall), tab('month', '月份', stats.data.byMonth)]} />
          </Card>
        </Space>
      )}
    </div>
  );
}
