import { useMemo, useState } from 'react';
import { App, Button, Form, Typography } from 'antd';
import { ApiError, type FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { ProblemAlert } from '../../app/problems';
import type { Guide } from '../catalog/api';
import type { ActionInput, CaseDetail } from './api';
import { CasePanel, correctionItems, owedMaterials } from './CaseParts';
import { splitErrors } from './fieldErrors';
import { useRevokeOnUnmount } from './FileUpload';
import { materialRefs, MaterialsEditor, missingRequired, type MaterialChoices } from './MaterialsEditor';
import { collectValues, formFieldsOf, SchemaFields } from './SchemaForm';

type Run = (input: Omit<ActionInput, 'version'>) => Promise<'done' | 'conflict'>;
type Values = Record<string, unknown>;

/**
 * Answering a one-time correction notice (一次性告知): the notice's items with their reasons,
 * a replacement for each material it names, the fields it names to fix; then resubmit. The
 * clerk can do the same at the window on the applicant's behalf (`mode="window"`).
 */
export function ResubmitPanel({ detail, guide, run, busy, mode = 'online' }: { detail: CaseDetail; guide: Guide; run: Run; busy: boolean; mode?: 'online' | 'window' }) {
  const { t } = useI18n();
  const r = t.cases.resubmit;
  const items = correctionItems(detail);
  const fields = useMemo(() => formFieldsOf(guide.form), [guide.form]);
  const materialIds = new Set(items.map((i) => i.materialId).filter((id): id is string => Boolean(id)));
  const fieldKeys = new Set(items.map((i) => i.field?.replace(/^form\./, '')).filter((k): k is string => Boolean(k)));
  const materials = guide.materials.filter((m) => materialIds.has(m.id)).map((m) => ({ ...m, requirement: 'required' as const }));
  const [choices, setChoices] = useState<MaterialChoices>({});
  const [materialErrors, setMaterialErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [form] = Form.useForm<Values>();
  useRevokeOnUnmount(Object.values(choices).map((c) => c.file));
  const nameOf = (item: { materialId?: string; field?: string }) =>
    item.materialId
      ? (guide.materials.find((m) => m.id === item.materialId)?.name ?? detail.materials.find((m) => m.materialId === item.materialId)?.name ?? item.materialId)
      : item.field
        ? (fields.find((f) => f.key === item.field?.replace(/^form\./, ''))?.label ?? item.field)
        : r.general;

  const submit = async () => {
    const missing = missingRequired(materials, choices);
    setMaterialErrors(Object.fromEntries(missing.map((m) => [m.id, r.replacementMissing(m.name)])));
    let values: Values = {};
    try {
      values = fieldKeys.size > 0 ? await form.validateFields() : {};
    } catch {
      return;
    }
    if (missing.length > 0) return;
    const refs = materialRefs(materials, choices);
    setError(null);
    setUnmatched([]);
    try {
      await run({
        action: 'resubmit',
        ...(refs.length > 0 ? { materials: refs } : {}),
        ...(fieldKeys.size > 0 ? { form: collectValues(fields, { ...detail.form, ...values }) } : {}),
      });
    } catch (err) {
      const split = splitErrors(err, fields.map((f) => f.key), refs.map((m) => m.materialId));
      form.setFields([...split.form].map(([name, errors]) => ({ name, errors })));
      setMaterialErrors(split.materials);
      setUnmatched(split.rest);
      setError(err);
    }
  };

  return (
    <CasePanel id="resubmit" title={r.title}>
      <Typography.Paragraph>{r.intro}</Typography.Paragraph>
      <ol className="correction-items">
        {items.map((item, i) => (
          <li key={i}>
            <strong>{nameOf(item)}</strong>：{item.reason}
          </li>
        ))}
      </ol>
      {materials.length > 0 && (
        <>
          <h3 className="panel-subtitle">{r.replacements}</h3>
          <MaterialsEditor materials={materials} choices={choices} onChange={setChoices} mode={mode === 'window' ? 'window' : 'online'} errors={materialErrors} headingLevel={4} />
        </>
      )}
      {fieldKeys.size > 0 && (
        <>
          <h3 className="panel-subtitle">{r.fields}</h3>
          <Form<Values> form={form} name="resubmit" layout="vertical" initialValues={detail.form}>
            <SchemaFields fields={fields} idPrefix="resubmit" only={fieldKeys} />
          </Form>
        </>
      )}
      <div className="form-alert">
        <ProblemAlert error={error} unmatched={unmatched} />
      </div>
      <Button type="primary" onClick={submit} loading={busy}>
        {r.submit}
      </Button>
    </CasePanel>
  );
}

/** Supplying owed materials (容缺后补) by their due dates. */
export function SupplyPanel({ detail, guide, run, busy }: { detail: CaseDetail; guide: Guide; run: Run; busy: boolean }) {
  const { t } = useI18n();
  const s = t.cases.supply;
  const owed = owedMaterials(detail);
  const owedIds = new Set(owed.map((m) => m.materialId));
  const materials = guide.materials.filter((m) => owedIds.has(m.id)).map((m) => ({ ...m, requirement: 'required' as const, resourceId: undefined }));
  const [choices, setChoices] = useState<MaterialChoices>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  useRevokeOnUnmount(Object.values(choices).map((c) => c.file));

  const submit = async () => {
    const refs = materialRefs(materials, choices);
    if (refs.length === 0) {
      setErrors(Object.fromEntries(materials.map((m) => [m.id, s.chooseOne])));
      return;
    }
    setErrors({});
    setError(null);
    try {
      await run({ action: 'supply', materials: refs });
    } catch (err) {
      setErrors(splitErrors(err, [], refs.map((m) => m.materialId)).materials);
      setError(err);
    }
  };

  return (
    <CasePanel id="supply" title={s.title}>
      <ul className="correction-items">
        {owed.map((m) => (
          <li key={m.id}>
            <strong>{m.name}</strong>：{s.dueBy(m.owedDue ?? '')}
          </li>
        ))}
      </ul>
      <MaterialsEditor materials={materials} choices={choices} onChange={setChoices} mode="online" errors={errors} headingLevel={3} />
      <div className="form-alert">
        <ProblemAlert error={error} />
      </div>
      <Button type="primary" onClick={submit} loading={busy}>
        {s.submit}
      </Button>
    </CasePanel>
  );
}

/** Withdrawing the application (before a decision), after a confirmation. */
export function WithdrawButton({ run, busy }: { run: Run; busy: boolean }) {
  const { t } = useI18n();
  const w = t.cases.withdraw;
  const { modal, message } = App.useApp();
  const confirm = () => {
    modal.confirm({
      title: w.confirmTitle,
      content: w.confirmText,
      okText: w.ok,
      okButtonProps: { danger: true },
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          await run({ action: 'withdraw' });
        } catch (err) {
          message.error(err instanceof ApiError && err.title ? err.title : t.common.unexpectedError);
        }
      },
    });
  };
  return (
    <Button danger onClick={confirm} loading={busy}>
      {w.button}
    </Button>
  );
}
