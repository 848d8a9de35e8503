import { useMemo, useState } from 'react';
import { Alert, Button, Form, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../app/i18n';
import type { Region } from '../../org/api';
import { formFieldsOf, SchemaFields } from '../../cases/SchemaForm';
import { formFromFields, type DesignerField } from './formModel';

/**
 * The applicant's form as it will look: the designer's fields generated into the form element and
 * drawn by the applicant's own renderer, so controls, checks and conditional fields are the ones
 * the applicant gets. Attachments cannot be uploaded here.
 */
export function FormPreview({ fields, regions, idPrefix }: { fields: DesignerField[]; regions: readonly Region[]; idPrefix: string }) {
  const { t } = useI18n();
  const d = t.catalog.admin.designer;
  const [form] = Form.useForm<Record<string, unknown>>();
  const [checked, setChecked] = useState(false);
  const formFields = useMemo(() => formFieldsOf(formFromFields(fields)), [fields]);

  return (
    <Form
      form={form}
      name={`${idPrefix}-form`}
      layout="vertical"
      onValuesChange={() => setChecked(false)}
      onFinish={() => setChecked(true)}
      className="form-preview"
    >
      <SchemaFields
        fields={formFields}
        idPrefix={idPrefix}
        regions={regions}
        attachment={(id) => (
          <Upload disabled beforeUpload={() => false}>
            <Button id={id} icon={<UploadOutlined aria-hidden />} disabled>
              {d.upload}
            </Button>
          </Upload>
        )}
      />
      {fields.some((f) => f.widget === 'attachment') && <Alert type="info" showIcon title={d.previewNote} className="preview-note" />}
      <Button htmlType="submit">{d.previewCheck}</Button>
      {checked && <Alert type="success" showIcon title={d.previewOk} className="preview-note" role="status" />}
    </Form>
  );
}
