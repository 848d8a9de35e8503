import { Empty, Skeleton, Space } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../app/i18n';
import { LinkButton } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { useApi } from '../../app/useApi';
import { CASES_PATH, type CaseSummary, type Page } from './api';
import { StatusTag } from './codes';
import { formatInstant } from './format';
import './cases.css';

/** The applicant's latest cases on their own page, with the way to all of them and to their drafts. */
export function RecentCases({ emptyText }: { emptyText: string }) {
  const { t } = useI18n();
  const cases = useApi<Page<CaseSummary>>(CASES_PATH, { mine: true, limit: 3 });
  const items = cases.data?.items ?? [];
  return (
    <>
      {cases.loading && !cases.data && <Skeleton active paragraph={{ rows: 2 }} />}
      {cases.error !== null && <ProblemAlert error={cases.error} />}
      {cases.data && items.length === 0 && <Empty description={emptyText} />}
      {items.length > 0 && (
        <ul className="recent-cases">
          {items.map((c) => (
            <li key={c.caseNumber}>
              <Link to={`/me/cases/${encodeURIComponent(c.caseNumber)}`}>{c.itemName}</Link> <StatusTag status={c.status} />
              <span className="recent-case-date">{formatInstant(c.submittedAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <Space wrap className="recent-cases-links">
        <LinkButton type="primary" to="/me/cases">
          {t.cases.myCases}
        </LinkButton>
        <LinkButton to="/me/cases?tab=drafts">{t.cases.mine.drafts}</LinkButton>
        <LinkButton to="/items">{t.cases.mine.findItem}</LinkButton>
      </Space>
    </>
  );
}
