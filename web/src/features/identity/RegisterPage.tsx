import { useState } from 'react';
import { App, Button, Card, Form, Input, Radio, Typography, type FormRule as Rule } from 'antd';
import { Link, useNavigate } from 'react-router';
import { normalizeCreditCode, normalizeIdNumber } from '@server/shared/identifiers';
import type { FieldProblem } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { applyFieldErrors, ProblemAlert } from '../../app/problems';
import { identityApi } from './api';
import { useIdentifierRules } from './rules';

type Kind = 'natural' | 'legal';

interface Values {
  kind: Kind;
  name: string;
  idNumber?: string;
  creditCode?: string;
  phone: string;
  password: string;
  passwordConfirm: string;
}

const SERVER_FIELDS = ['name', 'idNumber', 'creditCode', 'phone', 'password'] as const;

export function RegisterPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'natural';
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  usePageTitle(t.register.title);

  const nameLabel = kind === 'natural' ? t.register.personName : t.register.orgName;
  const rules = useIdentifierRules();
  const required = rules.required;
  const confirmRule: Rule = ({ getFieldValue }) => ({
    validator: async (_, value?: string) => {
      if (value && value !== getFieldValue('password')) throw new Error(t.register.passwordMismatch);
    },
  });

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    setUnmatched([]);
    try {
      const username = values.kind === 'natural' ? normalizeIdNumber(values.idNumber ?? '') : normalizeCreditCode(values.creditCode ?? '');
      await identityApi.register({
        kind: values.kind,
        name: values.name.trim(),
        ...(values.kind === 'natural' ? { idNumber: username } : { creditCode: username }),
        phone: values.phone,
        password: values.password,
      });
      message.success(t.register.success);
      // Router state, not the URL: an ID number must not end up in history or server logs.
      void navigate('/login', { state: { username } });
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, SERVER_FIELDS));
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="page page-narrow">
      <PageHeading title={t.register.title} intro={t.register.intro} />
      <Card>
        <Form<Values>
          form={form}
          name="register"
          layout="vertical"
          validateTrigger="onBlur"
          initialValues={{ kind: 'natural' }}
          onFinish={submit}
          requiredMark
          scrollToFirstError
        >
          <Form.Item name="kind" label={t.register.kind}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              aria-label={t.register.kind}
              options={[
                { value: 'natural', label: t.register.natural },
                { value: 'legal', label: t.register.legal },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={nameLabel} rules={[required(nameLabel)]}>
            <Input autoComplete={kind === 'natural' ? 'name' : 'organization'} maxLength={100} />
          </Form.Item>
          {kind === 'natural' ? (
            <Form.Item name="idNumber" label={t.register.idNumber} rules={[required(t.register.idNumber), rules.idNumber]} normalize={(v: string) => v.toUpperCase()}>
              <Input autoComplete="off" maxLength={18} inputMode="text" spellCheck={false} />
            </Form.Item>
          ) : (
            <Form.Item name="creditCode" label={t.register.creditCode} rules={[required(t.register.creditCode), rules.creditCode]} normalize={(v: string) => v.toUpperCase()}>
              <Input autoComplete="off" maxLength={18} spellCheck={false} />
            </Form.Item>
          )}
          <Form.Item name="phone" label={t.register.phone} rules={[required(t.register.phone), rules.mobile]}>
            <Input type="tel" autoComplete="tel" inputMode="numeric" maxLength={20} />
          </Form.Item>
          <Form.Item name="password" label={t.register.password} extra={t.register.passwordHelp} rules={[required(t.register.password)]}>
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
          <Form.Item
            name="passwordConfirm"
            label={t.register.passwordConfirm}
            dependencies={['password']}
            rules={[required(t.register.passwordConfirm), confirmRule]}
          >
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
          <div className="form-alert">
            <ProblemAlert error={error} title={t.register.failed} unmatched={unmatched} />
          </div>
          <Button type="primary" htmlType="submit" loading={submitting} block size="large">
            {t.register.submit}
          </Button>
        </Form>
        <Typography.Paragraph className="form-footnote">
          {t.register.haveAccount} <Link to="/login">{t.common.signIn}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
