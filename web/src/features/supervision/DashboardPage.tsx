import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../app/api';
import { useApi } from '../../app/useApi';
import { useProblemText } from '../../app/problems';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { todayInShanghai } from '../calendar/api';
import { StatusTag } from '../cases/codes';
import type { CaseStatusCode } from '../cases/api';
import { DEPARTMENTS_PATH, type Department, type List } from '../org/api';
import { Chart, RATE_COLOURS } from './Charts';
import { LIVE_REFRESH_MS, SUPERVISION, clockInShanghai, days, pct, type AlertPage, type CasePage, type Evaluation, type IndicatorReport, type Monitor } from './api';

const LEVEL_COLOURS: Record<string, string> = { red: 'red', yellow: 'gold', green: 'green', stopped: 'default', waiting: 'blue', anomaly: 'purple' };

const DRILL_FILTERS = ['late', 'open', 'corrected', 'refused', 'instant', 'commitment'] as const;

/** The live monitor, polled every LIVE_REFRESH_MS while the page is open. */
function useLive<T>(path: string, query: Record<string, string | undefined>): { data: T | undefined; error: unknown; at: Date | null } {
  const { lang } = useI18n();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; at: Date | null }>({ data: undefined, error: null, at: null });
  const key = JSON.stringify(query);
  // Asked again at once when the language changes, not at the next tick: the alerts' kind labels come worded by the server.
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api.get<T>(path, JSON.parse(key) as Record<string, string>).then(
        (data) => !stopped && setState({ data, error: null, at: new Date() }),
        (error: unknown) => !stopped && setState((s) => ({ ...s, error })),
      );
    void load();
    const timer = setInterval(() => void load(), LIVE_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [path, key, lang]);
  return state;
}

/**
 * The command centre (效能监督指挥中心): the period's indicators beside their targets, districts
 * as a schematic treemap (no map data is shipped: each district a tile sized by cases received,
 * coloured by its on-time rate), department ranking, the trend, and the live monitor refreshed
 * every 10 s. With a department chosen (or for a department admin) it is the department view.
 */
export function SupervisionDashboardPage() {
  const { t, lang } = useI18n();
  const s = t.supervision;
  const problem = useProblemText();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs(todayInShanghai());
    return [today.startOf('month'), today];
  });
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [drill, setDrill] = useState<{ departmentId?: string; filter: string } | null>(null);
  const departments = useApi<List<Department>>(DEPARTMENTS_PATH);
  const query = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), departmentId };
  const report = useApi<IndicatorReport>(SUPERVISION.indicators, query);
  const monitor = useLive<Monitor>(SUPERVISION.monitor, { departmentId });
  const alerts = useLive<AlertPage>(SUPERVISION.alerts, { departmentId, limit: '10' } as Record<string, string | undefined>);
  const evaluation = useApi<Evaluation>(departmentId ? null : SUPERVISION.evaluation);
  const drilled = useApi<CasePage>(drill ? SUPERVISION.cases : null, drill ? { ...query, departmentId: drill.departmentId ?? departmentId, filter: drill.filter, limit: 50 } : undefined);
  const r = report.data;
  const title = departmentId ? s.dashboard.departmentTitle : s.dashboard.title;
  usePageTitle(title);
  const exportHref = `${SUPERVISION.export}?${new URLSearchParams(Object.entries(query).filter(([, v]) => v) as Array<[string, string]>).toString()}`;
  const onDepartmentClick = useCallback((name: string) => {
    const d = r?.byDepartment.find((x) => x.departmentName === name);
    if (d) setDrill({ departmentId: d.departmentId, filter: 'late' });
  }, [r]);

  const levelTag = (v: string) => <Tag color={LEVEL_COLOURS[v]}>{s.levels[v] ?? v}</Tag>;
  const yesNo = (v: boolean | null) => (v === null ? '—' : v ? s.indicators.yes : s.indicators.no);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="page page-wide">
      <PageHeading title={title} intro={s.dashboard.intro} />
      <Space wrap>
        <label>
          {s.dashboard.period}{' '}
          <DatePicker.RangePicker aria-label={s.dashboard.period} value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} />
        </label>
        <label>
          {s.dashboard.department}{' '}
          <Select
            aria-label={s.dashboard.department}
            allowClear
            placeholder={s.dashboard.allDepartments}
            style={{ minWidth: 240 }}
            value={departmentId}
            onChange={(v: string | undefined) => setDepartmentId(v)}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </label>
        <Button href={exportHref}>{s.dashboard.export}</Button>
      </Space>
      {report.error ? <Alert type="error" showIcon message={problem(report.error)} /> : null}

      <Card title={s.live.title(LIVE_REFRESH_MS / 1000, monitor.at ? clockInShanghai(monitor.at) : null)} size="small">
        {monitor.error ? <Alert type="error" showIcon message={problem(monitor.error)} /> : null}
        <Row gutter={16} role="list" aria-label={s.live.levelsLabel}>
          {(['green', 'yellow', 'red', 'stopped'] as const).map((k) => (
            <Col xs={12} md={6} key={k} role="listitem">
              <Statistic title={s.levels[k]} value={monitor.data?.totals[k] ?? 0} valueStyle={{ color: k === 'red' ? '#cf1322' : k === 'yellow' ? '#d48806' : undefined }} />
            </Col>
          ))}
        </Row>
        <Table
          size="small"
          rowKey="caseNumber"
          pagination={false}
          scroll={{ x: true }}
          aria-label={s.live.casesLabel}
          dataSource={monitor.data?.cases ?? []}
          columns={[
            { title: s.live.caseNumber, dataIndex: 'caseNumber' },
            { title: s.live.item, dataIndex: 'itemName' },
            { title: s.live.department, dataIndex: 'departmentName' },
            { title: s.live.deadline, dataIndex: 'deadline' },
            { title: s.live.elapsed, dataIndex: 'elapsedWorkdays' },
            { title: s.live.remaining, dataIndex: 'remainingWorkdays' },
            { title: s.live.stepElapsed, dataIndex: 'stepElapsedWorkdays', render: (v: number | null) => v ?? '—' },
            { title: s.live.stepRemaining, dataIndex: 'stepRemainingWorkdays', render: (v: number | null) => v ?? '—' },
            { title: s.live.status, dataIndex: 'level', render: levelTag },
          ]}
        />
      </Card>

      <Card title={s.indicators.title} size="small" loading={report.loading && !r}>
        <Row gutter={[16, 16]}>
          {(r?.indicators ?? []).map((f) => (
            <Col xs={12} md={8} lg={6} key={f.key}>
              <Statistic
                title={f.label[lang]}
                value={f.unit === 'ratio' ? pct(f.value) : days(f.value)}
                suffix={f.met === null ? undefined : <Tag color={f.met ? 'green' : 'red'}>{f.met ? s.indicators.met : s.indicators.notMet}</Tag>}
              />
              {f.value === null && f.key.match(/satisfaction|rectification|complaint/) ? <Typography.Text type="secondary">{s.indicators.qualityMissing}</Typography.Text> : null}
            </Col>
          ))}
        </Row>
        <Table
          size="small"
          style={{ marginTop: 16 }}
          rowKey="key"
          pagination={false}
          aria-label={s.indicators.fourWaysLabel}
          dataSource={r?.catalog ?? []}
          columns={[
            { title: s.indicators.fourWays, render: (_: unknown, c: IndicatorReport['catalog'][number]) => c.label[lang] },
            { title: s.indicators.ratio, dataIndex: 'ratio', render: pct },
            { title: s.indicators.target(2019), dataIndex: 'target2019', render: pct },
            { title: s.indicators.metIn(2019), dataIndex: 'met2019', render: yesNo },
            { title: s.indicators.target(2020), dataIndex: 'target2020', render: pct },
            { title: s.indicators.metIn(2020), dataIndex: 'met2020', render: yesNo },
          ]}
        />
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={s.regions.title} size="small">
            <Chart
              label={s.regions.chartLabel}
              option={{
                tooltip: {},
                visualMap: { min: 0.5, max: 1, inRange: { color: RATE_COLOURS }, dimension: 1, show: true, text: [s.regions.scaleHigh, s.regions.scaleLow], orient: 'horizontal', left: 'center', bottom: 0 },
                series: [{ type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false }, bottom: 40, data: (r?.byRegion ?? []).map((g) => ({ name: g.regionName, value: [Math.max(g.received, 1), g.onTimeRate ?? 1] })) }],
              }}
            />
            <Table size="small" rowKey="regionCode" pagination={false} dataSource={r?.byRegion ?? []} aria-label={s.regions.tableLabel} columns={[{ title: s.regions.region, dataIndex: 'regionName' }, { title: s.figures.received, dataIndex: 'received' }, { title: s.figures.decided, dataIndex: 'decided' }, { title: s.figures.onTimeRate, dataIndex: 'onTimeRate', render: pct }]} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={s.trend.title} size="small">
            <Chart
              label={s.trend.chartLabel}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { left: 48, right: 48, top: 32, bottom: 32 },
                xAxis: { type: 'category', data: (r?.trend ?? []).map((b) => b.bucket) },
                yAxis: [{ type: 'value' }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
                series: [
                  { name: s.figures.received, type: 'bar', data: (r?.trend ?? []).map((b) => b.received) },
                  { name: s.figures.decided, type: 'bar', data: (r?.trend ?? []).map((b) => b.decided) },
                  { name: s.figures.onTimeRate, type: 'line', yAxisIndex: 1, data: (r?.trend ?? []).map((b) => (b.onTimeRate === null ? null : Math.round(b.onTimeRate * 1000) / 10)) },
                ],
              }}
            />
          </Card>
        </Col>
      </Row>

      <Card title={s.ranking.title} size="small">
        <Chart
          label={s.ranking.chartLabel}
          height={Math.max(200, (r?.byDepartment.length ?? 0) * 26)}
          onClick={onDepartmentClick}
          option={{
            grid: { left: 200, right: 32, top: 8, bottom: 24 },
            tooltip: {},
            xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
            yAxis: { type: 'category', inverse: true, data: [...(r?.byDepartment ?? [])].sort((a, b) => (b.onTimeRate ?? 0) - (a.onTimeRate ?? 0)).map((d) => d.departmentName) },
            series: [{ type: 'bar', itemStyle: { color: '#1677ff' }, data: [...(r?.byDepartment ?? [])].sort((a, b) => (b.onTimeRate ?? 0) - (a.onTimeRate ?? 0)).map((d) => (d.onTimeRate === null ? null : Math.round(d.onTimeRate * 1000) / 10)) }],
          }}
        />
        <Table
          size="small"
          rowKey="departmentId"
          scroll={{ x: true }}
          aria-label={s.ranking.tableLabel}
          dataSource={r?.byDepartment ?? []}
          columns={[
            { title: s.ranking.department, dataIndex: 'departmentName' },
            { title: s.figures.received, dataIndex: 'received' },
            { title: s.figures.decided, dataIndex: 'decided' },
            { title: s.figures.onTimeRate, dataIndex: 'onTimeRate', render: pct },
            { title: s.ranking.averageWorkdays, dataIndex: 'averageWorkdays', render: days },
            { title: s.ranking.correctionRate, dataIndex: 'correctionRate', render: pct },
            { title: s.ranking.refusalRate, dataIndex: 'refusalRate', render: pct },
            { title: s.ranking.drill, render: (_: unknown, d: IndicatorReport['byDepartment'][number]) => <Button size="small" onClick={() => setDrill({ departmentId: d.departmentId, filter: 'late' })}>{s.ranking.drillLate}</Button> },
          ]}
        />
      </Card>

      {drill ? (
        <Card title={s.drill.title} size="small" extra={<Button size="small" onClick={() => setDrill(null)}>{s.drill.close}</Button>}>
          <Space style={{ marginBottom: 8 }}>
            <Select aria-label={s.drill.filterLabel} value={drill.filter} onChange={(filter: string) => setDrill({ ...drill, filter })} options={DRILL_FILTERS.map((value) => ({ value, label: s.drill.filters[value] }))} />
          </Space>
          <Table size="small" rowKey="caseNumber" loading={drilled.loading} scroll={{ x: true }} aria-label={s.drill.tableLabel} dataSource={drilled.data?.items ?? []} columns={[{ title: s.drill.caseNumber, dataIndex: 'caseNumber' }, { title: s.drill.item, dataIndex: 'itemName' }, { title: s.drill.department, dataIndex: 'departmentName' }, { title: s.drill.deadline, dataIndex: 'deadline' }, { title: s.drill.handlingWorkdays, dataIndex: 'handlingWorkdays' }, { title: s.drill.status, dataIndex: 'status', render: (status: CaseStatusCode) => <StatusTag status={status} /> }]} />
        </Card>
      ) : null}

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={s.alerts.title} size="small">
            <Table size="small" rowKey="id" pagination={false} scroll={{ x: true }} aria-label={s.alerts.tableLabel} dataSource={alerts.data?.items ?? []} columns={[{ title: s.alerts.level, dataIndex: 'level', render: levelTag }, { title: s.alerts.kind, dataIndex: 'kindLabel' }, { title: s.alerts.caseNumber, dataIndex: 'caseNumber' }, { title: s.alerts.department, dataIndex: 'departmentName' }]} />
          </Card>
        </Col>
        {!departmentId && evaluation.data ? (
          <Col xs={24} lg={12}>
            <Card title={s.evaluation.title(evaluation.data.month)} size="small">
              <Table size="small" rowKey="departmentId" pagination={{ pageSize: 10 }} aria-label={s.evaluation.tableLabel} dataSource={evaluation.data.departments} columns={[{ title: s.evaluation.rank, dataIndex: 'rank' }, { title: s.evaluation.department, dataIndex: 'departmentName' }, { title: s.evaluation.score, dataIndex: 'score', render: (v: number | null) => v ?? '—' }, { title: s.figures.onTimeRate, dataIndex: 'onTimeRate', render: pct }]} />
            </Card>
          </Col>
        ) : null}
      </Row>
    </Space>
  );
}
