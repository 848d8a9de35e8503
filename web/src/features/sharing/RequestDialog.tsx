import { useState } from 'react';
import { App, Checkbox, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { FieldProblem } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import { sharingApi, type AccessRequestInput, type Resource } from './api';

interface Values {
  purpose: string;
  itemCodes?: string[];
  fields: string[];
  until?: Dayjs;
}

const FIELDS = ['purpose', 'itemCodes', 'fields', 'until'] as const;
const ITEM_CODE = /^[0-9A-Z]{12}$|^[0-9A-Z]{31}$/;

/** A consumer department asks for a resource: the purpose, the items it serves, the data items it needs. */
export function RequestDialog({ resource, onClose }: { resource: Resource; onClose(): void }) {
  const { t } = useI18n();
  const r = t.sharing.request;
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const input: AccessRequestInput = { resourceId: resource.id, purpose: values.purpose.trim(), fields: values.fields };
    if (values.itemCodes && values.itemCodes.length > 0) input.itemCodes = values.itemCodes;
    if (values.until) input.until = values.until.format('YYYY-MM-DD');
    setSending(true);
    setError(null);
    try {
      const created = await sharingApi.requestAccess(input);
      message.success(created.status === 'granted' ? r.grantedAtOnce : r.submitted);
      onClose();
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, FIELDS));
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal open title={r.title(resource.name)} okText={r.submit} cancelText={t.common.cancel} onOk={submit} onCancel={onClose} confirmLoading={sending} destroyOnHidden mask={{ closable: false }}>
      <Form<Values> form={form} name="sharing-request" layout="vertical" initialValues={{ fields: [] }}>
        <Form.Item name="purpose" label={r.purpose} extra={r.purposeHelp} rules={[{ required: true, whitespace: true, message: t.common.required(r.purpose) }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <Form.Item name="fields" label={r.fields} rules={[{ required: true, type: 'array', min: 1, message: r.fieldsRequired }]}>
          <Checkbox.Group options={resource.fields.map((f) => ({ value: f.name, label: f.label }))} className="field-checklist" />
        </Form.Item>
        <Form.Item
          name="itemCodes"
          label={r.items}
          extra={r.itemsHelp}
          rules={[{ validator: async (_, codes?: string[]) => { if (codes?.some((c) => !ITEM_CODE.test(c))) throw new Error(r.itemsInvalid); } }]}
        >
          <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} suffixIcon={null} aria-label={r.items} />
        </Form.Item>
        <Form.Item name="until" label={r.until}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <div className="form-alert">
          <ProblemAlert error={error} unmatched={unmatched} />
        </div>
      </Form>
    </Modal>
  );
}
