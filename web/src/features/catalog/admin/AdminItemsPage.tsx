import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { BASIC_CODE_PATTERN, EXERCISE_LEVELS, ITEM_TYPES, SERVICE_OBJECTS, type ItemType, type ServiceObject } from '@server/shared/catalog-codes';
import type { FieldProblem } from '../../../app/api';
import { useI18n, usePageTitle } from '../../../app/i18n';
import { PageHeading } from '../../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert, useProblemText } from '../../../app/problems';
import { useSession } from '../../../app/session';
import { useApi } from '../../../app/useApi';
import { DEPARTMENTS_PATH, type Department, type List } from '../../org/api';
import { ADMIN_ITEMS_PATH, catalogApi, VERSION_STATUS_LIST, type AdminItemRow, type ItemContent, type Page } from '../api';
import { useCodeLabels } from '../codes';
import { catalogPaths, formatInstant, VersionStatusTag } from './shared';

const PAGE_SIZE = 20;

/** The catalog admin's items: latest version status, search, status filter, and creating an item. */
export function AdminItemsPage() {
  const { t } = useI18n();
  const l = t.catalog.admin.list;
  const problemText = useProblemText();
  const { me } = useSession();
  const cityWide = me!.user.roles.includes('system_admin');
  const [status, setStatus] = useState<string>();
  const [q, setQ] = useState('');
  const [departmentId, setDepartmentId] = useState<string>();
  const [cursors, setCursors] = useState<string[]>([]);
  const items = useApi<Page<AdminItemRow>>(ADMIN_ITEMS_PATH, { limit: PAGE_SIZE, cursor: cursors[cursors.length - 1], status, q: q || undefined, departmentId });
  const departments = useApi<List<Department>>(DEPARTMENTS_PATH);
  const [creating, setCreating] = useState(false);
  usePageTitle(l.title);
  const restart = () => setCursors([]);

  return (
    <div className="page">
      <PageHeading
        title={l.title}
        intro={l.intro}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {l.create}
          </Button>
        }
      />
      <Card>
        <div className="toolbar">
          <label htmlFor="catalog-status-filter">{l.status}</label>
          <Select
            id="catalog-status-filter"
            allowClear
            placeholder={l.allStatuses}
            value={status}
            onChange={(v?: string) => {
              setStatus(v);
              restart();
            }}
            options={VERSION_STATUS_LIST.map((s) => ({ value: s, label: t.catalog.admin.status[s] }))}
            style={{ minWidth: 160 }}
          />
          {cityWide && (
            <>
              <label htmlFor="catalog-department-filter">{t.catalog.search.department}</label>
              <Select
                id="catalog-department-filter"
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t.staff.allDepartments}
                value={departmentId}
                onChange={(v?: string) => {
                  setDepartmentId(v);
                  restart();
                }}
                options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
                style={{ minWidth: 240 }}
              />
            </>
          )}
          <label htmlFor="catalog-search" className="visually-hidden">
            {l.search}
          </label>
          <Input.Search
            id="catalog-search"
            allowClear
            placeholder={l.search}
            enterButton={t.catalog.search.search}
            onSearch={(value) => {
              setQ(value.trim());
              restart();
            }}
            style={{ maxWidth: 360 }}
          />
        </div>
        {items.error ? (
          <Alert type="error" showIcon title={problemText(items.error)} />
        ) : (
          <>
            <Table<AdminItemRow>
              rowKey="implementationCode"
              loading={items.loading}
              dataSource={items.data?.items ?? []}
              pagination={false}
              locale={{ emptyText: l.empty }}
              scroll={{ x: 'max-content' }}
              columns={[
                {
                  title: l.name,
                  dataIndex: 'name',
                  render: (name: string, row) => <Link to={catalogPaths.item(row.implementationCode)}>{name}</Link>,
                },
                { title: l.code, dataIndex: 'implementationCode', render: (code: string) => <span className="code-text">{code}</span> },
                { title: l.department, dataIndex: 'departmentName' },
                {
                  title: l.version,
                  key: 'version',
                  render: (_, row) => (
                    <Space size={4}>
                      <Link to={catalogPaths.version(row.implementationCode, row.latestVersion)} aria-label={`${row.name} ${l.versionN(row.latestVersion)}`}>
                        {l.versionN(row.latestVersion)}
                      </Link>
                      <VersionStatusTag status={row.status} />
                    </Space>
                  ),
                },
                { title: t.catalog.admin.item.updated, dataIndex: 'updatedAt', render: (v: string) => formatInstant(v) },
              ]}
            />
            <Space className="pager">
              <Button icon={<LeftOutlined aria-hidden />} disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t.common.previousPage}
              </Button>
              <Button disabled={!items.data?.nextCursor} onClick={() => setCursors((c) => [...c, items.data!.nextCursor!])}>
                {t.common.nextPage} <RightOutlined aria-hidden />
              </Button>
            </Space>
          </>
        )}
      </Card>
      {creating && <CreateItem departments={departments.data?.items ?? []} onClose={() => setCreating(false)} />}
    </div>
  );
}

interface CreateValues {
  departmentId: string;
  exerciseLevel: number;
  basicCode: string;
  name: string;
  type: ItemType;
  serviceObjects: ServiceObject[];
}

/** A draft's starting content: every element present, most of them empty, for the editor to fill in. */
export function blankContent(values: Pick<CreateValues, 'name' | 'type' | 'serviceObjects'>): ItemContent {
  return {
    name: values.name.trim(),
    type: values.type,
    implementerNature: '1',
    serviceObjects: values.serviceObjects,
    subItems: [],
    handlingItems: [],
    legalBasis: [],
    acceptanceConditions: [],
    procedure: [],
    legalDays: 20,
    promisedDays: 10,
    caseKind: '2',
    fees: { free: true, items: [] },
    materials: [],
    form: { schema: { type: 'object', properties: {}, required: [], additionalProperties: false }, ui: { order: [], fields: {} } },
    results: [],
    hallIds: [],
    handlingForms: ['1'],
    handling: { immediate: false, online: false, nearby: false, oneVisit: false },
    onlineDepth: 1,
    visitsRequired: 1,
    appointment: false,
    expressDelivery: false,
    onlinePayment: false,
    intermediaryServiceIds: [],
    specialProcedures: [],
    enquiryPhone: '',
    complaintPhone: '12345',
    keywords: [],
    themes: [],
    faq: [],
  };
}

/** Creates an item: its identity (department, level, basic code → implementation code) and a first draft. */
function CreateItem({ departments, onClose }: { departments: Department[]; onClose(): void }) {
  const { t } = useI18n();
  const c = t.catalog.admin.create;
  const labels = useCodeLabels();
  const { me } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateValues>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const user = me!.user;
  const cityWide = user.roles.includes('system_admin');
  const choices = useMemo(() => departments.filter((d) => d.active && (cityWide || d.id === user.departmentId)), [departments, cityWide, user.departmentId]);

  const departmentId = Form.useWatch('departmentId', form);
  const level = Form.useWatch('exerciseLevel', form);
  const basicCode = (Form.useWatch('basicCode', form) as string | undefined) ?? '';
  const department = choices.find((d) => d.id === departmentId);
  const preview = department && level && BASIC_CODE_PATTERN.test(basicCode) ? `${department.creditCode}${level}${basicCode}` : null;

  const submit = async (values: CreateValues) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    try {
      const created = await catalogApi.createItem({
        departmentId: values.departmentId,
        exerciseLevel: values.exerciseLevel,
        basicCode: values.basicCode,
        content: blankContent(values),
      });
      message.success(c.created(created.implementationCode));
      void navigate(catalogPaths.version(created.implementationCode, created.version));
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, ['departmentId', 'exerciseLevel', 'basicCode']).map((p) => ({ ...p, field: p.field.replace(/^content\./, '') })));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={c.title} okText={t.common.save} cancelText={t.common.cancel} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} width={640}>
      <Typography.Paragraph type="secondary">{c.intro}</Typography.Paragraph>
      <Form<CreateValues>
        form={form}
        name="catalog-create"
        layout="vertical"
        onFinish={submit}
        initialValues={{ departmentId: cityWide ? undefined : user.departmentId, exerciseLevel: 3, type: '01', serviceObjects: [] }}
      >
        <Form.Item name="departmentId" label={c.department} rules={[{ required: true, message: t.common.requiredChoice(c.department) }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={choices.map((d) => ({ value: d.id, label: d.name }))} disabled={!cityWide && choices.length <= 1} />
        </Form.Item>
        <Form.Item name="exerciseLevel" label={c.exerciseLevel} rules={[{ required: true, message: t.common.requiredChoice(c.exerciseLevel) }]}>
          <Select options={EXERCISE_LEVELS.map((lv) => ({ value: lv, label: `${lv} ${labels.exerciseLevel(lv)}` }))} />
        </Form.Item>
        <Form.Item
          name="basicCode"
          label={c.basicCode}
          extra={c.basicCodeHelp}
          normalize={(v: string) => v.toUpperCase()}
          rules={[
            { required: true, message: t.common.required(c.basicCode) },
            { pattern: BASIC_CODE_PATTERN, message: c.basicCodeFormat },
          ]}
        >
          <Input maxLength={12} className="code-input" spellCheck={false} autoComplete="off" />
        </Form.Item>
        <div className="code-preview" aria-live="polite">
          <span className="code-preview-label">{c.codePreview}</span>
          {preview ? (
            <output className="code-text" aria-label={c.codePreview}>
              <span className="code-part" title={c.department}>
                {preview.slice(0, 18)}
              </span>
              <span className="code-part code-part-level" title={c.exerciseLevel}>
                {preview.slice(18, 19)}
              </span>
              <span className="code-part" title={c.basicCode}>
                {preview.slice(19)}
              </span>
            </output>
          ) : (
            <Typography.Text type="secondary">{c.codePending}</Typography.Text>
          )}
        </div>
        <Form.Item name="name" label={c.name} rules={[{ required: true, whitespace: true, message: t.common.required(c.name) }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="type" label={c.type} rules={[{ required: true, message: t.common.requiredChoice(c.type) }]}>
          <Select options={ITEM_TYPES.map((code) => ({ value: code, label: `${code} ${labels.itemType(code)}` }))} />
        </Form.Item>
        <Form.Item name="serviceObjects" label={c.serviceObjects} rules={[{ required: true, type: 'array', min: 1, message: t.common.requiredChoice(c.serviceObjects) }]}>
          <Checkbox.Group aria-label={c.serviceObjects} options={SERVICE_OBJECTS.map((code) => ({ value: code, label: labels.serviceObject(code) }))} />
        </Form.Item>
        <ProblemAlert error={error} unmatched={unmatched} />
      </Form>
    </Modal>
  );
}
