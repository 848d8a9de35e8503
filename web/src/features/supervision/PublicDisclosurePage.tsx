import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { useApi } from '../../app/useApi';
import { useProblemText } from '../../app/problems';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { SUPERVISION, pct, type OverduePage, type PublicRanking } from './api';

/** Public disclosure (政务公开): overdue cases without personal data, the monthly ranking, open data downloads. */
export function PublicDisclosurePage() {
  const { lang } = useI18n();
  // Mounted afresh per language: the overdue reasons come worded by the server in the language asked for.
  return <Disclosure key={lang} />;
}

function Disclosure() {
  const { t, lang } = useI18n();
  const s = t.supervision.disclosure;
  const problem = useProblemText();
  const [cursor, setCursor] = useState<string | undefined>();
  const overdue = useApi<OverduePage>(SUPERVISION.overdue, { limit: 20, cursor });
  const ranking = useApi<PublicRanking>(SUPERVISION.ranking);
  usePageTitle(s.title);
  const downloads = (dataset: 'overdue' | 'ranking') => (
    <Space>
      {/* a plain link carries the browser's Accept-Language, not the language chosen here */}
      <a href={`${SUPERVISION.openData}/${dataset}.csv?lang=${lang}`} download>{s.downloadCsv}</a>
      <a href={`${SUPERVISION.openData}/${dataset}.json?lang=${lang}`} download>{s.downloadJson}</a>
    </Space>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="page page-wide">
      <PageHeading title={s.title} intro={s.intro} />
      <Card title={s.overdueTitle} size="small" extra={downloads('overdue')}>
        {overdue.error ? <Alert type="error" showIcon message={problem(overdue.error)} /> : null}
        <Typography.Paragraph type="secondary">{s.overdueNote(overdue.data?.asOf ?? '—')}</Typography.Paragraph>
        <Table
          size="small"
          rowKey="key"
          loading={overdue.loading}
          pagination={false}
          scroll={{ x: true }}
          aria-label={s.overdueLabel}
          dataSource={(overdue.data?.items ?? []).map((row, i) => ({ ...row, key: `${cursor ?? ''}-${i}` }))}
          columns={[
            { title: s.item, dataIndex: 'itemName' },
            { title: s.department, dataIndex: 'departmentName' },
            { title: s.deadline, dataIndex: 'deadline' },
            { title: s.daysOverdue, dataIndex: 'daysOverdue' },
            { title: s.reason, dataIndex: 'reason' },
          ]}
        />
        <Space style={{ marginTop: 8 }}>
          {cursor ? <Button onClick={() => setCursor(undefined)}>{s.firstPage}</Button> : null}
          {overdue.data?.nextCursor ? <Button onClick={() => setCursor(overdue.data!.nextCursor ?? undefined)}>{t.common.nextPage}</Button> : null}
        </Space>
      </Card>
      <Card title={s.rankingTitle(ranking.data?.month ?? '')} size="small" extra={downloads('ranking')}>
        <Table size="small" rowKey="departmentId" loading={ranking.loading} scroll={{ x: true }} aria-label={s.rankingLabel} dataSource={ranking.data?.departments ?? []} columns={[{ title: s.rank, dataIndex: 'rank' }, { title: s.department, dataIndex: 'departmentName' }, { title: s.score, dataIndex: 'score', render: (v: number | null) => v ?? '—' }, { title: s.decided, dataIndex: 'decided' }, { title: t.supervision.figures.onTimeRate, dataIndex: 'onTimeRate', render: pct }]} />
      </Card>
    </Space>
  );
}
