import { Button, Result, Spin } from 'antd';
import { Link } from 'react-router';
import { useI18n, usePageTitle } from './i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
      <Spin description={t.common.loading} />
    </div>
  );
}

export function NotFound() {
  const { t } = useI18n();
  usePageTitle(t.common.notFoundTitle);
  return (
    <Result
      status="404"
      title={<h1 className="result-title">{t.common.notFoundTitle}</h1>}
      subTitle={t.common.notFoundText}
      extra={<Link to="/">{t.common.backHome}</Link>}
    />
  );
}

export function Forbidden() {
  const { t } = useI18n();
  usePageTitle(t.common.forbiddenTitle);
  return (
    <Result
      status="403"
      title={<h1 className="result-title">{t.common.forbiddenTitle}</h1>}
      subTitle={t.common.forbiddenText}
      extra={<Link to="/">{t.common.backHome}</Link>}
    />
  );
}

/** Route error boundary: a lazy page whose chunk failed to load (a new release, a lost connection). */
export function PageError() {
  const { t } = useI18n();
  return (
    <main id="main" style={{ padding: 24 }}>
      <Result
        status="error"
        title={<h1 className="result-title">{t.common.pageErrorTitle}</h1>}
        subTitle={t.common.pageErrorText}
        extra={<Button onClick={() => window.location.reload()}>{t.common.retry}</Button>}
      />
    </main>
  );
}
