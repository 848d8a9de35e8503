import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Grid,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
  type ColProps,
  type FormInstance,
  type FormItemProps,
  type FormListFieldData,
} from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CheckCircleOutlined, DeleteOutlined, PlusOutlined, SaveOutlined, SendOutlined, WarningOutlined } from '@ant-design/icons';
import {
  CASE_KINDS,
  FOUR_WAYS,
  HANDLING_FORMS,
  HANDLING_ITEM_KINDS,
  IMPLEMENTER_NATURES,
  ITEM_TYPES,
  MATERIAL_REQUIREMENTS,
  MATERIAL_SOURCES,
  ONLINE_DEPTHS,
  RESULT_KINDS,
  SERVICE_OBJECTS,
  SPECIAL_PROCEDURE_KINDS,
  THEMES,
} from '@server/shared/catalog-codes';
import { STAFF_ROLES } from '@server/shared/roles';
import { ApiError, type FieldProblem } from '../../../app/api';
import { useI18n } from '../../../app/i18n';
import { PageHeading } from '../../../app/layout/chrome';
import { ProblemAlert } from '../../../app/problems';
import { catalogApi, type AdminItem, type ItemContent, type ItemVersionDetail } from '../api';
import { useCodeLabels } from '../codes';
import { GuideView } from '../GuideView';
import { FormDesigner } from './FormDesigner';
import { previewGuide, toNamePath, VersionStatusTag, type Lookups } from './shared';

const TAB_KEYS = ['basic', 'legal', 'conditions', 'procedure', 'timeLimits', 'fees', 'materials', 'form', 'results', 'halls', 'handling', 'intermediaries', 'special', 'parallel', 'contact', 'faq', 'preview'] as const;
type TabKey = (typeof TAB_KEYS)[number];

/** Which tab holds each element of ItemContent, so a server error finds its tab. */
const TAB_OF: Record<keyof ItemContent, TabKey> = {
  name: 'basic',
  type: 'basic',
  implementerNature: 'basic',
  serviceObjects: 'basic',
  subItems: 'basic',
  handlingItems: 'basic',
  legalBasis: 'legal',
  acceptanceConditions: 'conditions',
  procedure: 'procedure',
  legalDays: 'timeLimits',
  promisedDays: 'timeLimits',
  caseKind: 'timeLimits',
  fees: 'fees',
  materials: 'materials',
  decideWhileOwed: 'materials',
  commitment: 'materials',
  instantApproval: 'handling',
  form: 'form',
  results: 'results',
  hallIds: 'halls',
  handlingForms: 'handling',
  handling: 'handling',
  onlineDepth: 'handling',
  visitsRequired: 'handling',
  appointment: 'handling',
  expressDelivery: 'handling',
  onlinePayment: 'handling',
  intermediaryServiceIds: 'intermediaries',
  specialProcedures: 'special',
  parallel: 'parallel',
  enquiryPhone: 'contact',
  complaintPhone: 'contact',
  keywords: 'contact',
  themes: 'contact',
  faq: 'faq',
};

function tabOf(field: string): TabKey {
  const first = toNamePath(field)[0];
  return (typeof first === 'string' && (TAB_OF as Record<string, TabKey>)[first]) || 'basic';
}

/** Optional strings the form leaves empty ('' or undefined): left out, as the schema wants them absent. */
const OPTIONAL_STRINGS = new Set(['article', 'text', 'code', 'sampleFileId', 'templateFileId', 'proofId', 'licenseTypeCode', 'resourceId', 'notes', 'help']);

function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => clean(v));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      if (OPTIONAL_STRINGS.has(k) && typeof v === 'string' && v.trim() === '') continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}

/** A form name path as the server writes field paths: ['materials', 2, 'name'] → materials[2].name. */
function pathString(name: readonly (string | number)[]): string {
  return name.map((n, i) => (typeof n === 'number' ? `[${n}]` : i === 0 ? n : `.${n}`)).join('');
}

/** The content to save: the whole form store (every tab), without empty optional strings; `form` is left exactly as the designer made it. */
function contentOf(form: FormInstance<ItemContent>): ItemContent {
  const values = form.getFieldsValue(true) as ItemContent;
  const cleaned = clean({ ...values, form: undefined }) as ItemContent;
  cleaned.form = values.form;
  if (cleaned.fees.free) cleaned.fees = { free: true, items: [] };
  return cleaned;
}

function unusedMaterialId(materials: Array<{ id?: string }> | undefined): string {
  const used = new Set((materials ?? []).map((m) => m.id));
  let n = (materials?.length ?? 0) + 1;
  while (used.has(`material_${n}`)) n++;
  return `material_${n}`;
}

/** An ordered list of entries (steps, materials …): each a fieldset with move up / down / remove buttons. */
function ListEditor({ name, entry, newEntry, children }: { name: string | (string | number)[]; entry: string; newEntry(): unknown; children(field: FormListFieldData, index: number): ReactNode }) {
  const { t } = useI18n();
  const a = t.catalog.admin;
  return (
    <Form.List name={name}>
      {(fields, { add, remove, move }, { errors }) => (
        <div className="list-editor">
          {fields.length === 0 && <Typography.Paragraph type="secondary">{a.editor.emptyList}</Typography.Paragraph>}
          {fields.map((field, index) => {
            const label = a.numbered(entry, index + 1);
            return (
              <fieldset key={field.key} className="list-entry">
                <legend className="list-entry-legend">{label}</legend>
                <Space size={2} className="list-entry-actions">
                  <Button size="small" type="text" icon={<ArrowUpOutlined aria-hidden />} disabled={index === 0} aria-label={a.moveUpNamed(label)} onClick={() => move(index, index - 1)} />
                  <Button size="small" type="text" icon={<ArrowDownOutlined aria-hidden />} disabled={index === fields.length - 1} aria-label={a.moveDownNamed(label)} onClick={() => move(index, index + 1)} />
                  <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={a.removeNamed(label)} onClick={() => remove(index)} />
                </Space>
                {children(field, index)}
              </fieldset>
            );
          })}
          <Form.ErrorList errors={errors} />
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => add(newEntry())}>
            {`${a.add}${entry}`}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** A form item in a grid column, full width on a phone unless told otherwise. */
function Cell({ xs = 24, sm, md, children, ...item }: FormItemProps & Pick<ColProps, 'xs' | 'sm' | 'md'>) {
  return (
    <Col xs={xs} sm={sm} md={md}>
      <Form.Item {...item}>{children}</Form.Item>
    </Col>
  );
}

export interface EditorProps {
  item: AdminItem;
  detail: ItemVersionDetail;
  lookups: Lookups;
  /** Refetch the version (after a submit, or to drop a stale draft after a conflict). */
  onReload(): void;
}

/** The editor of a draft version: one form over every element, in tabs, with the publish check beside it. */
export function ItemEditor({ item, detail, lookups, onReload }: EditorProps) {
  const { t, roleLabel } = useI18n();
  const e = t.catalog.admin.editor;
  const a = t.catalog.admin;
  const labels = useCodeLabels();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<ItemContent>();
  // Sixteen tabs: a column on the left where there is room, a scrolling bar on top elsewhere.
  const wide = Grid.useBreakpoint().lg === true;
  const [tab, setTab] = useState<TabKey>('basic');
  const [lock, setLock] = useState(detail.lockVersion);
  const [problems, setProblems] = useState<FieldProblem[]>(detail.problems);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Server errors with no form item to sit on (a form schema path, a whole list): listed, with their tab.
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [failedTabs, setFailedTabs] = useState<Set<TabKey>>(new Set());
  const code = item.implementationCode;
  const version = detail.version;

  // Leaving the page with unsaved changes asks first (the browser's own prompt).
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const problemCount = useMemo(() => {
    const counts = new Map<TabKey, number>();
    for (const p of [...problems, ...unmatched]) counts.set(tabOf(p.field), (counts.get(tabOf(p.field)) ?? 0) + 1);
    return counts;
  }, [problems, unmatched]);

  const goTo = (field: string) => {
    const target = tabOf(field);
    setTab(target);
    const path = toNamePath(field);
    // After the tab shows: scroll to the field and focus it when it has a control.
    window.setTimeout(() => {
      try {
        form.scrollToField(path, { block: 'center', focus: true });
      } catch {
        // No item for that path (a whole list, a form schema path): the tab is the best place.
      }
    }, 50);
  };

  /** Puts server field errors on their items; returns those without one. */
  const showServerErrors = (err: unknown): FieldProblem[] => {
    if (!(err instanceof ApiError)) return [];
    const registered = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name.map(String))));
    const byName = new Map<string, { name: (string | number)[]; errors: string[] }>();
    const rest: FieldProblem[] = [];
    for (const problem of err.errors) {
      const name = toNamePath(problem.field);
      const key = JSON.stringify(name.map(String));
      if (name.length > 0 && registered.has(key)) {
        const entry = byName.get(key) ?? { name, errors: [] };
        entry.errors.push(problem.message);
        byName.set(key, entry);
      } else {
        rest.push(problem);
      }
    }
    form.setFields([...byName.values()]);
    setFailedTabs(new Set(err.errors.map((p) => tabOf(p.field))));
    return rest;
  };

  const refreshProblems = async () => {
    try {
      const fresh = await catalogApi.version(code, version);
      setProblems(fresh.problems);
    } catch {
      // The check is advisory; the next save or a reload shows it again.
    }
  };

  /** Saves the draft; the new lockVersion, or null when refused. */
  const save = async (): Promise<number | null> => {
    setError(null);
    setUnmatched([]);
    setFailedTabs(new Set());
    try {
      await form.validateFields();
    } catch (err) {
      const failed = (err as { errorFields?: Array<{ name: (string | number)[] }> }).errorFields ?? [];
      if (failed.length > 0) {
        setFailedTabs(new Set(failed.map((f) => tabOf(pathString(f.name)))));
        goTo(pathString(failed[0]!.name));
        return null;
      }
    }
    try {
      const state = await catalogApi.saveVersion(code, version, contentOf(form), lock);
      setLock(state.lockVersion);
      setDirty(false);
      message.success(e.saved);
      void refreshProblems();
      return state.lockVersion;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setConflict(true);
        return null;
      }
      setUnmatched(showServerErrors(err));
      setError(err);
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    try {
      await save();
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = () => {
    modal.confirm({
      title: e.submit,
      content: e.submitConfirm,
      okText: e.submit,
      cancelText: t.common.cancel,
      onOk: async () => {
        setBusy('submit');
        try {
          const current = dirty ? await save() : lock;
          if (current === null) return;
          await catalogApi.submit(code, version, current);
          message.success(e.submitted);
          setDirty(false);
          onReload();
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) setConflict(true);
          else {
            setUnmatched(showServerErrors(err));
            setError(err);
          }
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const tabLabel = (key: TabKey) => {
    const count = problemCount.get(key) ?? 0;
    const failed = failedTabs.has(key);
    return (
      <span>
        {e.tabs[key]}
        {(count > 0 || failed) && (
          <>
            {' '}
            <Badge count={count || '!'} size="small" color={failed ? '#cf1322' : '#d46b08'} aria-hidden />
            <span className="visually-hidden">{e.tabHasErrors}</span>
          </>
        )}
      </span>
    );
  };

  const required = (label: string) => [{ required: true, whitespace: true, message: t.common.required(label) }];
  const choose = (label: string) => [{ required: true, message: t.common.requiredChoice(label) }];
  const proofOptions = lookups.proofs.map((p) => ({ value: p.id, label: p.status === 'published' ? `${p.name}（${p.code}）` : `${p.name}（${p.code}，${a.listStatus[p.status]}）`, disabled: p.status !== 'published' }));
  const intermediaryOptions = lookups.intermediaries.map((m) => ({ value: m.id, label: m.status === 'published' ? m.name : `${m.name}（${a.listStatus[m.status]}）`, disabled: m.status !== 'published' }));
  const formProblems = unmatched.filter((p) => tabOf(p.field) === 'form').map((p) => `${p.field}: ${p.message}`);

  const panes: Record<Exclude<TabKey, 'preview'>, ReactNode> = {
    basic: (
      <>
        <Form.Item name="name" label={e.name} rules={required(e.name)}>
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={16}>
          <Cell md={12} name="type" label={e.type} rules={choose(e.type)}>
            <Select options={ITEM_TYPES.map((c) => ({ value: c, label: `${c} ${labels.itemType(c)}` }))} />
          </Cell>
          <Cell md={12} name="implementerNature" label={e.implementerNature} rules={choose(e.implementerNature)}>
            <Select options={IMPLEMENTER_NATURES.map((c) => ({ value: c, label: labels.implementerNature(c) }))} />
          </Cell>
        </Row>
        <Form.Item name="serviceObjects" label={e.serviceObjects} rules={[{ required: true, type: 'array', min: 1, message: t.common.requiredChoice(e.serviceObjects) }]}>
          <Checkbox.Group aria-label={e.serviceObjects} options={SERVICE_OBJECTS.map((c) => ({ value: c, label: labels.serviceObject(c) }))} />
        </Form.Item>
        <Typography.Title level={3} className="table-title">
          {e.subItems}
        </Typography.Title>
        <ListEditor name="subItems" entry={e.subItem} newEntry={() => ({ name: '' })}>
          {(field) => (
            <Row gutter={16}>
              <Cell md={8} name={[field.name, 'code']} label={e.subItemCode}>
                <Input maxLength={40} className="code-input" />
              </Cell>
              <Cell md={16} name={[field.name, 'name']} label={e.subItemName} rules={required(e.subItemName)}>
                <Input maxLength={200} />
              </Cell>
            </Row>
          )}
        </ListEditor>
        <Typography.Title level={3} className="table-title">
          {e.handlingItems}
        </Typography.Title>
        <ListEditor name="handlingItems" entry={e.handlingItem} newEntry={() => ({ name: '', kind: 'new' })}>
          {(field) => (
            <Row gutter={16}>
              <Cell md={16} name={[field.name, 'name']} label={e.handlingItemName} rules={required(e.handlingItemName)}>
                <Input maxLength={200} />
              </Cell>
              <Cell md={8} name={[field.name, 'kind']} label={e.handlingItemKind} rules={choose(e.handlingItemKind)}>
                <Select options={HANDLING_ITEM_KINDS.map((k) => ({ value: k, label: labels.handlingItemKind(k) }))} />
              </Cell>
            </Row>
          )}
        </ListEditor>
      </>
    ),
    legal: (
      <ListEditor name="legalBasis" entry={e.legalBasis} newEntry={() => ({ title: '' })}>
        {(field) => (
          <>
            <Row gutter={16}>
              <Cell md={16} name={[field.name, 'title']} label={e.basisTitle} rules={required(e.basisTitle)}>
                <Input maxLength={200} />
              </Cell>
              <Cell md={8} name={[field.name, 'article']} label={e.basisArticle}>
                <Input maxLength={100} />
              </Cell>
            </Row>
            <Form.Item name={[field.name, 'text']} label={e.basisText}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
          </>
        )}
      </ListEditor>
    ),
    conditions: (
      <ListEditor name="acceptanceConditions" entry={e.condition} newEntry={() => ''}>
        {(field) => (
          <Form.Item name={[field.name]} label={e.condition} rules={required(e.condition)}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        )}
      </ListEditor>
    ),
    procedure: (
      <>
        <ListEditor name="procedure" entry={e.step} newEntry={() => ({ name: '', role: 'approver', days: 1 })}>
          {(field) => (
            <Row gutter={16}>
              <Cell md={10} name={[field.name, 'name']} label={e.stepName} rules={required(e.stepName)}>
                <Input maxLength={50} />
              </Cell>
              <Cell md={8} name={[field.name, 'role']} label={e.stepRole} rules={choose(e.stepRole)}>
                <Select options={STAFF_ROLES.map((r) => ({ value: r, label: roleLabel(r) }))} />
              </Cell>
              <Cell md={6} name={[field.name, 'days']} label={e.stepDays} rules={choose(e.stepDays)}>
                <InputNumber min={0} max={3650} precision={0} />
              </Cell>
            </Row>
          )}
        </ListEditor>
        <StepsTotal form={form} />
      </>
    ),
    timeLimits: (
      <Row gutter={16}>
        <Cell md={8} name="legalDays" label={e.legalDays} rules={choose(e.legalDays)}>
          <InputNumber min={0} max={3650} precision={0} />
        </Cell>
        <Cell md={8} name="promisedDays" label={e.promisedDays} extra={e.promisedHelp} rules={choose(e.promisedDays)}>
          <InputNumber min={0} max={3650} precision={0} />
        </Cell>
        <Cell md={8} name="caseKind" label={e.caseKind} rules={choose(e.caseKind)}>
          <Radio.Group aria-label={e.caseKind} options={CASE_KINDS.map((c) => ({ value: c, label: labels.caseKind(c) }))} />
        </Cell>
      </Row>
    ),
    fees: (
      <>
        <Form.Item name={['fees', 'free']} label={e.free} valuePropName="checked">
          <Switch
            onChange={(free) => {
              if (free) form.setFieldValue(['fees', 'items'], []);
            }}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(prev: ItemContent, next: ItemContent) => prev.fees?.free !== next.fees?.free}>
          {() =>
            form.getFieldValue(['fees', 'free']) ? null : (
              <ListEditor name={['fees', 'items']} entry={e.feeItem} newEntry={() => ({ name: '', basis: '' })}>
                {(field) => (
                  <Row gutter={16}>
                    <Cell md={8} name={[field.name, 'name']} label={e.feeName} rules={required(e.feeName)}>
                      <Input maxLength={100} />
                    </Cell>
                    <Col xs={24} md={6}>
                      {/* Entered in yuan, stored in fen (分). */}
                      <Form.Item
                        name={[field.name, 'amountFen']}
                        label={e.feeAmount}
                        rules={choose(e.feeAmount)}
                        getValueProps={(fen?: number) => ({ value: fen === undefined || fen === null ? fen : fen / 100 })}
                        normalize={(yuan?: number | null) => (yuan === undefined || yuan === null ? yuan : Math.round(yuan * 100))}
                      >
                        <InputNumber min={0.01} max={10_000_000} precision={2} step={1} />
                      </Form.Item>
                    </Col>
                    <Cell md={10} name={[field.name, 'basis']} label={e.feeBasis} rules={required(e.feeBasis)}>
                      <Input.TextArea rows={1} autoSize maxLength={500} />
                    </Cell>
                  </Row>
                )}
              </ListEditor>
            )
          }
        </Form.Item>
      </>
    ),
    materials: (
      <>
      <ListEditor
        name="materials"
        entry={e.material}
       
        newEntry={() => ({ id: unusedMaterialId(form.getFieldValue('materials') as ItemContent['materials']), name: '', source: 'applicant', requirement: 'required', paperCopies: 1, originals: 0 })}
      >
        {(field) => (
          <Row gutter={16}>
            <Cell md={8} name={[field.name, 'id']} label={e.materialId} extra={e.materialIdHelp} rules={[...required(e.materialId), { pattern: /^[a-z0-9_-]{1,40}$/, message: e.materialIdHelp }]}>
              <Input maxLength={40} className="code-input" spellCheck={false} />
            </Cell>
            <Cell md={16} name={[field.name, 'name']} label={e.materialName} rules={required(e.materialName)}>
              <Input maxLength={200} />
            </Cell>
            <Cell sm={12} md={6} name={[field.name, 'source']} label={e.source} rules={choose(e.source)}>
              <Select options={MATERIAL_SOURCES.map((s) => ({ value: s, label: labels.materialSource(s) }))} />
            </Cell>
            <Cell sm={12} md={6} name={[field.name, 'requirement']} label={e.requirement} rules={choose(e.requirement)}>
              <Select options={MATERIAL_REQUIREMENTS.map((s) => ({ value: s, label: labels.materialRequirement(s) }))} />
            </Cell>
            <Cell xs={12} md={6} name={[field.name, 'originals']} label={e.originals} rules={choose(e.originals)}>
              <InputNumber min={0} max={20} precision={0} />
            </Cell>
            <Cell xs={12} md={6} name={[field.name, 'paperCopies']} label={e.paperCopies} rules={choose(e.paperCopies)}>
              <InputNumber min={0} max={20} precision={0} />
            </Cell>
            <Cell md={12} name={[field.name, 'proofId']} label={e.proofId} extra={e.proofHelp}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={proofOptions} />
            </Cell>
            <Cell sm={12} md={6} name={[field.name, 'licenseTypeCode']} label={e.licenseTypeCode}>
              <Input maxLength={40} className="code-input" />
            </Cell>
            <Cell sm={12} md={6} name={[field.name, 'resourceId']} label={e.resourceId}>
              <Input maxLength={64} className="code-input" />
            </Cell>
            <Cell sm={12} name={[field.name, 'sampleFileId']} label={e.sampleFileId}>
              <Input maxLength={64} className="code-input" />
            </Cell>
            <Cell sm={12} name={[field.name, 'templateFileId']} label={e.templateFileId}>
              <Input maxLength={64} className="code-input" />
            </Cell>
            <Cell name={[field.name, 'notes']} label={e.notes}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Cell>
          </Row>
        )}
      </ListEditor>
      <Form.Item name="decideWhileOwed" label={e.decideWhileOwed} extra={e.decideWhileOwedHelp} valuePropName="checked">
        <Switch />
      </Form.Item>
    </>
    ),
    form: (
      <Form.Item name="form" noStyle>
        <FormDesigner regions={lookups.regions} problems={formProblems} />
      </Form.Item>
    ),
    results: (
      <ListEditor name="results" entry={e.result} newEntry={() => ({ name: '', kind: 'license' })}>
        {(field) => (
          <Row gutter={16}>
            <Cell md={12} name={[field.name, 'name']} label={e.resultName} rules={required(e.resultName)}>
              <Input maxLength={200} />
            </Cell>
            <Cell sm={12} md={6} name={[field.name, 'kind']} label={e.resultKind} rules={choose(e.resultKind)}>
              <Select options={RESULT_KINDS.map((k) => ({ value: k, label: labels.resultKind(k) }))} />
            </Cell>
            <Cell sm={12} md={6} name={[field.name, 'licenseTypeCode']} label={e.licenseTypeCode}>
              <Input maxLength={40} className="code-input" />
            </Cell>
          </Row>
        )}
      </ListEditor>
    ),
    halls: (
      <Form.Item name="hallIds" label={e.halls} extra={e.hallsHelp}>
        <Checkbox.Group aria-label={e.halls} className="hall-checkboxes" options={lookups.halls.map((h) => ({ value: h.id, label: `${h.name}（${h.address}）` }))} />
      </Form.Item>
    ),
    handling: (
      <>
        <Form.Item name="handlingForms" label={e.handlingForms} rules={[{ required: true, type: 'array', min: 1, message: t.common.requiredChoice(e.handlingForms) }]}>
          <Checkbox.Group aria-label={e.handlingForms} options={HANDLING_FORMS.map((f) => ({ value: f, label: labels.handlingForm(f) }))} />
        </Form.Item>
        <fieldset className="plain-fieldset">
          <legend className="ant-form-item-label">{e.fourWays}</legend>
          <Space wrap size={16}>
            {FOUR_WAYS.map((way) => (
              <Form.Item key={way} name={['handling', way]} valuePropName="checked" noStyle>
                <Checkbox>{labels.fourWay(way)}</Checkbox>
              </Form.Item>
            ))}
          </Space>
        </fieldset>
        <Row gutter={16}>
          <Cell md={12} name="onlineDepth" label={e.onlineDepth} rules={choose(e.onlineDepth)}>
            <Select options={ONLINE_DEPTHS.map((d) => ({ value: d, label: labels.onlineDepth(d) }))} />
          </Cell>
          <Cell md={12} name="visitsRequired" label={e.visitsRequired} extra={e.visitsHelp} rules={choose(e.visitsRequired)}>
            <InputNumber min={0} max={10} precision={0} />
          </Cell>
        </Row>
        <Space wrap size={24}>
          <Form.Item name="appointment" label={e.appointment} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="expressDelivery" label={e.expressDelivery} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="onlinePayment" label={e.onlinePayment} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </>
    ),
    intermediaries: (
      <Form.Item name="intermediaryServiceIds" label={e.intermediaryServices} extra={e.intermediaryHelp}>
        <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} options={intermediaryOptions} />
      </Form.Item>
    ),
    special: (
      <ListEditor name="specialProcedures" entry={e.specialProcedure} newEntry={() => ({ kind: '1', name: '', days: 10 })}>
        {(field) => (
          <Row gutter={16}>
            <Cell md={8} name={[field.name, 'kind']} label={e.specialKind} rules={choose(e.specialKind)}>
              <Select options={SPECIAL_PROCEDURE_KINDS.map((k) => ({ value: k, label: labels.specialProcedure(k) }))} />
            </Cell>
            <Cell md={10} name={[field.name, 'name']} label={e.specialName} rules={required(e.specialName)}>
              <Input maxLength={100} />
            </Cell>
            <Cell md={6} name={[field.name, 'days']} label={e.specialDays} rules={choose(e.specialDays)}>
              <InputNumber min={0} max={3650} precision={0} />
            </Cell>
          </Row>
        )}
      </ListEditor>
    ),
    parallel: (
      <ListEditor name="parallel" entry={e.parallelComponent} newEntry={() => ({ implementationCode: '', required: true })}>
        {(field) => (
          <Row gutter={16}>
            <Cell md={16} name={[field.name, 'implementationCode']} label={e.parallelCode} extra={e.parallelHelp} rules={required(e.parallelCode)}>
              <Input maxLength={40} className="code-input" spellCheck={false} />
            </Cell>
            <Cell md={8} name={[field.name, 'required']} label={e.parallelRequired} valuePropName="checked">
              <Switch />
            </Cell>
          </Row>
        )}
      </ListEditor>
    ),
    contact: (
      <>
        <Row gutter={16}>
          <Cell md={12} name="enquiryPhone" label={e.enquiryPhone}>
            <Input type="tel" maxLength={30} />
          </Cell>
          <Cell md={12} name="complaintPhone" label={e.complaintPhone}>
            <Input type="tel" maxLength={30} />
          </Cell>
        </Row>
        <Form.Item name="keywords" label={e.keywords} extra={e.keywordsHelp}>
          <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="themes" label={e.themes}>
          <Checkbox.Group aria-label={e.themes} className="theme-checkboxes" options={THEMES.map((th) => ({ value: th, label: labels.theme(th) }))} />
        </Form.Item>
      </>
    ),
    faq: (
      <ListEditor name="faq" entry={e.faqItem} newEntry={() => ({ question: '', answer: '' })}>
        {(field) => (
          <>
            <Form.Item name={[field.name, 'question']} label={e.question} rules={required(e.question)}>
              <Input maxLength={300} />
            </Form.Item>
            <Form.Item name={[field.name, 'answer']} label={e.answer} rules={required(e.answer)}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
          </>
        )}
      </ListEditor>
    ),
  };

  const name = (Form.useWatch('name', form) as string | undefined) ?? detail.content.name;

  return (
    <div className="page editor-page">
      <PageHeading
        title={e.title(name || detail.content.name, version)}
        intro={
          <Space wrap size={8} className="editor-status">
            <VersionStatusTag status={detail.status} />
            <span className="code-text">{code}</span>
            {dirty && (
              <Tag color="orange" role="status">
                {e.unsaved}
              </Tag>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<SaveOutlined aria-hidden />} onClick={onSave} loading={busy === 'save'} disabled={conflict || busy !== null}>
              {e.save}
            </Button>
            <Button type="primary" icon={<SendOutlined aria-hidden />} onClick={onSubmit} loading={busy === 'submit'} disabled={conflict || busy !== null}>
              {e.submit}
            </Button>
          </Space>
        }
      />
      {detail.reviewComment && <Alert className="editor-alert" type="warning" showIcon title={e.returnedComment(detail.reviewComment)} />}
      {conflict && (
        <Alert
          className="editor-alert"
          type="error"
          showIcon
          role="alert"
          title={e.conflictTitle}
          description={e.conflictText}
          action={
            <Button danger onClick={onReload}>
              {e.reload}
            </Button>
          }
        />
      )}
      {error !== null && (
        <div className="editor-alert">
          <ProblemAlert error={error} title={e.saveFailed} />
        </div>
      )}
      {unmatched.length > 0 && (
        <Alert
          className="editor-alert"
          type="error"
          showIcon
          title={t.common.invalidFieldsTitle}
          description={
            <ul className="problem-list">
              {unmatched.map((p, i) => (
                <li key={`${p.field}:${i}`}>
                  <span>
                    <code>{p.field}</code> {p.message}
                  </span>{' '}
                  <Button type="link" size="small" onClick={() => goTo(p.field)}>
                    {e.goTo}（{e.tabs[tabOf(p.field)]}）
                  </Button>
                </li>
              ))}
            </ul>
          }
        />
      )}
      <ProblemsCard problems={problems} onGo={goTo} tabName={(field) => e.tabs[tabOf(field)]} />
      <Card className="editor-card">
            <Form<ItemContent>
              form={form}
              name="item-editor"
              layout="vertical"
              initialValues={detail.content}
              onValuesChange={() => setDirty(true)}
              scrollToFirstError={false}
            >
              <Tabs
                activeKey={tab}
                tabPlacement={wide ? 'start' : 'top'}
                className="editor-tabs"
                // Sixteen tabs do not fit a phone's width: there a labelled drop-down chooses the part to edit.
                renderTabBar={
                  wide
                    ? undefined
                    : () => (
                        <div className="editor-part">
                          <label htmlFor="editor-part">{e.part}</label>
                          <Select
                            id="editor-part"
                            value={tab}
                            onChange={(key: TabKey) => setTab(key)}
                            options={TAB_KEYS.map((key) => ({ value: key, label: tabLabel(key) }))}
                            style={{ width: '100%' }}
                          />
                        </div>
                      )
                }
                onChange={(key) => setTab(key as TabKey)}
                items={TAB_KEYS.map((key) => ({
                  key,
                  label: tabLabel(key),
                  // Every tab stays rendered so its fields validate and take server errors while hidden.
                  forceRender: key !== 'preview',
                  children:
                    key === 'preview' ? (
                      tab === 'preview' && <GuideView embedded guide={previewGuide(item, version, contentOf(form), lookups)} />
                    ) : (
                      panes[key]
                    ),
                }))}
              />
            </Form>
      </Card>
    </div>
  );
}

function StepsTotal({ form }: { form: FormInstance<ItemContent> }) {
  const { t } = useI18n();
  const steps = (Form.useWatch('procedure', form) as ItemContent['procedure'] | undefined) ?? [];
  const promised = (Form.useWatch('promisedDays', form) as number | undefined) ?? 0;
  const sum = steps.reduce((total, s) => total + (Number(s?.days) || 0), 0);
  return (
    <Typography.Paragraph type={sum > promised ? 'danger' : 'secondary'} className="steps-total" role="status">
      {sum > promised && <WarningOutlined aria-hidden />} {t.catalog.admin.editor.stepsTotal(sum, promised)}
    </Typography.Paragraph>
  );
}

/** Publish readiness as a checklist: each problem with the tab that fixes it. */
export function ProblemsCard({ problems, onGo, tabName }: { problems: FieldProblem[]; onGo?(field: string): void; tabName?(field: string): string }) {
  const { t } = useI18n();
  const e = t.catalog.admin.editor;
  const ok = problems.length === 0;
  return (
    <section aria-labelledby="problems-title" className="problems-card">
      <Alert
        type={ok ? 'success' : 'warning'}
        showIcon
        icon={ok ? <CheckCircleOutlined aria-hidden /> : <WarningOutlined aria-hidden />}
        title={
          <h2 id="problems-title" className="card-title">
            {e.problems}：{ok ? e.problemsOk : e.problemsIntro(problems.length)}
            {onGo && <span className="problems-basis">{e.problemsBasis}</span>}
          </h2>
        }
        description={
          ok ? undefined : (
            <ul className="problem-list">
              {problems.map((p, i) => (
                <li key={`${p.field}:${p.code}:${i}`}>
                  {p.message}
                  {onGo && (
                    <Button type="link" size="small" onClick={() => onGo(p.field)}>
                      {e.goTo}
                      {tabName ? `（${tabName(p.field)}）` : ''}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      />
    </section>
  );
}
