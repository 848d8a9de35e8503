import { useMemo, useState } from 'react';
import { Alert, App, Badge, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { EditOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { isValidMobile } from '@server/shared/identifiers';
import { STAFF_ROLES, type StaffRole } from '@server/shared/roles';
import type { FieldProblem } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../app/problems';
import { useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import { DEPARTMENTS_PATH, type Department, type List } from '../org/api';
import { identityApi, type Staff, type StaffPage as StaffPageData } from './api';

const PAGE_SIZE = 20;

/** Staff accounts: a system admin sees every department, a department admin their own. */
export function StaffPage() {
  const { t, roleLabel } = useI18n();
  const { me } = useSession();
  const problemText = useProblemText();
  const user = me!.user;
  const cityWide = user.roles.includes('system_admin');
  const [departmentId, setDepartmentId] = useState<string>();
  // Cursor of each page visited so far: "previous" pops, "next" pushes the server's nextCursor.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const staff = useApi<StaffPageData>('/api/v1/admin/staff', { limit: PAGE_SIZE, cursor, departmentId });
  const departments = useApi<List<Department>>(DEPARTMENTS_PATH);
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  usePageTitle(t.staff.title);

  const departmentName = useMemo(() => new Map(departments.data?.items.map((d) => [d.id, d.name])), [departments.data]);
  // A department admin manages one department; offering others would only lead to refusals.
  const manageable = (departments.data?.items ?? []).filter((d) => cityWide || d.id === user.departmentId);

  return (
    <div className="page">
      <PageHeading
        title={t.staff.title}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
            {t.staff.create}
          </Button>
        }
      />
      <Card>
        {cityWide && (
          <div className="toolbar">
            <label htmlFor="staff-department-filter">{t.staff.filterDepartment}</label>
            <Select
              id="staff-department-filter"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t.staff.allDepartments}
              value={departmentId}
              onChange={(id?: string) => {
                setDepartmentId(id);
                setCursors([]);
              }}
              options={manageable.map((d) => ({ value: d.id, label: d.name }))}
              style={{ minWidth: 260 }}
            />
          </div>
        )}
        {staff.error ? (
          <Alert type="error" showIcon title={problemText(staff.error)} />
        ) : (
          <>
            <Table<Staff>
              rowKey="id"
              loading={staff.loading}
              dataSource={staff.data?.items ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t.staff.username, dataIndex: 'username' },
                { title: t.staff.name, dataIndex: 'name' },
                { title: t.staff.department, dataIndex: 'departmentId', render: (id: string) => departmentName.get(id) ?? '' },
                { title: t.staff.roles, dataIndex: 'roles', render: (roles: StaffRole[]) => roles.map((r) => <Tag key={r}>{roleLabel(r)}</Tag>) },
                { title: t.staff.phone, dataIndex: 'phone', render: (phone: string | null) => phone ?? '' },
                {
                  title: t.staff.status,
                  dataIndex: 'active',
                  render: (active: boolean) => <Badge status={active ? 'success' : 'default'} text={active ? t.common.active : t.common.inactive} />,
                },
                {
                  title: t.common.actions,
                  key: 'actions',
                  render: (_, person) => (
                    <Button type="link" icon={<EditOutlined aria-hidden />} onClick={() => setEditing(person)} aria-label={`${t.common.edit} ${person.name}`}>
                      {t.common.edit}
                    </Button>
                  ),
                },
              ]}
            />
            <Space className="pager">
              <Button icon={<LeftOutlined aria-hidden />} disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t.common.previousPage}
              </Button>
              <Button disabled={!staff.data?.nextCursor} onClick={() => setCursors((c) => [...c, staff.data!.nextCursor!])}>
                {t.common.nextPage} <RightOutlined aria-hidden />
              </Button>
            </Space>
          </>
        )}
      </Card>
      {editing !== null && (
        <StaffForm
          person={editing === 'new' ? null : editing}
          departments={manageable}
          defaultDepartmentId={departmentId ?? user.departmentId}
          onClose={(changed) => {
            setEditing(null);
            if (changed) staff.reload();
          }}
        />
      )}
    </div>
  );
}

interface Values {
  username: string;
  name: string;
  departmentId: string;
  roles: StaffRole[];
  phone?: string;
  password: string;
  active: boolean;
}

/** Creates a staff account, or changes one's roles and whether it is active. */
function StaffForm({
  person,
  departments,
  defaultDepartmentId,
  onClose,
}: {
  person: Staff | null;
  departments: Department[];
  defaultDepartmentId: string | undefined;
  onClose(changed: boolean): void;
}) {
  const { t, roleLabel } = useI18n();
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
      if (person) {
        await identityApi.updateStaff(person.id, { roles: values.roles, active: values.active });
        message.success(t.common.saved);
      } else {
        const created = await identityApi.createStaff({
          username: values.username.trim(),
          name: values.name.trim(),
          departmentId: values.departmentId,
          roles: values.roles,
          ...(values.phone ? { phone: values.phone } : {}),
          password: values.password,
        });
        message.success(t.staff.created(created.name));
      }
      onClose(true);
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, ['username', 'name', 'departmentId', 'roles', 'phone', 'password', 'active']));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const rolesItem = (
    <Form.Item name="roles" label={t.staff.roles} rules={[{ required: true, type: 'array', min: 1, message: t.common.requiredChoice(t.staff.roles) }]}>
      <Checkbox.Group className="role-checkboxes" aria-label={t.staff.roles} options={STAFF_ROLES.map((role) => ({ value: role, label: roleLabel(role) }))} />
    </Form.Item>
  );

  return (
    <Modal
      open
      title={person ? t.staff.edit(person.name) : t.staff.create}
      okText={t.common.save}
      cancelText={t.common.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
    >
      <Form<Values>
        form={form}
        name="staff"
        layout="vertical"
        onFinish={submit}
        initialValues={person ? { roles: person.roles, active: person.active } : { roles: [], departmentId: defaultDepartmentId, active: true }}
      >
        {person ? (
          <>
            <Typography.Paragraph type="secondary">{t.staff.sessionNote}</Typography.Paragraph>
            {rolesItem}
            <Form.Item name="active" label={t.staff.activeLabel} valuePropName="checked">
              <Switch checkedChildren={t.common.active} unCheckedChildren={t.common.inactive} />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item
              name="username"
              label={t.staff.username}
              extra={t.staff.usernameHelp}
              rules={[
                { required: true, message: t.common.required(t.staff.username) },
                { pattern: /^[A-Za-z0-9_-]{3,32}$/, message: t.staff.usernameFormat },
              ]}
            >
              <Input autoComplete="off" maxLength={32} spellCheck={false} />
            </Form.Item>
            <Form.Item name="name" label={t.staff.name} rules={[{ required: true, whitespace: true, message: t.common.required(t.staff.name) }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="departmentId" label={t.staff.department} rules={[{ required: true, message: t.common.requiredChoice(t.staff.department) }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={departments.map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            {rolesItem}
            <Form.Item
              name="phone"
              label={t.staff.phone}
              rules={[
                {
                  validator: async (_, value?: string) => {
                    if (value && !isValidMobile(value)) throw new Error(t.register.phoneInvalid);
                  },
                },
              ]}
            >
              <Input type="tel" inputMode="numeric" maxLength={20} />
            </Form.Item>
            <Form.Item name="password" label={t.staff.password} extra={t.staff.passwordHelp} rules={[{ required: true, message: t.common.required(t.staff.password) }]}>
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
          </>
        )}
        <ProblemAlert error={error} unmatched={unmatched} />
      </Form>
    </Modal>
  );
}
