import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../app/api';
import { useApi } from '../../app/useApi';
import { useProblemText } from '../../app/problems';
import { usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { DEPARTMENTS_PATH, type Department, type List } from '../org/api';
import { Chart, RATE_COLOURS } from './Charts';
import { LIVE_REFRESH_MS, SUPERVISION, days, pct, type AlertPage, type CasePage, type Evaluation, type IndicatorReport, type Monitor } from './api';

const LEVEL_TAGS: Record<string, { color: string; text: string }> = {
  red: { color: 'red', text: '红色（超期）' },
  yellow: { color: 'gold', text: '黄色（临近）' },
  green: { color: 'green', text: '正常' },
  stopped: { color: 'default', text: '特别程序' },
  waiting: { color: 'blue', text: '待受理' },
  anomaly: { color: 'purple', text: '异常' },
};

/** The live monitor, polled every LIVE_REFRESH_MS while the page is open. */
function useLive<T>(path: string, query: Record<string, string | undefined>): { data: T | undefined; error: unknown; at: Date | null } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; at: Date | null }>({ data: undefined, error: null, at: null });
  const key = JSON.stringify(query);
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
  }, [path, key]);
  return state;
}

/**
 * The command centre (效能监督指挥中心): the period's indicators beside their targets, districts
 * as a schematic treemap (no map data is shipped: each district a tile sized by cases received,
 * coloured by its on-time rate), department ranking, the trend, and the live monitor refreshed
 * every 10 s. With a department chosen (or for a department admin) it is the department view.
 */
export function SupervisionDashboardPage() {
  const problem = useProblemText();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs()]);
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
  const title = departmentId ? '效能监督（部门视图）' : '效能监督';
  usePageTitle(title);
  const exportHref = `${SUPERVISION.export}?${new URLSearchParams(Object.entries(query).filter(([, v]) => v) as Array<[string, string]>).toString()}`;
  const onDepartmentClick = useCallback((name: string) => {
    const d = r?.byDepartment.find((x) => x.departmentName === name);
    if (d) setDrill({ departmentId: d.departmentId, filter: 'late' });
  }, [r]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="page page-wide">
      <PageHeading title={title} intro="办件时限实时监控、效能指标、部门排名与考评（指挥中心）" />
      <Space wrap>
        <label>
          统计期间{' '}
          <DatePicker.RangePicker aria-label="统计期间" value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} />
        </label>
        <label>
          部门{' '}
          <Select
            aria-label="部门"
            allowClear
            placeholder="全部（本人监督范围）"
            style={{ minWidth: 240 }}
            value={departmentId}
            onChange={(v: string | undefined) => setDepartmentId(v)}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </label>
        <Button href={exportHref}>导出 Excel</Button>
      </Space>
      {report.error ? <Alert type="error" showIcon message={problem(report.error)} /> : null}

      <Card title={`实时监控（每 ${LIVE_REFRESH_MS / 1000} 秒刷新${monitor.at ? `，更新于 ${dayjs(monitor.at).format('HH:mm:ss')}` : ''}）`} size="small">
        {monitor.error ? <Alert type="error" showIcon message={problem(monitor.error)} /> : null}
        <Row gutter={16} role="list" aria-label="在办件时限状态">
          {(['green', 'yellow', 'red', 'stopped'] as const).map((k) => (
            <Col xs={12} md={6} key={k} role="listitem">
              <Statistic title={LEVEL_TAGS[k]!.text} value={monitor.data?.totals[k] ?? 0} valueStyle={{ color: k === 'red' ? '#cf1322' : k === 'yellow' ? '#d48806' : undefined }} />
            </Col>
          ))}
        </Row>
        <Table
          size="small"
          rowKey="caseNumber"
          pagination={false}
          scroll={{ x: true }}
          aria-label="最紧迫的在办件"
          dataSource={monitor.data?.cases ?? []}
          columns={[
            { title: '办件编号', dataIndex: 'caseNumber' },
            { title: '事项', dataIndex: 'itemName' },
            { title: '部门', dataIndex: 'departmentName' },
            { title: '期限', dataIndex: 'deadline' },
            { title: '已用工作日', dataIndex: 'elapsedWorkdays' },
            { title: '剩余工作日', dataIndex: 'remainingWorkdays' },
            { title: '当前环节已用', dataIndex: 'stepElapsedWorkdays', render: (v: number | null) => v ?? '—' },
            { title: '当前环节剩余', dataIndex: 'stepRemainingWorkdays', render: (v: number | null) => v ?? '—' },
            { title: '状态', dataIndex: 'level', render: (v: string) => <Tag color={LEVEL_TAGS[v]?.color}>{LEVEL_TAGS[v]?.text ?? v}</Tag> },
          ]}
        />
      </Card>

      <Card title="指标" size="small" loading={report.loading && !r}>
        <Row gutter={[16, 16]}>
          {(r?.indicators ?? []).map((f) => (
            <Col xs={12} md={8} lg={6} key={f.key}>
              <Statistic
                title={f.label.zh}
                value={f.unit === 'ratio' ? pct(f.value) : days(f.value)}
                suffix={f.met === null ? undefined : <Tag color={f.met ? 'green' : 'red'}>{f.met ? '达标' : '未达标'}</Tag>}
              />
              {f.value === null && f.key.match(/satisfaction|rectification|complaint/) ? <Typography.Text type="secondary">评价模块未接入，暂无数据</Typography.Text> : null}
            </Col>
          ))}
        </Row>
        <Table
          size="small"
          style={{ marginTop: 16 }}
          rowKey="key"
          pagination={false}
          aria-label="“四办”指标及目标"
          dataSource={r?.catalog ?? []}
          columns={[
            { title: '“四办”指标（事项目录）', render: (_: unknown, c: IndicatorReport['catalog'][number]) => c.label.zh },
            { title: '比例', dataIndex: 'ratio', render: pct },
            { title: '2019年目标', dataIndex: 'target2019', render: pct },
            { title: '2019达标', dataIndex: 'met2019', render: (v: boolean | null) => (v === null ? '—' : v ? '是' : '否') },
            { title: '2020年目标', dataIndex: 'target2020', render: pct },
            { title: '2020达标', dataIndex: 'met2020', render: (v: boolean | null) => (v === null ? '—' : v ? '是' : '否') },
          ]}
        />
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="各区（示意图：面积为收件量，颜色为按时办结率）" size="small">
            <Chart
              label="各区收件量与按时办结率示意图，数字见下表"
              option={{
                tooltip: {},
                visualMap: { min: 0.5, max: 1, inRange: { color: RATE_COLOURS }, dimension: 1, show: true, text: ['按时率高', '低'], orient: 'horizontal', left: 'center', bottom: 0 },
                series: [{ type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false }, bottom: 40, data: (r?.byRegion ?? []).map((g) => ({ name: g.regionName, value: [Math.max(g.received, 1), g.onTimeRate ?? 1] })) }],
              }}
            />
            <Table size="small" rowKey="regionCode" pagination={false} dataSource={r?.byRegion ?? []} aria-label="各区指标" columns={[{ title: '区域', dataIndex: 'regionName' }, { title: '收件', dataIndex: 'received' }, { title: '办结', dataIndex: 'decided' }, { title: '按时办结率', dataIndex: 'onTimeRate', render: pct }]} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="趋势" size="small">
            <Chart
              label="收件、办结及按时办结率趋势"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { left: 48, right: 48, top: 32, bottom: 32 },
                xAxis: { type: 'category', data: (r?.trend ?? []).map((t) => t.bucket) },
                yAxis: [{ type: 'value' }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
                series: [
                  { name: '收件', type: 'bar', data: (r?.trend ?? []).map((t) => t.received) },
                  { name: '办结', type: 'bar', data: (r?.trend ?? []).map((t) => t.decided) },
                  { name: '按时办结率', type: 'line', yAxisIndex: 1, data: (r?.trend ?? []).map((t) => (t.onTimeRate === null ? null : Math.round(t.onTimeRate * 1000) / 10)) },
                ],
              }}
            />
          </Card>
        </Col>
      </Row>

      <Card title="部门排名（按时办结率；点击部门查看超期办结的办件）" size="small">
        <Chart
          label="各部门按时办结率排名，数字见下表"
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
          aria-label="各部门指标"
          dataSource={r?.byDepartment ?? []}
          columns={[
            { title: '部门', dataIndex: 'departmentName' },
            { title: '收件', dataIndex: 'received' },
            { title: '办结', dataIndex: 'decided' },
            { title: '按时办结率', dataIndex: 'onTimeRate', render: pct },
            { title: '平均工作日', dataIndex: 'averageWorkdays', render: days },
            { title: '补正告知率', dataIndex: 'correctionRate', render: pct },
            { title: '不予受理/许可率', dataIndex: 'refusalRate', render: pct },
            { title: '下钻', render: (_: unknown, d: IndicatorReport['byDepartment'][number]) => <Button size="small" onClick={() => setDrill({ departmentId: d.departmentId, filter: 'late' })}>超期办结</Button> },
          ]}
        />
      </Card>

      {drill ? (
        <Card title="下钻：超期办结的办件" size="small" extra={<Button size="small" onClick={() => setDrill(null)}>关闭</Button>}>
          <Space style={{ marginBottom: 8 }}>
            <Select aria-label="下钻范围" value={drill.filter} onChange={(filter: string) => setDrill({ ...drill, filter })} options={[{ value: 'late', label: '超期办结' }, { value: 'open', label: '在办' }, { value: 'corrected', label: '补正告知' }, { value: 'refused', label: '不予受理' }, { value: 'instant', label: '即时审批' }, { value: 'commitment', label: '告知承诺' }]} />
          </Space>
          <Table size="small" rowKey="caseNumber" loading={drilled.loading} scroll={{ x: true }} aria-label="下钻办件" dataSource={drilled.data?.items ?? []} columns={[{ title: '办件编号', dataIndex: 'caseNumber' }, { title: '事项', dataIndex: 'itemName' }, { title: '部门', dataIndex: 'departmentName' }, { title: '期限', dataIndex: 'deadline' }, { title: '办理工作日', dataIndex: 'handlingWorkdays' }, { title: '状态', dataIndex: 'status' }]} />
        </Card>
      ) : null}

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="预警与异常（最新）" size="small">
            <Table size="small" rowKey="id" pagination={false} scroll={{ x: true }} aria-label="预警与异常" dataSource={alerts.data?.items ?? []} columns={[{ title: '级别', dataIndex: 'level', render: (v: string) => <Tag color={LEVEL_TAGS[v]?.color}>{LEVEL_TAGS[v]?.text ?? v}</Tag> }, { title: '类型', dataIndex: 'kindLabel' }, { title: '办件', dataIndex: 'caseNumber' }, { title: '部门', dataIndex: 'departmentName' }]} />
          </Card>
        </Col>
        {!departmentId && evaluation.data ? (
          <Col xs={24} lg={12}>
            <Card title={`部门月度考评（${evaluation.data.month}）`} size="small">
              <Table size="small" rowKey="departmentId" pagination={{ pageSize: 10 }} aria-label="部门月度考评" dataSource={evaluation.data.departments} columns={[{ title: '排名', dataIndex: 'rank' }, { title: '部门', dataIndex: 'departmentName' }, { title: '得分', dataIndex: 'score', render: (v: number | null) => v ?? '—' }, { title: '按时办结率', dataIndex: 'onTimeRate', render: pct }]} />
            </Card>
          </Col>
        ) : null}
      </Row>
    </Space>
  );
}
