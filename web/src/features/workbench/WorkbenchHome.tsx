import { Alert, Card, Col, Row, Skeleton, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { isStaffRole } from '@server/shared/roles';
import { ApiError } from '../../app/api';
import { useI18n, usePageTitle } from '../../app/i18n';
import { PageHeading } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useSession } from '../../app/session';
import { useApi } from '../../app/useApi';
import { todayInShanghai, type Day } from '../calendar/api';
import { DeadlineCalculator } from '../calendar/DeadlineCalculator';
import { adminPagesFor } from './navigation';

export function WorkbenchHome() {
  const { t, roleLabel } = useI18n();
  const { me } = useSession();
  usePageTitle(t.workbench.title);
  const user = me!.user;
  const adminPages = adminPagesFor(user.roles);
  // A clerk's or an approver's shortcuts are case handling, not administration.
  const shortcutsTitle = adminPages.every((page) => page.group === 'cases') ? t.cases.menu.group : t.workbench.adminShortcuts;

  return (
    <div className="page">
      <PageHeading title={t.workbench.welcome(user.name)} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-title">{t.workbench.myRoles}</h2>} style={{ height: '100%' }}>
            <dl className="role-list">
              {user.roles.filter(isStaffRole).map((role) => (
                <div key={role}>
                  <dt>{roleLabel(role)}</dt>
                  <dd>{t.workbench.roleDuties[role]}</dd>
                </div>
              ))}
            </dl>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-title">{t.workbench.today}</h2>} style={{ height: '100%' }}>
            <Today />
          </Card>
        </Col>
        <Col xs={24} xl={adminPages.length > 0 ? 12 : 24}>
          <Card title={<h2 className="card-title">{t.calendar.deadlineTitle}</h2>}>
            <Typography.Paragraph type="secondary">{t.calendar.deadlineIntro}</Typography.Paragraph>
            <DeadlineCalculator idPrefix="workbench" />
          </Card>
        </Col>
        {adminPages.length > 0 && (
          <Col xs={24} xl={12}>
            <Card title={<h2 className="card-title">{shortcutsTitle}</h2>}>
              <ul className="shortcut-list">
                {adminPages.map((page) => (
                  <li key={page.path}>
                    <Link to={page.path}>
                      {page.icon} {page.label(t)}
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}

function Today() {
  const { t } = useI18n();
  const problemText = useProblemText();
  const date = todayInShanghai();
  const day = useApi<Day>(`/api/v1/calendar/days/${date}`);
  if (day.loading) return <Skeleton active paragraph={{ rows: 1 }} />;
  if (day.error) {
    const notPublished = day.error instanceof ApiError && day.error.code === 'calendar_not_published';
    return <Alert type={notPublished ? 'warning' : 'error'} showIcon title={problemText(day.error)} />;
  }
  return (
    <>
      <Typography.Paragraph className="today-date">{date}</Typography.Paragraph>
      <Typography.Paragraph strong>
        {day.data?.workday ? t.workbench.todayWorkday : t.workbench.todayRestDay}
        {day.data?.name && <Tag className="today-name">{day.data.name}</Tag>}
      </Typography.Paragraph>
    </>
  );
}
