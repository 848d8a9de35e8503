import { useState } from 'react';
import { Button, Card, Form, Input, Typography } from 'antd';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { homeOf } from '../../app/guards';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useSession } from '../../app/session';
import { identityApi } from './api';

interface Values {
  username: string;
  password: string;
}

interface LoginState {
  /** Filled in after registering, so the new applicant does not type their ID number twice. */
  username?: string;
  /** The page a sign-in guard sent the visitor away from. */
  from?: string;
}

/** Staff pages are under /workbench and /admin; an applicant's pages are /me and the online application (/apply). */
function belongsTo(kind: string, path: string): boolean {
  const staffPath = path.startsWith('/workbench') || path.startsWith('/admin');
  return kind === 'staff' ? staffPath : path.startsWith('/me') || path.startsWith('/apply/');
}

export function LoginPage() {
  const { t } = useI18n();
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LoginState;
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  usePageTitle(t.login.title);

  if (me && !submitting) return <Navigate to={homeOf(me.user.kind)} replace />;

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      const { user } = await identityApi.login({ username: values.username.trim(), password: values.password });
      await refresh();
      const target = state.from && belongsTo(user.kind, state.from) ? state.from : homeOf(user.kind);
      void navigate(target, { replace: true });
    } catch (err) {
      setError(err);
      setSubmitting(false);
    }
  };

  return (
    <div className="page page-narrow">
      <PageHeading title={t.login.title} intro={t.login.intro} />
      <Card>
        <Form<Values> name="login" layout="vertical" initialValues={{ username: state.username ?? '' }} onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t.login.username} rules={[{ required: true, whitespace: true, message: t.common.required(t.login.username) }]}>
            <Input autoComplete="username" maxLength={64} spellCheck={false} />
          </Form.Item>
          <Form.Item name="password" label={t.login.password} rules={[{ required: true, message: t.common.required(t.login.password) }]}>
            <Input.Password autoComplete="current-password" maxLength={128} />
          </Form.Item>
          <div className="form-alert">
            <ProblemAlert error={error} />
          </div>
          <Button type="primary" htmlType="submit" loading={submitting} block size="large">
            {t.login.submit}
          </Button>
        </Form>
        <Typography.Paragraph className="form-footnote">
          {t.login.noAccount} <Link to="/register">{t.common.signUp}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
