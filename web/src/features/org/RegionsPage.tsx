import { useMemo, useState, type Key } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { FieldProblem } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { orgApi, regionTree, REGIONS_PATH, type List, type Region, type RegionLevel, type RegionNode } from './api';

const LEVELS: readonly RegionLevel[] = ['city', 'district', 'street', 'community'];
/** Which level a new region's parent has: only those regions are offered (the server checks it again). */
const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = { city: null, district: 'city', street: 'district', community: 'street' };

export function RegionsPage() {
  const { t } = useI18n();
  const problemText = useProblemText();
  const regions = useApi<List<Region>>(REGIONS_PATH);
  const [creating, setCreating] = useState(false);
  usePageTitle(t.regions.title);

  const tree = useMemo(() => regionTree(regions.data?.items ?? []), [regions.data]);
  // The city level opens by default: a city's districts are what an administrator looks for first.
  const defaultExpanded = useMemo(() => tree.map((r) => r.code), [tree]);
  const [expanded, setExpanded] = useState<Key[] | null>(null);

  return (
    <div className="page">
      <PageHeading
        title={t.regions.title}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t.regions.create}
          </Button>
        }
      />
      <Card>
        {regions.error ? (
          <Alert type="error" showIcon title={problemText(regions.error)} />
        ) : (
          <Table<RegionNode>
            rowKey="code"
            loading={regions.loading}
            dataSource={tree}
            pagination={false}
            scroll={{ x: 'max-content' }}
            expandable={{ expandedRowKeys: expanded ?? defaultExpanded, onExpandedRowsChange: (keys) => setExpanded([...keys]) }}
            columns={[
              { title: t.regions.name, dataIndex: 'name' },
              { title: t.regions.code, dataIndex: 'code' },
              { title: t.regions.level, dataIndex: 'level', render: (level: RegionLevel) => t.regions.levels[level] },
            ]}
          />
        )}
      </Card>
      <CreateRegion
        open={creating}
        regions={regions.data?.items ?? []}
        onClose={(created) => {
          setCreating(false);
          if (created) regions.reload();
        }}
      />
    </div>
  );
}

interface Values {
  level: RegionLevel;
  parentCode?: string;
  code: string;
  name: string;
}

function CreateRegion({ open, regions, onClose }: { open: boolean; regions: Region[]; onClose(created: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const level = Form.useWatch('level', form);
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const parentLevel = level ? PARENT_LEVEL[level] : null;
  const parents = regions.filter((r) => r.level === parentLevel);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    try {
      const region = await orgApi.createRegion({ code: values.code, name: values.name.trim(), level: values.level, parentCode: values.parentCode ?? null });
      message.success(t.regions.created(region.name));
      form.resetFields();
      onClose(true);
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, ['level', 'parentCode', 'code', 'name']));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t.regions.create}
      okText={t.common.save}
      cancelText={t.common.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form<Values> form={form} name="region" layout="vertical" onFinish={submit} initialValues={{ level: 'district' }}>
        <Form.Item name="level" label={t.regions.level} rules={[{ required: true, message: t.common.requiredChoice(t.regions.level) }]}>
          <Select
            options={LEVELS.map((l) => ({ value: l, label: t.regions.levels[l] }))}
            onChange={() => form.setFieldValue('parentCode', undefined)}
          />
        </Form.Item>
        {parentLevel && (
          <Form.Item name="parentCode" label={t.regions.parent} rules={[{ required: true, message: t.common.requiredChoice(t.regions.parent) }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={parents.map((r) => ({ value: r.code, label: `${r.name} (${r.code})` }))} />
          </Form.Item>
        )}
        <Form.Item
          name="code"
          label={t.regions.code}
          extra={t.regions.codeHelp}
          rules={[
            { required: true, message: t.common.required(t.regions.code) },
            { pattern: /^\d{6}(\d{3}(\d{3})?)?$/, message: t.regions.codeFormat },
          ]}
        >
          <Input inputMode="numeric" maxLength={12} />
        </Form.Item>
        <Form.Item name="name" label={t.regions.name} rules={[{ required: true, whitespace: true, message: t.common.required(t.regions.name) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <ProblemAlert error={error} unmatched={unmatched} />
      </Form>
    </Modal>
  );
}
