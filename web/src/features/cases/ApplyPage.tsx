import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Radio, Result, Skeleton, Space, Steps, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { Link, useParams, useSearchParams } from 'react-router';
import type { DeliveryMethod } from '@server/shared/case-codes';
import { ApiError, type FieldProblem } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import { guidePath, type Guide } from '../catalog/api';
import { PrefillCard } from '../sharing/PrefillCard';
import { useIdentifierRules } from '../identity/rules';
import { casesApi, useAttemptKey, type ApplicationInput, type DeliveryChoice, type MaterialRef } from './api';
import { useCaseLabels } from './codes';
import { splitErrors } from './fieldErrors';
import { useRevokeOnUnmount } from './FileUpload';
import { isProvided, materialRefs, MaterialsEditor, missingRequired, RequirementTag, type MaterialChoices } from './MaterialsEditor';
import { MY_LICENSES_PATH, MY_LICENSES_QUERY, usable, type License } from '../licenses/api';
import { collectValues, FormDataView, formFieldsOf, SchemaFields } from './SchemaForm';
import { rulesLabels } from '../rules/labels';
import './cases.css';

type Values = Record<string, unknown>;

const STEP_FORM = 0;
const STEP_MATERIALS = 1;
const STEP_REVIEW = 2;
const STEP_DONE = 3;

/** Whether the item serves this kind of applicant: natural persons are service object 1, legal persons 2-6. */
function offeredTo(guide: Guide, kind: string): boolean {
  return kind === 'natural' ? guide.serviceObjects.includes('1') : guide.serviceObjects.some((o) => o !== '1');
}

/**
 * Applying online (网上办): the item's form, its materials, a review, then the case number. Saved
 * as a draft at any step and resumed with `?draft=<id>`.
 */
export function ApplyPage() {
  const { itemCode = '' } = useParams();
  const guide = useApi<Guide>(guidePath(itemCode));
  const { t } = useI18n();
  usePageTitle(guide.data ? t.cases.apply.title(guide.data.name) : t.cases.apply.titlePlain);

  if (guide.loading && !guide.data) {
    return (
      <div className="page">
        <Skeleton active paragraph={{ rows: 10 }} />
      </div>
    );
  }
  if (guide.error || !guide.data) {
    const missing = guide.error instanceof ApiError && guide.error.status === 404;
    return (
      <div className="page">
        {missing ? (
          <Result status="404" title={<h1 className="result-title">{t.catalog.guide.notFound}</h1>} extra={<Link to="/items">{t.catalog.guide.backToSearch}</Link>} />
        ) : (
          <ProblemAlert error={guide.error} />
        )}
      </div>
    );
  }
  return <Wizard guide={guide.data} />;
}

function Wizard({ guide }: { guide: Guide }) {
  const { t, lang } = useI18n();
  const rl = rulesLabels(lang);
  const a = t.cases.apply;
  const { me } = useSession();
  const { message } = App.useApp();
  const labels = useCaseLabels();
  const identifierRules = useIdentifierRules();
  const [search, setSearch] = useSearchParams();
  const draftId = search.get('draft');
  const [form] = Form.useForm<Values>();
  const fields = useMemo(() => formFieldsOf(guide.form), [guide.form]);
  const [step, setStep] = useState(STEP_FORM);
  const [choices, setChoices] = useState<MaterialChoices>({});
  // 免提交: the applicant's usable e-licenses, offered for the materials of their type
  const wallet = useApi<{ items: License[] }>(MY_LICENSES_PATH, MY_LICENSES_QUERY);
  const heldLicenses = useMemo(() => (wallet.data?.items ?? []).filter(usable), [wallet.data]);
  const [materialErrors, setMaterialErrors] = useState<Record<string, string>>({});
  const [reviewValues, setReviewValues] = useState<Values>({});
  const [delivery, setDelivery] = useState<DeliveryMethod>('pickup');
  const [deliveryForm] = Form.useForm<Omit<DeliveryChoice, 'method'>>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [savingDraft, setSavingDraft] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  // 秒批: what the rules decided within the submission; 告知承诺: whether the applicant signs
  const [instant, setInstant] = useState<{ outcome: 'approve' | 'deny' | 'route'; reasons: string[] } | null>(null);
  const [signCommitment, setSignCommitment] = useState(false);
  const [draftState, setDraftState] = useState<'idle' | 'loading' | 'loaded' | 'failed'>(draftId ? 'loading' : 'idle');
  const [draftError, setDraftError] = useState<unknown>(null);
  const attemptKey = useAttemptKey();
  const headings = useRef<Array<HTMLHeadingElement | null>>([]);
  const firstRender = useRef(true);
  useRevokeOnUnmount(Object.values(choices).map((c) => c.file));

  const kind = me?.user.kind ?? 'natural';
  const blocked = !guide.handling.online ? a.notOnline : !offeredTo(guide, kind) ? a.notForKind : null;

  // Resuming a draft: its answers into the form, its files (metadata from the server) into the checklist.
  const loadedDraft = useRef<string | null>(null);
  useEffect(() => {
    if (!draftId || loadedDraft.current === draftId) return;
    loadedDraft.current = draftId;
    let live = true;
    (async () => {
      try {
        const draft = await casesApi.draft(draftId);
        const next: MaterialChoices = {};
        await Promise.all(
          draft.materials.map(async (ref) => {
            if (ref.fileId) next[ref.materialId] = { file: { meta: await casesApi.fileMeta(ref.fileId) } };
            else if (ref.resourceId) next[ref.materialId] = { useShared: true };
            else if (ref.licenseId) next[ref.materialId] = { license: { licenseId: ref.licenseId, name: ref.licenseId } };
          }),
        );
        if (!live) return;
        form.setFieldsValue(draft.form);
        setChoices(next);
        setDraftState('loaded');
      } catch (err) {
        if (!live) return;
        setDraftError(err);
        setDraftState('failed');
      }
    })();
    return () => {
      live = false;
    };
  }, [draftId, form]);

  // Each step's heading takes focus, so a screen reader starts reading the new step.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headings.current[step]?.focus();
  }, [step]);

  const currentValues = () => collectValues(fields, form.getFieldsValue(true) as Values);

  const toMaterials = async () => {
    try {
      await form.validateFields();
      setStep(STEP_MATERIALS);
    } catch {
      // antd shows each field's message; focus goes to the first one.
      form.scrollToField(fields.find((f) => form.getFieldError(f.key).length > 0)?.key ?? '', { focus: true });
    }
  };

  const toReview = () => {
    const missing = missingRequired(guide.materials, choices);
    if (missing.length > 0) {
      setMaterialErrors(Object.fromEntries(missing.map((m) => [m.id, a.materialMissing(m.name)])));
      document.getElementById(`material-${missing[0]!.id}-name`)?.scrollIntoView({ block: 'center' });
      return;
    }
    setMaterialErrors({});
    setReviewValues(currentValues());
    setStep(STEP_REVIEW);
  };

  const saveDraft = async () => {
    setSavingDraft(true);
    try {
      const input = { itemCode: guide.implementationCode, form: currentValues(), materials: materialRefs(guide.materials, choices) };
      if (draftId) {
        await casesApi.saveDraft(draftId, input);
      } else {
        const draft = await casesApi.createDraft(input);
        loadedDraft.current = draft.id;
        setSearch({ draft: draft.id }, { replace: true });
      }
      message.success(a.draftSaved);
    } catch (err) {
      message.error(err instanceof ApiError && err.title ? err.title : t.common.unexpectedError);
    } finally {
      setSavingDraft(false);
    }
  };

  /** Puts the server's field errors where they belong: form fields, materials, or the alert. */
  const placeErrors = (err: unknown, refs: MaterialRef[]) => {
    if (!(err instanceof ApiError)) return;
    const split = splitErrors(err, fields.map((f) => f.key), refs.map((r) => r.materialId));
    form.setFields([...split.form].map(([name, errors]) => ({ name, errors })));
    setMaterialErrors(split.materials);
    setUnmatched(split.rest);
    if (split.form.size > 0) setStep(STEP_FORM);
    else if (Object.keys(split.materials).length > 0) setStep(STEP_MATERIALS);
  };

  const submit = async () => {
    if (submitting) return;
    let deliveryChoice: DeliveryChoice = { method: delivery };
    if (delivery === 'express') {
      try {
        deliveryChoice = { method: 'express', ...(await deliveryForm.validateFields()) };
      } catch {
        return;
      }
    }
    const refs = materialRefs(guide.materials, choices);
    const input: ApplicationInput = {
      itemCode: guide.implementationCode,
      form: reviewValues,
      materials: refs,
      delivery: deliveryChoice,
      ...(draftId ? { draftId } : {}),
      ...(signCommitment ? { commitment: { signed: true } } : {}),
    };
    const key = attemptKey(input);
    setSubmitting(true);
    setError(null);
    setUnmatched([]);
    try {
      const result = await casesApi.apply(input, key);
      setCreated(result.caseNumber);
      setInstant(result.instantDecision ?? null);
      setStep(STEP_DONE);
      if (draftId) setSearch({}, { replace: true });
    } catch (err) {
      setError(err);
      placeErrors(err, refs);
    } finally {
      setSubmitting(false);
    }
  };

  if (blocked) {
    return (
      <div className="page">
        <Result
          status="warning"
          title={<h1 className="result-title">{a.cannotApply}</h1>}
          subTitle={blocked}
          extra={<LinkButton to={`/items/${encodeURIComponent(guide.implementationCode)}`}>{a.backToGuide}</LinkButton>}
        />
      </div>
    );
  }

  const stepTitles = [a.stepForm, a.stepMaterials, a.stepReview];
  const heading = (index: number, text: string) => (
    <h2
      className="step-title"
      tabIndex={-1}
      ref={(el) => {
        headings.current[index] = el;
      }}
    >
      {text}
    </h2>
  );
  const draftButton = (
    <Button icon={<SaveOutlined aria-hidden />} onClick={saveDraft} loading={savingDraft}>
      {a.saveDraft}
    </Button>
  );

  if (step === STEP_DONE && created) {
    return (
      <div className="page">
        <Result
          status="success"
          title={<h1 className="result-title">{a.submitted}</h1>}
          subTitle={
            <span role="status">
              {a.caseNumberIs} <strong className="code-text case-number">{created}</strong>
            </span>
          }
          extra={
            <Space wrap>
              <LinkButton type="primary" to={`/me/cases/${encodeURIComponent(created)}`}>
                {a.viewCase}
              </LinkButton>
              <LinkButton to="/me/cases">{t.cases.mine.title}</LinkButton>
            </Space>
          }
        >
          {instant ? (
            <Alert
              type={instant.outcome === 'approve' ? 'success' : instant.outcome === 'deny' ? 'error' : 'info'}
              showIcon
              title={instant.outcome === 'approve' ? rl.instantApproved : instant.outcome === 'deny' ? rl.instantDenied : rl.instantRouted}
              description={<ul className="plain-list">{instant.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
            />
          ) : (
            <Typography.Paragraph>{a.submittedNote}</Typography.Paragraph>
          )}
        </Result>
      </div>
    );
  }

  return (
    <div className="page apply-page">
      <PageHeading
        title={a.title(guide.name)}
        intro={
          <>
            {guide.departmentName} · <Link to={`/items/${encodeURIComponent(guide.implementationCode)}`}>{a.readGuide}</Link>
          </>
        }
        extra={draftButton}
      />
      {draftState === 'loading' && <Alert type="info" showIcon title={a.draftLoading} className="apply-alert" />}
      {draftState === 'loaded' && <Alert type="success" showIcon title={a.draftResumed} className="apply-alert" closable />}
      {draftState === 'failed' && <ProblemAlert error={draftError} title={a.draftFailed} />}
      <nav aria-label={a.progress} className="apply-steps">
        <Steps current={step} size="small" responsive items={stepTitles.map((title) => ({ title }))} />
        <p className="visually-hidden" aria-live="polite">
          {a.stepOf(step + 1, stepTitles.length, stepTitles[step] ?? '')}
        </p>
      </nav>

      <Card hidden={step !== STEP_FORM} className="apply-card">
        {heading(STEP_FORM, a.stepForm)}
        <Typography.Paragraph type="secondary">{a.formIntro}</Typography.Paragraph>
        <PrefillCard itemCode={guide.implementationCode} fields={fields} form={form} />
        <Form<Values> form={form} name="application" layout="vertical" validateTrigger="onBlur" scrollToFirstError className="application-form">
          <SchemaFields fields={fields} idPrefix="apply" />
        </Form>
        <div className="step-actions">
          <Button type="primary" onClick={toMaterials}>
            {a.next}
          </Button>
        </div>
      </Card>

      <Card hidden={step !== STEP_MATERIALS} className="apply-card">
        {heading(STEP_MATERIALS, a.stepMaterials)}
        <Typography.Paragraph type="secondary">{a.materialsIntro}</Typography.Paragraph>
        {guide.materials.length === 0 ? (
          <Typography.Paragraph>{a.noMaterials}</Typography.Paragraph>
        ) : (
          <MaterialsEditor materials={guide.materials} choices={choices} onChange={setChoices} mode="online" errors={materialErrors} heldLicenses={heldLicenses} />
        )}
        <div className="step-actions">
          <Button onClick={() => setStep(STEP_FORM)}>{a.previous}</Button>
          <Button type="primary" onClick={toReview}>
            {a.next}
          </Button>
        </div>
      </Card>

      <Card hidden={step !== STEP_REVIEW} className="apply-card">
        {heading(STEP_REVIEW, a.stepReview)}
        <Typography.Paragraph type="secondary">{a.reviewIntro}</Typography.Paragraph>
        <h3 className="review-subtitle">{a.reviewForm}</h3>
        <FormDataView fields={fields} data={reviewValues} />
        <h3 className="review-subtitle">{a.reviewMaterials}</h3>
        <Descriptions
          bordered
          size="small"
          column={1}
          items={guide.materials.map((m) => {
            const choice = choices[m.id];
            return {
              key: m.id,
              label: (
                <span>
                  {m.name} <RequirementTag requirement={m.requirement} />
                </span>
              ),
              children: choice?.file ? choice.file.meta.name : choice?.useShared ? a.viaSharing : choice?.license ? `${t.licenses.apply.viaLicense}：${choice.license.name}` : isProvided(choice) ? '' : m.requirement === 'deferrable' ? a.owedLater : a.notProvided,
            };
          })}
        />
        <h3 className="review-subtitle" id="delivery-title">
          {a.delivery}
        </h3>
        <Radio.Group
          aria-labelledby="delivery-title"
          value={delivery}
          onChange={(e) => setDelivery(e.target.value as DeliveryMethod)}
          options={(['pickup', ...(guide.expressDelivery ? ['express' as const] : []), 'electronic'] as DeliveryMethod[]).map((method) => ({
            value: method,
            label: labels.deliveryMethod(method),
          }))}
        />
        {delivery === 'express' && (
          <Form form={deliveryForm} name="delivery" layout="vertical" className="delivery-form">
            <Form.Item name="recipient" label={a.recipient} rules={[{ required: true, whitespace: true, message: t.common.required(a.recipient) }]}>
              <Input maxLength={50} autoComplete="name" />
            </Form.Item>
            <Form.Item
              name="phone"
              label={a.recipientPhone}
              rules={[
                { required: true, message: t.common.required(a.recipientPhone) },
                identifierRules.mobile,
              ]}
            >
              <Input type="tel" inputMode="numeric" maxLength={11} autoComplete="tel" />
            </Form.Item>
            <Form.Item name="address" label={a.address} rules={[{ required: true, whitespace: true, message: t.common.required(a.address) }]}>
              <Input.TextArea rows={2} maxLength={300} autoComplete="street-address" />
            </Form.Item>
          </Form>
        )}
        {guide.commitment && (
          <Card size="small" className="commitment-card">
            <Checkbox checked={signCommitment} onChange={(e) => setSignCommitment(e.target.checked)}>
              {rl.commitmentSign}：{guide.commitment.materialIds.map((id) => guide.materials.find((m) => m.id === id)?.name ?? id).join('、')}
            </Checkbox>
            {signCommitment && <Typography.Paragraph className="commitment-text" aria-label={rl.commitmentText}>{guide.commitment.statement}</Typography.Paragraph>}
          </Card>
        )}
        <div className="form-alert apply-submit-alert">
          <ProblemAlert error={error} title={a.submitFailed} unmatched={unmatched} />
        </div>
        <div className="step-actions">
          <Button onClick={() => setStep(STEP_MATERIALS)}>{a.previous}</Button>
          <Button type="primary" size="large" onClick={submit} loading={submitting}>
            {a.submit}
          </Button>
        </div>
      </Card>
      <Typography.Paragraph type="secondary" className="apply-footnote">
        {a.draftNote} <Link to="/me/cases?tab=drafts">{t.cases.mine.drafts}</Link>
      </Typography.Paragraph>
    </div>
  );
}
