import { useState } from 'react';
import { Alert, Button, Card, Col, Row, Space, Table, Tag } from 'antd';
import { CommentOutlined, LeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { useI18n } from '../../app/i18n';
import { LinkButton, PageHeading } from '../../app/layout/chrome';
import { ProblemAlert } from '../../app/problems';
import type { CaseDetail } from './api';
import { ActionDialog } from './ActionDialog';
import { ResubmitPanel, SupplyPanel } from './ApplicantPanels';
import { CaseFacts, CaseTimeline, correctionItems, MaterialsList, NoticesList, owedMaterials, StepsView, useCasePage, useCaseWork } from './CaseParts';
import { StatusTag, useCaseLabels } from './codes';
import { FrontDeskPanel } from './FrontDeskPanel';
import { FormDataView } from './SchemaForm';
import { BackOfficePanel, DeliveryPanel, hasBackOfficeActions } from './StaffPanels';
import { AutomaticDecisionCard } from '../rules/AutomaticDecision';
import './cases.css';

const FRONT_DESK = ['accept', 'not_accept', 'request_correction', 'accept_with_deficiency', 'verify_materials'] as const;

/**
 * A case at the workbench: the application, its materials, its record, and the panels for what
 * this person may do now (the front desk's checklist and outcomes, the back office's step
 * actions, delivery at the window). `from` says which desk the page was opened from.
 */
export function StaffCasePage({ from }: { from: 'front-desk' | 'tasks' }) {
  const { caseNumber = '' } = useParams();
  const { t } = useI18n();
  const back = from === 'front-desk' ? { to: '/workbench/front-desk', label: t.cases.frontDesk.title } : { to: '/workbench/tasks', label: t.cases.tasks.title };
  const detail = useCasePage(caseNumber, (d) => `${d.caseNumber} ${d.itemName}`, back);
  if (detail.fallback) return detail.fallback;
  return <StaffCaseView detail={detail.data!} reload={detail.reload} update={detail.update} reloading={detail.loading} back={back} />;
}

function StaffCaseView({
  detail,
  reload,
  update,
  reloading,
  back,
}: {
  detail: CaseDetail;
  reload(): void;
  update(next: CaseDetail): void;
  reloading: boolean;
  back: { to: string; label: string };
}) {
  const { t } = useI18n();
  const c = t.cases.detail;
  const { guide, fields, run, busy, allowed } = useCaseWork(detail, reload, update);
  const frontDesk = FRONT_DESK.some((a) => allowed.has(a));
  const backOffice = hasBackOfficeActions(detail);
  const nothingToDo = detail.allowedActions.every((a) => a === 'comment');
  const labels = useCaseLabels();
  const [commenting, setCommenting] = useState(false);

  return (
    <div className="page case-page">
      <PageHeading
        title={detail.itemName}
        intro={
          <Space wrap>
            <span className="code-text">{detail.caseNumber}</span>
            <StatusTag status={detail.status} />
            {detail.clock.overdue && <Tag color="red">{c.overdue}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            <LinkButton to={back.to} icon={<LeftOutlined aria-hidden />}>
              {back.label}
            </LinkButton>
            {allowed.has('comment') && (
              <Button icon={<CommentOutlined aria-hidden />} onClick={() => setCommenting(true)}>
                {labels.action('comment')}
              </Button>
            )}
            <Button icon={<ReloadOutlined aria-hidden />} onClick={reload} loading={reloading}>
              {c.refresh}
            </Button>
          </Space>
        }
      />
      {commenting && <ActionDialog action="comment" detail={detail} run={run} onClose={() => setCommenting(false)} />}
      <Space orientation="vertical" size={16} className="case-sections">
        {detail.parent && (
          <Alert type="info" showIcon title={c.subCaseOf(detail.parent.caseNumber)} />
        )}
        {guide.error !== null && !guide.data && <ProblemAlert error={guide.error} />}
        {frontDesk && guide.data && (
          <Card>
            <FrontDeskPanel key={detail.version} detail={detail} guide={guide.data} run={run} busy={busy} />
          </Card>
        )}
        {backOffice && (
          <Card>
            <BackOfficePanel detail={detail} run={run} busy={busy} />
          </Card>
        )}
        {allowed.has('resubmit') && guide.data && correctionItems(detail).length > 0 && (
          <Card>
            <ResubmitPanel key={detail.version} detail={detail} guide={guide.data} run={run} busy={busy === 'resubmit'} mode="window" />
          </Card>
        )}
        {allowed.has('supply') && guide.data && owedMaterials(detail).length > 0 && (
          <Card>
            <SupplyPanel key={detail.version} detail={detail} guide={guide.data} run={run} busy={busy === 'supply'} />
          </Card>
        )}
        {allowed.has('deliver') && (
          <Card>
            <DeliveryPanel detail={detail} run={run} busy={busy === 'deliver'} />
          </Card>
        )}
        {nothingToDo && <Alert type="info" showIcon title={c.nothingToDo} />}
        <Card title={<h2 className="card-title">{c.overview}</h2>}>
          <CaseFacts detail={detail} staff />
          {detail.steps.length > 0 && (
            <div className="case-steps">
              <StepsView detail={detail} />
            </div>
          )}
        </Card>
        {detail.subCases.length > 0 && (
          <Card title={<h2 className="card-title">{c.subCases}</h2>}>
            <Table
              rowKey="caseNumber"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={detail.subCases}
              columns={[
                { title: c.caseNumber, dataIndex: 'caseNumber', render: (n: string) => <span className="code-text">{n}</span> },
                { title: c.item, dataIndex: 'itemName' },
                { title: c.department, dataIndex: 'departmentName' },
                { title: c.status, dataIndex: 'status', render: (s: CaseDetail['status']) => <StatusTag status={s} /> },
                { title: c.required, dataIndex: 'required', render: (r: boolean) => (r ? t.cases.form.yes : t.cases.form.no) },
                { title: c.deadline, dataIndex: 'deadline' },
              ]}
            />
          </Card>
        )}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Space orientation="vertical" size={16} className="case-sections">
              <Card title={<h2 className="card-title">{c.application}</h2>}>
                <FormDataView fields={fields} data={detail.form} />
              </Card>
              {!frontDesk && (
                <Card title={<h2 className="card-title">{c.materials}</h2>}>
                  <MaterialsList detail={detail} />
                </Card>
              )}
            </Space>
          </Col>
          <Col xs={24} xl={10}>
            <Space orientation="vertical" size={16} className="case-sections">
              <AutomaticDecisionCard automaticDecision={detail.automaticDecision} verification={detail.verification} />
              <Card title={<h2 className="card-title">{c.notices}</h2>}>
                <NoticesList detail={detail} printable />
              </Card>
              <Card title={<h2 className="card-title">{c.history}</h2>}>
                <CaseTimeline history={detail.history} />
              </Card>
            </Space>
          </Col>
        </Row>
      </Space>
    </div>
  );
}
