import { useState } from 'react';
import { Checkbox, DatePicker, Descriptions, Form, Input, Modal, Radio, Skeleton } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { RESOURCES_PATH, sharingApi, type AccessRequest, type DecisionInput, type Resource } from './api';

interface Values {
  decision: 'grant' | 'reject';
  fields: string[];
  expiresOn?: Dayjs;
  note?: string;
}

const FIELDS = ['decision', 'fields', 'expiresOn', 'note'] as const;

/** The provider's review of a request: grant a subset of the requested items until a date, or reject with a reason. */
export function DecisionDialog({ request, onClose, onDecided }: { request: AccessRequest; onClose(): void; onDecided(): void }) {
  const { t } = useI18n();
  const d = t.sharing.requests;
  const resource = useApi<Resource>(`${RESOURCES_PATH}/${encodeURIComponent(request.resourceId)}`);
  const [form] = Form.useForm<Values>();
  const decision = Form.useWatch('decision', form) ?? 'grant';
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [sending, setSending] = useState(false);
  const labelOf = new Map((resource.data?.fields ?? []).map((f) => [f.name, f.label]));

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const input: DecisionInput = { decision: values.decision };
    if (values.decision === 'grant') {
      input.fields = values.fields;
      if (values.expiresOn) input.expiresOn = values.expiresOn.format('YYYY-MM-DD');
    }
    if (values.note?.trim()) input.note = values.note.trim();
    setSending(true);
    setError(null);
    try {
      await sharingApi.decide(request.id, input);
      onDecided();
      onClose();
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, FIELDS));
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open
      title={d.decideTitle}
      okText={decision === 'grant' ? d.grant : d.reject}
      okButtonProps={{ danger: decision === 'reject' }}
      cancelText={t.common.cancel}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={sending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'resource', label: t.sharing.common.resource, children: request.resourceName },
          { key: 'consumer', label: t.sharing.common.consumer, children: request.consumerDepartmentName },
          { key: 'purpose', label: t.sharing.common.purpose, children: request.purpose },
          { key: 'items', label: t.sharing.common.items, children: request.itemCodes.length > 0 ? request.itemCodes.join('、') : t.sharing.common.allItems },
          ...(request.requestedUntil ? [{ key: 'until', label: d.requestedUntil, children: request.requestedUntil }] : []),
        ]}
      />
      {resource.loading && !resource.data ? (
        <Skeleton active />
      ) : (
        <Form<Values> form={form} name="sharing-decision" layout="vertical" initialValues={{ decision: 'grant', fields: request.fields }}>
          <Form.Item name="decision" label={d.decision}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'grant', label: d.grant },
                { value: 'reject', label: d.reject },
              ]}
            />
          </Form.Item>
          {decision === 'grant' && (
            <>
              <Form.Item name="fields" label={d.grantFields} extra={d.grantFieldsHelp} rules={[{ required: true, type: 'array', min: 1, message: t.sharing.request.fieldsRequired }]}>
                <Checkbox.Group options={request.fields.map((f) => ({ value: f, label: labelOf.get(f) ?? f }))} className="field-checklist" />
              </Form.Item>
              <Form.Item name="expiresOn" label={d.expiresOn} extra={d.expiresOnHelp}>
                <DatePicker disabledDate={(day) => day.isBefore(dayjs(), 'day')} />
              </Form.Item>
            </>
          )}
          <Form.Item name="note" label={d.note} rules={decision === 'reject' ? [{ required: true, whitespace: true, message: d.noteRequired }] : []}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <div className="form-alert">
            <ProblemAlert error={error} unmatched={unmatched} />
          </div>
        </Form>
      )}
      {resource.error !== null && <ProblemAlert error={resource.error} />}
    </Modal>
  );
}
