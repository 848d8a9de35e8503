import { useState } from 'react';
import { Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { BACKENDS, FIELD_TYPES, SENSITIVITIES, SHARING_TYPES, SUBJECT_TYPES, UPDATE_FREQUENCIES } from '@server/shared/sharing-codes';
import type { FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import { sharingApi, type Resource, type ResourceInput, type ResourcePatch } from './api';
import { useSharingLabels } from './codes';

type Values = Omit<ResourceInput, 'providerDepartmentId' | 'endpoint'> & { endpoint?: { url?: string; timeoutMs?: number; retries?: number } };

const FIELD_NAME = /^[a-z][A-Za-z0-9_]{0,63}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
const FORM_FIELDS = ['code', 'name', 'description', 'subjectType', 'subjectField', 'fields', 'updateFrequency', 'sharingType', 'conditions', 'legalBasis', 'backend', 'endpoint'] as const;

function initialValues(resource: Resource | null): Partial<Values> {
  if (!resource) return { subjectType: 'id_number', subjectField: 'idNumber', updateFrequency: 'daily', sharingType: 'conditional', backend: 'hosted', fields: [{ name: '', label: '', type: 'string', sensitivity: 'personal', required: false }] };
  return {
    code: resource.code,
    name: resource.name,
    description: resource.description,
    subjectType: resource.subjectType,
    subjectField: resource.subjectField,
    fields: resource.fields.map((f) => ({ ...f })),
    updateFrequency: resource.updateFrequency,
    sharingType: resource.sharingType,
    conditions: resource.conditions ?? '',
    legalBasis: resource.legalBasis,
    backend: resource.backend,
    ...(resource.endpoint ? { endpoint: resource.endpoint } : {}),
  };
}

/**
 * Registering or editing one of our resources. The code, subject and source are fixed once
 * registered; a published resource's items can only be added to (consumers hold grants on them).
 */
export function ResourceEditor({ resource, onClose, onSaved }: { resource: Resource | null; onClose(): void; onSaved(saved: Resource, created: boolean): void }) {
  const { t } = useI18n();
  const e = t.sharing.resources;
  const labels = useSharingLabels();
  const [form] = Form.useForm<Values>();
  const backend = Form.useWatch('backend', form);
  const sharingType = Form.useWatch('sharingType', form) ?? resource?.sharingType ?? 'conditional';
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const published = resource?.status === 'published';
  const fixedFields = published ? resource.fields.length : 0;
  const required = (label: string) => ({ required: true, whitespace: true, message: t.common.required(label) });

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const fields = values.fields.map((f) => ({ name: f.name.trim(), label: f.label.trim(), type: f.type, sensitivity: f.sensitivity, required: f.required === true, ...(f.description?.trim() ? { description: f.description.trim() } : {}) }));
    const endpoint = values.backend === 'proxied' && values.endpoint?.url ? { url: values.endpoint.url.trim(), ...(values.endpoint.timeoutMs ? { timeoutMs: values.endpoint.timeoutMs } : {}), ...(values.endpoint.retries !== undefined && values.endpoint.retries !== null ? { retries: values.endpoint.retries } : {}) } : undefined;
    setSaving(true);
    setError(null);
    setUnmatched([]);
    try {
      if (resource) {
        const patch: ResourcePatch = {
          name: values.name.trim(),
          description: values.description?.trim() ?? '',
          fields,
          updateFrequency: values.updateFrequency,
          sharingType: values.sharingType,
          conditions: values.conditions?.trim() ?? '',
          legalBasis: values.legalBasis.trim(),
          ...(endpoint ? { endpoint } : {}),
        };
        onSaved(await sharingApi.updateResource(resource.id, patch), false);
      } else {
        const input: ResourceInput = {
          code: values.code.trim(),
          name: values.name.trim(),
          subjectType: values.subjectType,
          subjectField: values.subjectField.trim(),
          fields,
          updateFrequency: values.updateFrequency,
          sharingType: values.sharingType,
          legalBasis: values.legalBasis.trim(),
          backend: values.backend,
          ...(values.description?.trim() ? { description: values.description.trim() } : {}),
          ...(values.conditions?.trim() ? { conditions: values.conditions.trim() } : {}),
          ...(endpoint ? { endpoint } : {}),
        };
        onSaved(await sharingApi.createResource(input), true);
      }
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, FORM_FIELDS));
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      onClose={onClose}
      title={resource ? e.editTitle(resource.name) : e.createTitle}
      size="large"
      destroyOnHidden
      rootClassName="sharing-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t.common.cancel}</Button>
          <Button type="primary" onClick={save} loading={saving}>
            {t.common.save}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} name="sharing-resource" layout="vertical" initialValues={initialValues(resource)}>
        <Form.Item name="code" label={e.code} extra={e.codeHelp} rules={[required(e.code), { pattern: CODE, message: e.codeInvalid }]}>
          <Input maxLength={64} disabled={resource !== null} spellCheck={false} />
        </Form.Item>
        <Form.Item name="name" label={e.name} rules={[required(e.name)]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={e.description}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="subjectType" label={e.subjectType} rules={[{ required: true }]}>
          <Select disabled={resource !== null} options={SUBJECT_TYPES.map((v) => ({ value: v, label: labels.subjectType(v) }))} />
        </Form.Item>
        <Form.Item name="subjectField" label={e.subjectField} extra={e.subjectFieldHelp} rules={[required(e.subjectField), { pattern: FIELD_NAME, message: e.fieldNameInvalid }]}>
          <Input maxLength={64} disabled={resource !== null} spellCheck={false} />
        </Form.Item>
        <div className="review-subtitle" id="resource-fields-title">
          {e.fields}
        </div>
        {published && <p className="muted-note">{e.fieldsHelp}</p>}
        <Form.List name="fields">
          {(rows, { add, remove }) => (
            <div className="field-rows" role="group" aria-labelledby="resource-fields-title">
              {rows.map((row, index) => {
                const fixed = index < fixedFields;
                return (
                  <fieldset key={row.key} className="field-row">
                    <legend>{e.fieldRow(index + 1)}</legend>
                    <div className="field-row-grid">
                      <Form.Item name={[row.name, 'label']} label={t.sharing.catalog.fieldLabel} rules={[required(t.sharing.catalog.fieldLabel)]}>
                        <Input maxLength={50} disabled={fixed} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'name']} label={t.sharing.catalog.fieldName} rules={[required(t.sharing.catalog.fieldName), { pattern: FIELD_NAME, message: e.fieldNameInvalid }]}>
                        <Input maxLength={64} disabled={fixed} spellCheck={false} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'type']} label={t.sharing.catalog.fieldType}>
                        <Select disabled={fixed} options={FIELD_TYPES.map((v) => ({ value: v, label: labels.fieldType(v) }))} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'sensitivity']} label={t.sharing.catalog.sensitivity}>
                        <Select disabled={fixed} options={SENSITIVITIES.map((v) => ({ value: v, label: labels.sensitivity(v) }))} />
                      </Form.Item>
                    </div>
                    <Space wrap className="field-row-foot">
                      <Form.Item name={[row.name, 'required']} valuePropName="checked">
                        <Checkbox disabled={fixed}>{t.sharing.catalog.requiredField}</Checkbox>
                      </Form.Item>
                      {!fixed && rows.length > 1 && (
                        <Form.Item>
                          <Button danger icon={<DeleteOutlined aria-hidden />} onClick={() => remove(row.name)} aria-label={e.removeField(index + 1)} />
                        </Form.Item>
                      )}
                    </Space>
                  </fieldset>
                );
              })}
              {rows.length < 100 && (
                <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ name: '', label: '', type: 'string', sensitivity: 'personal', required: false })}>
                  {e.addField}
                </Button>
              )}
            </div>
          )}
        </Form.List>
        <Form.Item name="updateFrequency" label={e.updateFrequency}>
          <Select options={UPDATE_FREQUENCIES.map((v) => ({ value: v, label: labels.updateFrequency(v) }))} />
        </Form.Item>
        <Form.Item name="sharingType" label={e.sharingType}>
          <Select options={SHARING_TYPES.map((v) => ({ value: v, label: labels.sharingType(v) }))} />
        </Form.Item>
        <Form.Item name="conditions" label={e.conditions} rules={sharingType === 'unconditional' ? [] : [required(e.conditions)]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="legalBasis" label={e.legalBasis} rules={[required(e.legalBasis)]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="backend" label={e.backend}>
          <Select disabled={resource !== null} options={BACKENDS.map((v) => ({ value: v, label: labels.backend(v) }))} />
        </Form.Item>
        {backend === 'proxied' && (
          <>
            <Form.Item name={['endpoint', 'url']} label={e.endpointUrl} rules={[required(e.endpointUrl)]}>
              <Input type="url" maxLength={500} spellCheck={false} />
            </Form.Item>
            <Space wrap>
              <Form.Item name={['endpoint', 'timeoutMs']} label={e.timeoutMs}>
                <InputNumber min={100} max={10000} precision={0} />
              </Form.Item>
              <Form.Item name={['endpoint', 'retries']} label={e.retries}>
                <InputNumber min={0} max={3} precision={0} />
              </Form.Item>
            </Space>
          </>
        )}
        <div className="form-alert">
          <ProblemAlert error={error} unmatched={unmatched} />
        </div>
      </Form>
    </Drawer>
  );
}
