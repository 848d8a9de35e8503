import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Skeleton, Space, Table, Typography } from 'antd';
import { EditOutlined, LeftOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { useI18n, usePageTitle } from '../../../app/i18n';
import { LinkButton, PageHeading } from '../../../app/layout/chrome';
import { ProblemAlert, useProblemText } from '../../../app/problems';
import { useSession } from '../../../app/session';
import { useApi } from '../../../app/useApi';
import { ADMIN_ITEMS_PATH, catalogApi, type AdminItem, type VersionMeta } from '../api';
import { useCodeLabels } from '../codes';
import { catalogPaths, formatInstant, VersionStatusTag } from './shared';

/** An item's identity and every version, with the way to start a revision or continue the open one. */
export function AdminItemPage() {
  const { t } = useI18n();
  const it = t.catalog.admin.item;
  const labels = useCodeLabels();
  const problemText = useProblemText();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { me } = useSession();
  const { implementationCode = '' } = useParams();
  const item = useApi<AdminItem>(`${ADMIN_ITEMS_PATH}/${encodeURIComponent(implementationCode)}`);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const latest = item.data ? [...item.data.versions].sort((a, b) => b.version - a.version)[0] : undefined;
  usePageTitle(latest?.name ?? t.catalog.admin.menu.items);

  if (item.loading && !item.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (item.error) return <Alert type="error" showIcon title={problemText(item.error)} />;
  const data = item.data!;
  const open = data.versions.find((v) => v.status === 'draft' || v.status === 'in_review');
  const who = (id: string | null, at: string | null) => (at ? `${formatInstant(at)}${id && id === me?.user.id ? it.you : ''}` : '');

  const newVersion = async () => {
    setBusy(true);
    setError(null);
    try {
      const state = await catalogApi.newVersion(data.implementationCode);
      message.success(it.created(state.version));
      void navigate(catalogPaths.version(data.implementationCode, state.version));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <PageHeading
        title={latest?.name ?? data.implementationCode}
        intro={<span className="code-text">{data.implementationCode}</span>}
        extra={
          <Space wrap>
            <LinkButton to={catalogPaths.items} icon={<LeftOutlined aria-hidden />}>
              {it.backToList}
            </LinkButton>
            {open ? (
              <LinkButton to={catalogPaths.version(data.implementationCode, open.version)} type="primary" icon={<EditOutlined aria-hidden />}>
                {open.status === 'draft' ? it.openDraft : it.review}
              </LinkButton>
            ) : (
              <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={newVersion} loading={busy} title={it.newVersionHelp}>
                {it.newVersion}
              </Button>
            )}
          </Space>
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {error !== null && <ProblemAlert error={error} />}
        <Card>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'dept', label: t.catalog.guide.department, children: data.departmentName },
              { key: 'level', label: t.catalog.guide.exerciseLevel, children: labels.exerciseLevel(data.exerciseLevel) },
              { key: 'basic', label: t.catalog.guide.basicCode, children: <span className="code-text">{data.basicCode}</span> },
              {
                key: 'current',
                label: it.current,
                children: data.currentVersion ? <Link to={`/items/${encodeURIComponent(data.implementationCode)}`}>{t.catalog.admin.list.versionN(data.currentVersion)}</Link> : t.catalog.none,
              },
            ]}
          />
        </Card>
        <Card title={<h2 className="card-title">{it.versions}</h2>}>
          <Table<VersionMeta>
            rowKey="version"
            size="small"
            dataSource={[...data.versions].sort((a, b) => b.version - a.version)}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={[
              {
                title: it.version,
                dataIndex: 'version',
                render: (v: number) => <Link to={catalogPaths.version(data.implementationCode, v)}>{t.catalog.admin.list.versionN(v)}</Link>,
              },
              { title: it.status, dataIndex: 'status', render: (_, v) => <VersionStatusTag status={v.status} /> },
              { title: t.catalog.admin.list.name, dataIndex: 'name' },
              { title: it.effectiveFrom, dataIndex: 'effectiveFrom', render: (d: string | null) => d ?? '' },
              { title: it.updated, key: 'updated', render: (_, v) => who(v.updatedBy, v.updatedAt) },
              { title: it.submitted, key: 'submitted', render: (_, v) => who(v.submittedBy, v.submittedAt) },
              { title: it.published, key: 'published', render: (_, v) => who(v.publishedBy, v.publishedAt) },
              {
                title: it.comment,
                dataIndex: 'reviewComment',
                render: (c: string | null) => (c ? <Typography.Text type="secondary">{c}</Typography.Text> : ''),
              },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
