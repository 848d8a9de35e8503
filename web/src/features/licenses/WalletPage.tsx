import { Button, Empty, Skeleton, Space } from 'antd';
import { Link } from 'react-router';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { MY_LICENSES_PATH, MY_LICENSES_QUERY, pdfPath, verifyPage, type License } from './api';
import { LicenseStatusTag } from './StatusTag';
import '../cases/cases.css';

/** 证照夹: the signed-in person's or enterprise's e-licenses, each with its PDF and its public verification page (a list: it reads well on a phone). */
export function WalletPage() {
  const { t } = useI18n();
  const w = t.licenses.wallet;
  usePageTitle(w.title);
  const state = useApi<{ items: License[] }>(MY_LICENSES_PATH, MY_LICENSES_QUERY);
  const items = state.data?.items ?? [];
  return (
    <div className="page">
      <PageHeading title={w.title} intro={w.intro} />
      {state.error !== null && <ProblemAlert error={state.error} />}
      {state.loading && items.length === 0 ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={w.empty} />
      ) : (
        <ul className="case-list" aria-label={w.title}>
          {items.map((l) => (
            <li key={l.licenseId} className="case-row" data-license-id={l.licenseId}>
              <div className="case-row-main">
                <h2 className="case-row-title">
                  {l.name} <LicenseStatusTag license={l} />
                </h2>
                <div className="case-row-meta">
                  <span>
                    {w.identifier}：<span className="code-text">{l.licenseId}</span>
                  </span>
                </div>
                <Space wrap style={{ marginTop: 8 }}>
                  <Button href={pdfPath(l.licenseId)} download aria-label={`${w.download}：${l.name}`}>
                    {w.download}
                  </Button>
                  <Link to={verifyPage(l.licenseId)} aria-label={`${w.verify}：${l.name}`}>
                    {w.verify}
                  </Link>
                </Space>
              </div>
              <dl className="case-row-facts">
                <div>
                  <dt>{w.issuer}</dt>
                  <dd>{l.issuer.name}</dd>
                </div>
                <div>
                  <dt>{w.issuedOn}</dt>
                  <dd>{l.issuedOn}</dd>
                </div>
                <div>
                  <dt>{w.validity}</dt>
                  <dd>
                    {l.validFrom} – {l.validUntil ?? w.longTerm}
                  </dd>
                </div>
                {l.caseNumber && (
                  <div>
                    <dt>{w.caseNumber}</dt>
                    <dd className="code-text">{l.caseNumber}</dd>
                  </div>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
