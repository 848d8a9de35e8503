import { useState } from 'react';
import { Alert, App, Badge, Button, Card, Form, Input, Modal, Switch, Table } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { checkCreditCode } from '@server/shared/identifiers';
import type { FieldProblem } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { DEPARTMENTS_PATH, orgApi, REGIONS_PATH, type Department, type List, type Region } from './api';
import { RegionSelect } from './RegionSelect';

export function DepartmentsPage() {
  const { t } = useI18n();
  const problemText = useProblemText();
  const [regionCode, setRegionCode] = useState<string>();
  const departments = useApi<List<Department>>(DEPARTMENTS_PATH, { regionCode });
  const regions = useApi<List<Region>>(REGIONS_PATH);
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  usePageTitle(t.departments.title);

  return (
    <div className="page">
      <PageHeading
        title={t.departments.title}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
            {t.departments.create}
          </Button>
        }
      />
      <Card>
        <div className="toolbar">
          <label htmlFor="department-region-filter">{t.departments.filterRegion}</label>
          <RegionSelect
            id="department-region-filter"
            regions={regions.data?.items ?? []}
            value={regionCode}
            onChange={(code) => setRegionCode(code)}
            allowClear
            placeholder={t.departments.allRegions}
            style={{ minWidth: 240 }}
          />
        </div>
        {departments.error ? (
          <Alert type="error" showIcon title={problemText(departments.error)} />
        ) : (
          <Table<Department>
            rowKey="id"
            loading={departments.loading}
            dataSource={departments.data?.items ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t.departments.name, dataIndex: 'name' },
              { title: t.departments.creditCode, dataIndex: 'creditCode' },
              { title: t.departments.region, dataIndex: 'regionName' },
              {
                title: t.departments.status,
                dataIndex: 'active',
                render: (active: boolean) => <Badge status={active ? 'success' : 'default'} text={active ? t.common.active : t.common.inactive} />,
              },
              {
                title: t.common.actions,
                key: 'actions',
                render: (_, department) => (
                  <Button type="link" icon={<EditOutlined aria-hidden />} onClick={() => setEditing(department)} aria-label={`${t.common.edit} ${department.name}`}>
                    {t.common.edit}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      {editing !== null && (
        <DepartmentForm
          department={editing === 'new' ? null : editing}
          regions={regions.data?.items ?? []}
          onClose={(changed) => {
            setEditing(null);
            if (changed) departments.reload();
          }}
        />
      )}
    </div>
  );
}

interface Values {
  name: string;
  creditCode: string;
  regionCode: string;
  active: boolean;
}

/** Creates a department, or edits one (name and active: the server keeps code and region fixed). */
function DepartmentForm({ department, regions, onClose }: { department: Department | null; regions: Region[]; onClose(changed: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    try {
      if (department) {
        await orgApi.updateDepartment(department.id, { name: values.name.trim(), active: values.active });
        message.success(t.common.saved);
      } else {
        const created = await orgApi.createDepartment({ name: values.name.trim(), creditCode: values.creditCode, regionCode: values.regionCode });
        message.success(t.departments.created(created.name));
      }
      onClose(true);
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, ['name', 'creditCode', 'regionCode', 'active']));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={department ? t.departments.edit : t.departments.create}
      okText={t.common.save}
      cancelText={t.common.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
    >
      <Form<Values>
        form={form}
        name="department"
        layout="vertical"
        onFinish={submit}
        initialValues={department ? { name: department.name, active: department.active } : { active: true }}
      >
        <Form.Item name="name" label={t.departments.name} rules={[{ required: true, whitespace: true, message: t.common.required(t.departments.name) }]}>
          <Input maxLength={100} />
        </Form.Item>
        {department ? (
          <Form.Item name="active" label={t.departments.status} valuePropName="checked">
            <Switch checkedChildren={t.common.active} unCheckedChildren={t.common.inactive} />
          </Form.Item>
        ) : (
          <>
            <Form.Item
              name="creditCode"
              label={t.departments.creditCode}
              normalize={(v: string) => v.toUpperCase()}
              rules={[
                { required: true, message: t.common.required(t.departments.creditCode) },
                {
                  validator: async (_, value?: string) => {
                    const problem = value ? checkCreditCode(value) : null;
                    if (problem) throw new Error(t.register.creditCodeInvalid(t.register.creditCodeReasons[problem]));
                  },
                },
              ]}
            >
              <Input maxLength={18} spellCheck={false} />
            </Form.Item>
            <Form.Item name="regionCode" label={t.departments.region} rules={[{ required: true, message: t.common.requiredChoice(t.departments.region) }]}>
              <RegionSelect regions={regions} />
            </Form.Item>
          </>
        )}
        <ProblemAlert error={error} unmatched={unmatched} />
      </Form>
    </Modal>
  );
}
