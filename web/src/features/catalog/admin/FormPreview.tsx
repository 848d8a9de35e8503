import { useMemo, useState } from 'react';
import { Alert, Button, Cascader, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Upload, type FormRule } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { checkCreditCode, checkIdNumber, isValidMobile } from '@server/shared/identifiers';
import { useI18n } from '../../../app/i18n';
import { regionTree, type Region, type RegionNode } from '../../org/api';
import { isVisible, type DesignerField } from './formModel';

interface RegionOption {
  value: string;
  label: string;
  children?: RegionOption[];
}

function toOptions(nodes: RegionNode[]): RegionOption[] {
  return nodes.map((n) => ({ value: n.code, label: n.name, ...(n.children ? { children: toOptions(n.children) } : {}) }));
}

/** A landline is also a phone the form accepts (as in the demo forms' pattern). */
const LANDLINE = /^0[0-9]{2,3}-?[0-9]{7,8}$/;

/**
 * The applicant's form as it will look: antd controls by widget, the shared validators on ID
 * numbers and credit codes, conditional fields shown and hidden as answers change.
 */
export function FormPreview({ fields, regions, idPrefix }: { fields: DesignerField[]; regions: readonly Region[]; idPrefix: string }) {
  const { t } = useI18n();
  const d = t.catalog.admin.designer;
  const [form] = Form.useForm<Record<string, unknown>>();
  const values = (Form.useWatch([], form) ?? {}) as Record<string, unknown>;
  const [checked, setChecked] = useState(false);
  const regionOptions = useMemo(() => toOptions(regionTree(regions)), [regions]);

  const rulesFor = (field: DesignerField): FormRule[] => {
    const rules: FormRule[] = [];
    if (field.required && field.widget !== 'checkbox') {
      rules.push({ required: true, message: field.widget === 'select' || field.widget === 'radio' || field.widget === 'date' || field.widget === 'region' ? t.common.requiredChoice(field.label) : t.common.required(field.label) });
    }
    if (field.widget === 'id_number') {
      rules.push({ validator: async (_, v?: string) => { if (v && checkIdNumber(v)) throw new Error(`${d.idInvalid}：${t.register.idNumberReasons[checkIdNumber(v)!]}`); } });
    }
    if (field.widget === 'credit_code') {
      rules.push({ validator: async (_, v?: string) => { if (v && checkCreditCode(v)) throw new Error(`${d.creditInvalid}：${t.register.creditCodeReasons[checkCreditCode(v)!]}`); } });
    }
    if (field.widget === 'phone') {
      rules.push({ validator: async (_, v?: string) => { if (v && !isValidMobile(v) && !LANDLINE.test(v)) throw new Error(d.phoneInvalid); } });
    }
    return rules;
  };

  const control = (field: DesignerField) => {
    const id = `${idPrefix}-${field.key}`;
    switch (field.widget) {
      case 'textarea':
        return <Input.TextArea id={id} rows={3} />;
      case 'number':
        return <InputNumber id={id} min={0} precision={0} style={{ width: 200 }} />;
      case 'money':
        return <InputNumber id={id} min={0} precision={2} step={0.01} suffix={d.yuan} style={{ width: 200 }} />;
      case 'date':
        return <DatePicker id={id} />;
      case 'select':
        return <Select id={id} allowClear options={field.options ?? []} style={{ maxWidth: 360 }} />;
      case 'radio':
        return <Radio.Group id={id} aria-label={field.label} options={field.options ?? []} />;
      case 'checkbox':
        return <Checkbox id={id}>{field.label}</Checkbox>;
      case 'id_number':
      case 'credit_code':
        return <Input id={id} maxLength={18} spellCheck={false} autoComplete="off" className="code-input" />;
      case 'phone':
        return <Input id={id} type="tel" inputMode="tel" maxLength={20} />;
      case 'region':
        return <Cascader id={id} options={regionOptions} changeOnSelect showSearch style={{ maxWidth: 360 }} />;
      case 'attachment':
        return (
          <Upload disabled beforeUpload={() => false}>
            <Button id={id} icon={<UploadOutlined aria-hidden />} disabled>
              {d.upload}
            </Button>
          </Upload>
        );
      default:
        return <Input id={id} maxLength={100} />;
    }
  };

  return (
    <Form
      form={form}
      name={`${idPrefix}-form`}
      layout="vertical"
      onValuesChange={() => setChecked(false)}
      onFinish={() => setChecked(true)}
      className="form-preview"
    >
      {fields.filter((field) => isVisible(field, values)).map((field) => (
        <Form.Item
          key={field.key}
          name={field.key}
          label={field.widget === 'checkbox' ? undefined : field.label}
          htmlFor={`${idPrefix}-${field.key}`}
          extra={field.help}
          rules={rulesFor(field)}
          valuePropName={field.widget === 'checkbox' ? 'checked' : 'value'}
          normalize={field.widget === 'id_number' || field.widget === 'credit_code' ? (v: string) => v?.toUpperCase() : undefined}
          required={field.required && field.widget !== 'checkbox'}
        >
          {control(field)}
        </Form.Item>
      ))}
      {fields.some((f) => f.widget === 'attachment') && <Alert type="info" showIcon title={d.previewNote} className="preview-note" />}
      <Button htmlType="submit">{d.previewCheck}</Button>
      {checked && <Alert type="success" showIcon title={d.previewOk} className="preview-note" role="status" />}
    </Form>
  );
}
