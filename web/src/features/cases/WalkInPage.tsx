import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Form, Input, Radio, Select, Skeleton, Space, Spin, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { normalizeCreditCode, normalizeIdNumber } from '@server/shared/identifiers';
import { ApiError, isAbort, type FieldProblem } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { useIdentifierRules } from '../identity/rules';
import { catalogApi, guidePath, type Guide, type ItemSummary } from '../catalog/api';
import { casesApi, useAttemptKey, type WindowApplicationInput } from './api';
import { splitErrors } from './fieldErrors';
import { useRevokeOnUnmount } from './FileUpload';
import { MaterialsEditor, missingRequired, type MaterialChoices } from './MaterialsEditor';
import { collectValues, formFieldsOf, SchemaFields } from './SchemaForm';
import './cases.css';

interface ApplicantValues {
  kind: 'natural' | 'legal';
  name: string;
  idNumber?: string;
  creditCode?: string;
  phone: string;
}

const APPLICANT_FIELDS = ['name', 'idNumber', 'creditCode', 'phone'];

/** Items by name for the picker: the catalog's Chinese search, as the citizen's search box uses it. */
function useItemSearch(text: string) {
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setLoading(true);
      catalogApi
        .search({ q: text.trim() || undefined, limit: 20 }, controller.signal)
        .then((page) => setItems(page.items))
        .catch((err: unknown) => {
          if (!isAbort(err)) setItems([]);
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [text]);
  return { items, loading };
}

/** Filing at the window for a walk-in applicant (窗口收件): item, applicant, form, scanned or paper materials. */
export function WalkInPage() {
  const { t } = useI18n();
  const w = t.cases.walkIn;
  usePageTitle(w.title);
  const [text, setText] = useState('');
  const [itemCode, setItemCode] = useState<string>();
  const search = useItemSearch(text);
  const guide = useApi<Guide>(itemCode ? guidePath(itemCode) : null);

  return (
    <div className="page">
      <PageHeading title={w.title} intro={w.intro} extra={<LinkButton to="/workbench/front-desk">{t.cases.frontDesk.title}</LinkButton>} />
      <Space orientation="vertical" size={16} className="case-sections">
        <Card title={<h2 className="card-title">{w.item}</h2>}>
          <label htmlFor="walk-in-item" className="field-label">
            {w.itemLabel}
          </label>
          <Select
            id="walk-in-item"
            showSearch={{ filterOption: false, onSearch: setText }}
            value={itemCode}
            onChange={(code: string) => setItemCode(code)}
            placeholder={w.itemPlaceholder}
            notFoundContent={search.loading ? <Spin size="small" /> : w.noItems}
            options={search.items.map((i) => ({ value: i.implementationCode, label: `${i.name}（${i.departmentName}）` }))}
            className="item-picker"
          />
        </Card>
        {itemCode && guide.loading && !guide.data && <Skeleton active paragraph={{ rows: 8 }} />}
        {guide.error !== null && <ProblemAlert error={guide.error} />}
        {guide.data && guide.data.implementationCode === itemCode && <Filing key={itemCode} guide={guide.data} />}
      </Space>
    </div>
  );
}

function Filing({ guide }: { guide: Guide }) {
  const { t } = useI18n();
  const w = t.cases.walkIn;
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [applicantForm] = Form.useForm<ApplicantValues>();
  const [form] = Form.useForm<Record<string, unknown>>();
  const kind = Form.useWatch('kind', applicantForm) ?? 'natural';
  const fields = useMemo(() => formFieldsOf(guide.form), [guide.form]);
  const [choices, setChoices] = useState<MaterialChoices>({});
  const [materialErrors, setMaterialErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const attemptKey = useAttemptKey();
  useRevokeOnUnmount(Object.values(choices).map((c) => c.file));

  const rules = useIdentifierRules();
  const required = rules.required;

  const submit = async () => {
    if (submitting) return;
    let applicant: ApplicantValues;
    try {
      applicant = await applicantForm.validateFields();
      await form.validateFields();
    } catch {
      return;
    }
    const missing = missingRequired(guide.materials, choices);
    setMaterialErrors(Object.fromEntries(missing.map((m) => [m.id, w.materialMissing(m.name)])));
    if (missing.length > 0) return;
    const materials: WindowApplicationInput['materials'] = [];
    for (const m of guide.materials) {
      const choice = choices[m.id];
      if (choice?.file) materials.push({ materialId: m.id, fileId: choice.file.meta.fileId });
      else if (choice?.paper) materials.push({ materialId: m.id, paper: true });
    }
    const input: WindowApplicationInput = {
      itemCode: guide.implementationCode,
      applicant: {
        kind: applicant.kind,
        name: applicant.name.trim(),
        ...(applicant.kind === 'natural' ? { idNumber: normalizeIdNumber(applicant.idNumber ?? '') } : { creditCode: normalizeCreditCode(applicant.creditCode ?? '') }),
        phone: applicant.phone.trim(),
      },
      form: collectValues(fields, form.getFieldsValue(true) as Record<string, unknown>),
      materials,
    };
    const key = attemptKey(input);
    setSubmitting(true);
    setError(null);
    setUnmatched([]);
    try {
      const created = await casesApi.file(input, key);
      message.success(w.filed(created.caseNumber));
      void navigate(`/workbench/front-desk/cases/${encodeURIComponent(created.caseNumber)}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const split = splitErrors(err, fields.map((f) => f.key), materials.map((m) => m.materialId));
        const applicantErrors = new Map<string, string[]>();
        const rest: FieldProblem[] = [];
        for (const p of split.rest) {
          const applicantKey = /^applicant\.(\w+)$/.exec(p.field)?.[1];
          if (applicantKey && APPLICANT_FIELDS.includes(applicantKey)) applicantErrors.set(applicantKey, [...(applicantErrors.get(applicantKey) ?? []), p.message]);
          else rest.push(p);
        }
        applicantForm.setFields([...applicantErrors].map(([name, errors]) => ({ name: name as keyof ApplicantValues, errors })));
        form.setFields([...split.form].map(([name, errors]) => ({ name, errors })));
        setMaterialErrors(split.materials);
        setUnmatched(rest);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const nameLabel = kind === 'natural' ? w.personName : w.orgName;
  return (
    <>
      <Card title={<h2 className="card-title">{w.applicant}</h2>}>
        <Form<ApplicantValues> form={applicantForm} name="walk-in-applicant" layout="vertical" validateTrigger="onBlur" initialValues={{ kind: 'natural' }}>
          <Form.Item name="kind" label={w.kind}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              aria-label={w.kind}
              options={[
                { value: 'natural', label: t.register.natural },
                { value: 'legal', label: t.register.legal },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={nameLabel} rules={[required(nameLabel)]}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          {kind === 'natural' ? (
            <Form.Item name="idNumber" label={t.register.idNumber} rules={[required(t.register.idNumber), rules.idNumber]} normalize={(v: string) => v.toUpperCase()}>
              <Input maxLength={18} spellCheck={false} autoComplete="off" className="code-input id-input" />
            </Form.Item>
          ) : (
            <Form.Item name="creditCode" label={t.register.creditCode} rules={[required(t.register.creditCode), rules.creditCode]} normalize={(v: string) => v.toUpperCase()}>
              <Input maxLength={18} spellCheck={false} autoComplete="off" className="code-input id-input" />
            </Form.Item>
          )}
          <Form.Item name="phone" label={t.register.phone} rules={[required(t.register.phone), rules.mobile]}>
            <Input type="tel" inputMode="numeric" maxLength={11} autoComplete="off" className="id-input" />
          </Form.Item>
        </Form>
      </Card>
      <Card title={<h2 className="card-title">{w.form}</h2>}>
        <Form form={form} name="walk-in-form" layout="vertical" validateTrigger="onBlur">
          <SchemaFields fields={fields} idPrefix="walk-in" />
        </Form>
      </Card>
      <Card title={<h2 className="card-title">{w.materials}</h2>}>
        <Typography.Paragraph type="secondary">{w.materialsIntro}</Typography.Paragraph>
        <MaterialsEditor materials={guide.materials} choices={choices} onChange={setChoices} mode="window" errors={materialErrors} />
      </Card>
      <Card>
        <div className="form-alert">
          <ProblemAlert error={error} title={w.failed} unmatched={unmatched} />
        </div>
        <Button type="primary" size="large" onClick={submit} loading={submitting}>
          {w.submit}
        </Button>
      </Card>
    </>
  );
}
