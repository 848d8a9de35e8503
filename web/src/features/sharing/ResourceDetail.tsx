import { Descriptions, Grid, Skeleton, Table, type TableColumnsType } from 'antd';
import { useI18n } from '../../app/i18n';
import { formatInstant } from '../cases/format';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { RESOURCES_PATH, type Resource, type ResourceField } from './api';
import { ResourceStatusTag, SensitivityTag, useSharingLabels } from './codes';

/** A resource as the catalog describes it: what it is, on what terms it is shared, and its items. */
export function ResourceDetail({ resource }: { resource: Resource }) {
  const { t } = useI18n();
  const c = t.sharing.catalog;
  const labels = useSharingLabels();
  // Labels above values on a phone: a label column squeezed to one character per line is unreadable.
  const narrow = Grid.useBreakpoint().sm === false;
  const columns: TableColumnsType<ResourceField> = [
    { title: c.fieldLabel, dataIndex: 'label' },
    { title: c.fieldName, dataIndex: 'name', render: (n: string) => <code>{n}</code> },
    { title: c.fieldType, dataIndex: 'type', render: (v: string) => labels.fieldType(v) },
    { title: c.sensitivity, dataIndex: 'sensitivity', render: (v: ResourceField['sensitivity']) => <SensitivityTag value={v} /> },
    { title: c.requiredField, dataIndex: 'required', render: (v: boolean) => (v ? t.cases.form.yes : '') },
  ];
  return (
    <>
      <Descriptions
        bordered
        size="small"
        column={1}
        layout={narrow ? 'vertical' : 'horizontal'}
        items={[
          { key: 'code', label: c.code, children: <code>{resource.code}</code> },
          { key: 'provider', label: c.department, children: resource.providerDepartmentName },
          { key: 'status', label: t.sharing.common.status, children: <ResourceStatusTag value={resource.status} /> },
          { key: 'description', label: c.description, children: resource.description },
          { key: 'subject', label: c.subjectType, children: `${labels.subjectType(resource.subjectType)}（${resource.subjectField}）` },
          { key: 'frequency', label: c.updateFrequency, children: labels.updateFrequency(resource.updateFrequency) },
          { key: 'sharing', label: c.sharingType, children: labels.sharingType(resource.sharingType) },
          ...(resource.conditions ? [{ key: 'conditions', label: c.conditions, children: resource.conditions }] : []),
          { key: 'legal', label: c.legalBasis, children: resource.legalBasis },
          { key: 'backend', label: c.backend, children: labels.backend(resource.backend) },
          ...(resource.recordCount !== undefined ? [{ key: 'records', label: c.recordCount, children: resource.recordCount }] : []),
          ...(resource.publishedAt ? [{ key: 'published', label: c.publishedAt, children: formatInstant(resource.publishedAt) }] : []),
        ]}
      />
      <h3 className="review-subtitle">{t.sharing.common.fields}</h3>
      <Table<ResourceField>
        rowKey="name"
        size="small"
        dataSource={resource.fields}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        title={() => <span className="visually-hidden">{t.sharing.common.fields}</span>}
      />
    </>
  );
}

/** A resource read afresh (the provider sees its record count, which lists leave out). */
export function LoadedResourceDetail({ id }: { id: string }) {
  const resource = useApi<Resource>(`${RESOURCES_PATH}/${encodeURIComponent(id)}`);
  if (resource.error) return <ProblemAlert error={resource.error} />;
  if (!resource.data) return <Skeleton active />;
  return <ResourceDetail resource={resource.data} />;
}
