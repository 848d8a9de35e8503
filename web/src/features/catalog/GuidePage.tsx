import { Alert, Button, Result, Skeleton, Space } from 'antd';
import { FormOutlined, LeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { LinkButton } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { isStaff, useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import { todayInShanghai } from '../calendar/api';
import { guidePath, type Guide } from './api';
import { GuideView } from './GuideView';
import { ItemFaq } from '../quality/ItemFaq';

/** The public guide of an item's current version, or of an earlier published version by number. */
export function GuidePage() {
  const { t } = useI18n();
  const c = t.catalog.guide;
  const problemText = useProblemText();
  const { implementationCode = '', version } = useParams();
  const { me } = useSession();
  const guide = useApi<Guide>(guidePath(implementationCode, version));
  usePageTitle(guide.data?.name ?? t.catalog.search.title);

  if (guide.loading && !guide.data) {
    return (
      <div className="page">
        <Skeleton active paragraph={{ rows: 12 }} />
      </div>
    );
  }
  if (guide.error) {
    const missing = guide.error instanceof ApiError && guide.error.status === 404;
    return (
      <div className="page">
        {missing ? (
          <Result
            status="404"
            title={<h1 className="result-title">{c.notFound}</h1>}
            subTitle={problemText(guide.error)}
            extra={<Link to="/items">{c.backToSearch}</Link>}
          />
        ) : (
          <Alert type="error" showIcon title={problemText(guide.error)} action={<Button onClick={guide.reload}>{t.common.retry}</Button>} />
        )}
      </div>
    );
  }
  const data = guide.data!;
  return (
    <div className="page guide-page">
      {version !== undefined && (
        <Alert
          className="guide-old-version no-print"
          type="info"
          showIcon
          title={c.oldVersion(data.version)}
          action={<Link to={`/items/${encodeURIComponent(implementationCode)}`}>{c.viewCurrent}</Link>}
        />
      )}
      <GuideView
        guide={data}
        actions={
          <Space wrap>
            <LinkButton to="/items" icon={<LeftOutlined aria-hidden />}>
              {c.backToSearch}
            </LinkButton>
            {/* Applying online (网上办) is for applicants, on the current version only. */}
            {version === undefined && data.handling.online && !isStaff(me) && (
              <LinkButton type="primary" icon={<FormOutlined aria-hidden />} to={`/apply/${encodeURIComponent(data.implementationCode)}`}>
                {t.cases.applyOnline}
              </LinkButton>
            )}
            <Button icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
              {c.print}
            </Button>
          </Space>
        }
      />
      {version === undefined && <ItemFaq itemCode={data.implementationCode} />}
      <p className="print-only">{c.printedAt(todayInShanghai())} · {window.location.href}</p>
    </div>
  );
}
