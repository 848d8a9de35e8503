import { Alert, Descriptions, Result, Skeleton } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { formatInstant } from '../cases/format';
import { verifyPage, verifyPath, type Verification } from './api';

/** The public verification page the QR code on a license leads to: no sign-in, masked holder data only. */
export function VerifyPage() {
  const { t } = useI18n();
  const v = t.licenses.verify;
  usePageTitle(v.title);
  const { licenseId = '' } = useParams();
  const state = useApi<Verification>(verifyPath(licenseId));
  const result = state.data;
  const notFound = state.error instanceof ApiError && state.error.status === 404;
  return (
    <div className="page">
      <PageHeading title={v.title} intro={v.intro} />
      <p className="code-text" style={{ wordBreak: 'break-all' }}>
        {licenseId}
      </p>
      {state.loading && !result && <Skeleton active />}
      {notFound && <Alert type="error" showIcon message={v.invalid} description={v.notFound} role="alert" />}
      {state.error !== null && !notFound && <ProblemAlert error={state.error} />}
      {result && !state.loading && (
        <>
          <Result
            status={result.valid ? 'success' : 'error'}
            title={<span role="status">{result.valid ? v.valid : v.invalid}</span>}
            subTitle={v.reasons[result.reason] ?? result.reason}
          />
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'name', label: v.name, children: result.name },
              { key: 'holder', label: v.holder, children: result.holderMasked },
              { key: 'issuer', label: v.issuer, children: result.issuer },
              { key: 'issuedAt', label: v.issuedAt, children: result.issuedAt },
              { key: 'validUntil', label: v.validUntil, children: result.validUntil ?? t.licenses.wallet.longTerm },
              ...(result.seal ? [{ key: 'seal', label: v.seal, children: `${result.seal.department} ${result.seal.name}（${result.seal.keyId}）` }] : []),
              { key: 'algorithm', label: v.algorithm, children: result.signatureAlgorithm },
              ...(result.successorLicenseId ? [{ key: 'successor', label: v.successor, children: <Link to={verifyPage(result.successorLicenseId)}>{result.successorLicenseId}</Link> }] : []),
              { key: 'checkedAt', label: v.checkedAt, children: formatInstant(result.checkedAt) },
            ]}
          />
        </>
      )}
    </div>
  );
}
