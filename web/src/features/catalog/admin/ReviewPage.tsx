import { Alert, Card, Table } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useI18n, usePageTitle } from '../../../app/i18n';
import { LinkButton, PageHeading } from '../../../app/layout/chrome';
import { useProblemText } from '../../../app/problems';
import { ADMIN_ITEMS_PATH, type AdminItemRow } from '../api';
import { useCursorList } from '../useCursorList';
import { catalogPaths, formatInstant } from './shared';
import { LoadMore } from '../CursorTable';

/** Versions submitted for review: each opens the review screen (diff, preview, publish or return). */
export function ReviewPage() {
  const { t } = useI18n();
  const r = t.catalog.admin.review;
  const l = t.catalog.admin.list;
  const problemText = useProblemText();
  const queue = useCursorList<AdminItemRow>(ADMIN_ITEMS_PATH, { status: 'in_review', limit: 50 });
  usePageTitle(r.title);
  return (
    <div className="page">
      <PageHeading title={r.title} intro={r.intro} />
      <Card title={<h2 className="card-title">{r.queue}</h2>}>
        {queue.error !== null && queue.error !== undefined ? (
          <Alert type="error" showIcon title={problemText(queue.error)} />
        ) : (
          <Table<AdminItemRow>
            rowKey="implementationCode"
            loading={queue.loading}
            dataSource={queue.items}
            pagination={false}
            locale={{ emptyText: r.empty }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: l.name, dataIndex: 'name', render: (name: string, row) => <Link to={catalogPaths.item(row.implementationCode)}>{name}</Link> },
              { title: l.code, dataIndex: 'implementationCode', render: (code: string) => <span className="code-text">{code}</span> },
              { title: l.department, dataIndex: 'departmentName' },
              { title: l.version, dataIndex: 'latestVersion', render: (v: number) => l.versionN(v) },
              { title: r.submittedAt, dataIndex: 'updatedAt', render: (v: string) => formatInstant(v) },
              {
                title: t.common.actions,
                key: 'actions',
                render: (_, row) => (
                  <LinkButton to={catalogPaths.version(row.implementationCode, row.latestVersion)} type="link" icon={<AuditOutlined aria-hidden />} aria-label={`${r.open} ${row.name}`}>
                    {r.open}
                  </LinkButton>
                ),
              },
            ]}
          />
        )}
        <LoadMore list={queue} />
      </Card>
    </div>
  );
}
