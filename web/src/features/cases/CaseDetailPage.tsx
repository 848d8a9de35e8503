import { Alert, Card, Col, Row, Space } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { useI18n } from '../../app/i18n';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import { noticePdfLink, type CaseDetail } from './api';
import { ResubmitPanel, SupplyPanel, WithdrawButton } from './ApplicantPanels';
import { CaseFacts, CaseTimeline, correctionItems, MaterialsList, NoticesList, owedMaterials, StepsView, useCasePage, useCaseWork } from './CaseParts';
import { formatInstant } from './format';
import { StatusTag, useCaseLabels } from './codes';
import { FormDataView } from './SchemaForm';
import { CaseRating } from '../quality/CaseRating';
import { AutomaticDecisionCard } from '../rules/AutomaticDecision';
import './cases.css';

/** One of the applicant's cases: where it stands, what they are asked to do, and its record. */
export function CaseDetailPage() {
  const { caseNumber = '' } = useParams();
  const { t } = useI18n();
  const detail = useCasePage(caseNumber, (d) => `${d.itemName} ${d.caseNumber}`, { to: '/me/cases', label: t.cases.mine.title });
  if (detail.fallback) return detail.fallback;
  return <CaseView detail={detail.data!} reload={detail.reload} update={detail.update} />;
}

function CaseView({ detail, reload, update }: { detail: CaseDetail; reload(): void; update(next: CaseDetail): void }) {
  const { t } = useI18n();
  const c = t.cases.detail;
  const labels = useCaseLabels();
  const { guide, fields, run, busy, allowed } = useCaseWork(detail, reload, update);
  const decisionNotice = [...detail.notices].reverse().find((n) => n.kind === 'decision');

  return (
    <div className="page case-page">
      <PageHeading
        title={detail.itemName}
        intro={
          <Space wrap>
            <span className="code-text">{detail.caseNumber}</span>
            <StatusTag status={detail.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <LinkButton to="/me/cases" icon={<LeftOutlined aria-hidden />}>
              {t.cases.mine.title}
            </LinkButton>
            {allowed.has('withdraw') && <WithdrawButton run={run} busy={busy === 'withdraw'} />}
          </Space>
        }
      />
      <Space orientation="vertical" size={16} className="case-sections">
        {detail.decision && (
          <Alert
            type={detail.decision.outcome === 'approved' ? 'success' : 'error'}
            showIcon
            title={c.decided(labels.status(detail.decision.outcome), detail.decision.number)}
            description={
              <>
                {c.decidedAt(formatInstant(detail.decision.decidedAt))}
                {decisionNotice && (
                  <>
                    {' · '}
                    <a href={noticePdfLink(detail.caseNumber, decisionNotice.id)} target="_blank" rel="noopener noreferrer">
                      {c.decisionPdf}
                    </a>
                  </>
                )}
              </>
            }
          />
        )}
        {detail.pickupCode && (
          <Alert
            type="info"
            showIcon
            title={
              <span>
                {c.pickupCode} <strong className="pickup-code">{detail.pickupCode}</strong>
              </span>
            }
            description={c.pickupNote}
          />
        )}
        {detail.status === 'not_accepted' && <Alert type="error" showIcon title={c.notAcceptedNote} />}
        {guide.error !== null && !guide.data && <ProblemAlert error={guide.error} />}
        {allowed.has('resubmit') && guide.data && correctionItems(detail).length > 0 && (
          <Card>
            <ResubmitPanel detail={detail} guide={guide.data} run={run} busy={busy === 'resubmit'} />
          </Card>
        )}
        {allowed.has('supply') && guide.data && owedMaterials(detail).length > 0 && (
          <Card>
            <SupplyPanel detail={detail} guide={guide.data} run={run} busy={busy === 'supply'} />
          </Card>
        )}
        <Card title={<h2 className="card-title">{c.overview}</h2>}>
          <CaseFacts detail={detail} />
          {detail.steps.length > 0 && (
            <div className="case-steps">
              <StepsView detail={detail} />
            </div>
          )}
        </Card>
        <CaseRating caseNumber={detail.caseNumber} />
        <AutomaticDecisionCard automaticDecision={detail.automaticDecision} verification={detail.verification} />
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Card title={<h2 className="card-title">{c.history}</h2>}>
              <CaseTimeline history={detail.history} />
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title={<h2 className="card-title">{c.notices}</h2>}>
              <NoticesList detail={detail} />
            </Card>
          </Col>
        </Row>
        <Card title={<h2 className="card-title">{c.materials}</h2>}>
          <MaterialsList detail={detail} />
        </Card>
        <Card title={<h2 className="card-title">{c.application}</h2>}>
          <FormDataView fields={fields} data={detail.form} />
        </Card>
      </Space>
    </div>
  );
}
