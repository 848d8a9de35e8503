import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { useApi } from '../../app/useApi';
import { useProblemText } from '../../app/problems';
import { usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { SUPERVISION, pct, type OverduePage, type PublicRanking } from './api';

/** Public disclosure (政务公开): overdue cases without personal data, the monthly ranking, open data downloads. */
export function PublicDisclosurePage() {
  const problem = useProblemText();
  const [cursor, setCursor] = useState<string | undefined>();
  const overdue = useApi<OverduePage>(SUPERVISION.overdue, { limit: 20, cursor });
  const ranking = useApi<PublicRanking>(SUPERVISION.ranking);
  usePageTitle('效能公示');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="page page-wide">
      <PageHeading title="效能公示" intro="超期办件、部门月度排名与开放数据下载" />
      <Card title="超期办件公示" size="small" extra={<Space><a href={`${SUPERVISION.openData}/overdue.csv`} download>下载 CSV</a><a href={`${SUPERVISION.openData}/overdue.json`} download>下载 JSON</a></Space>}>
        {overdue.error ? <Alert type="error" showIcon message={problem(overdue.error)} /> : null}
        <Typography.Paragraph type="secondary">超过承诺时限仍未办结的办件（截至 {overdue.data?.asOf ?? '—'}），不含任何申请人信息。</Typography.Paragraph>
        <Table
          size="small"
          rowKey="key"
          loading={overdue.loading}
          pagination={false}
          scroll={{ x: true }}
          aria-label="超期办件"
          dataSource={(overdue.data?.items ?? []).map((row, i) => ({ ...row, key: `${cursor ?? ''}-${i}` }))}
          columns={[
            { title: '事项', dataIndex: 'itemName' },
            { title: '部门', dataIndex: 'departmentName' },
            { title: '承诺期限', dataIndex: 'deadline' },
            { title: '超期（工作日）', dataIndex: 'daysOverdue' },
            { title: '原因', dataIndex: 'reason' },
          ]}
        />
        <Space style={{ marginTop: 8 }}>
          {cursor ? <Button onClick={() => setCursor(undefined)}>第一页</Button> : null}
          {overdue.data?.nextCursor ? <Button onClick={() => setCursor(overdue.data!.nextCursor ?? undefined)}>下一页</Button> : null}
        </Space>
      </Card>
      <Card title={`部门月度排名（${ranking.data?.month ?? ''}）`} size="small" extra={<Space><a href={`${SUPERVISION.openData}/ranking.csv`} download>下载 CSV</a><a href={`${SUPERVISION.openData}/ranking.json`} download>下载 JSON</a></Space>}>
        <Table size="small" rowKey="departmentId" loading={ranking.loading} scroll={{ x: true }} aria-label="部门月度排名" dataSource={ranking.data?.departments ?? []} columns={[{ title: '排名', dataIndex: 'rank' }, { title: '部门', dataIndex: 'departmentName' }, { title: '得分', dataIndex: 'score', render: (v: number | null) => v ?? '—' }, { title: '办结件数', dataIndex: 'decided' }, { title: '按时办结率', dataIndex: 'onTimeRate', render: pct }]} />
      </Card>
    </Space>
  );
}
