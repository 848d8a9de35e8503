import { useState } from 'react';
import { Button, Drawer, Input, Select, Space, type TableColumnsType } from 'antd';
import { SHARING_TYPES } from '@server/shared/sharing-codes';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import { CursorTable } from '../catalog/CursorTable';
import { useCursorList } from '../catalog/useCursorList';
import { DEPARTMENTS_PATH, type Department, type List } from '../org/api';
import { RESOURCES_PATH, type Resource } from './api';
import { useSharingLabels } from './codes';
import { RequestDialog } from './RequestDialog';
import { ResourceDetail } from './ResourceDetail';
import './sharing.css';

/** The departments for a filter, by name. */
export function useDepartmentOptions() {
  const departments = useApi<List<Department>>(DEPARTMENTS_PATH);
  return (departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }));
}

/** The published catalog of every department's resources (数据资源目录), with details and a request button. */
export function CatalogPage() {
  const { t } = useI18n();
  const c = t.sharing.catalog;
  usePageTitle(c.title);
  const labels = useSharingLabels();
  const { me } = useSession();
  const canRequest = me?.user.roles.includes('data_sharing_admin') ?? false;
  const [q, setQ] = useState('');
  const [query, setQuery] = useState<{ q?: string; departmentId?: string; sharingType?: string }>({});
  const [open, setOpen] = useState<Resource | null>(null);
  const [requesting, setRequesting] = useState<Resource | null>(null);
  const departments = useDepartmentOptions();
  const list = useCursorList<Resource>(RESOURCES_PATH, { ...query, status: 'published' });

  const columns: TableColumnsType<Resource> = [
    {
      title: c.name,
      dataIndex: 'name',
      render: (name: string, row) => (
        <Button type="link" className="link-cell" onClick={() => setOpen(row)}>
          {name}
        </Button>
      ),
    },
    { title: c.code, dataIndex: 'code', render: (v: string) => <code>{v}</code> },
    { title: c.department, dataIndex: 'providerDepartmentName' },
    { title: c.sharingType, dataIndex: 'sharingType', render: (v: string) => labels.sharingType(v) },
    { title: c.subjectType, dataIndex: 'subjectType', render: (v: string) => labels.subjectType(v) },
    { title: c.updateFrequency, dataIndex: 'updateFrequency', render: (v: string) => labels.updateFrequency(v) },
    { title: t.sharing.common.fields, key: 'fields', render: (_, row) => row.fields.length },
  ];

  const requestButton = (resource: Resource) => {
    if (!canRequest) return null;
    if (resource.providerDepartmentId === me?.user.departmentId) return <span className="muted-note">{c.ownResource}</span>;
    if (resource.sharingType === 'not_shared') return <span className="muted-note">{c.notShared}</span>;
    return (
      <Button type="primary" onClick={() => setRequesting(resource)}>
        {c.request}
      </Button>
    );
  };

  return (
    <div className="page page-wide">
      <PageHeading title={c.title} intro={c.intro} />
      <div role="search" className="toolbar sharing-toolbar">
        <label htmlFor="resource-search" className="visually-hidden">
          {c.searchLabel}
        </label>
        <Input.Search
          id="resource-search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(value) => setQuery((prev) => ({ ...prev, q: value.trim() || undefined }))}
          placeholder={c.searchPlaceholder}
          enterButton={c.search}
          maxLength={100}
          className="sharing-search"
        />
        <Select
          aria-label={c.department}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={c.allDepartments}
          options={departments}
          value={query.departmentId}
          onChange={(v?: string) => setQuery((prev) => ({ ...prev, departmentId: v }))}
          className="sharing-filter"
        />
        <Select
          aria-label={c.sharingType}
          allowClear
          placeholder={c.allSharingTypes}
          options={SHARING_TYPES.map((s) => ({ value: s, label: labels.sharingType(s) }))}
          value={query.sharingType}
          onChange={(v?: string) => setQuery((prev) => ({ ...prev, sharingType: v }))}
          className="sharing-filter"
        />
      </div>
      <CursorTable<Resource> list={list} columns={columns} rowKey="id" caption={c.title} empty={t.sharing.common.empty} />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open ? c.detailTitle(open.name) : ''}
        size="large"
        rootClassName="sharing-drawer"
        extra={open ? <Space>{requestButton(open)}</Space> : null}
        destroyOnHidden
      >
        {open && <ResourceDetail resource={open} />}
      </Drawer>
      {requesting && <RequestDialog resource={requesting} onClose={() => setRequesting(null)} />}
    </div>
  );
}
