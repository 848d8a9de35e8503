import { App, Button, Layout, Space } from 'antd';
import { CommentOutlined, FileTextOutlined, LogoutOutlined, SearchOutlined } from '@ant-design/icons';
import { Link, Outlet, useNavigate } from 'react-router';
import { homeOf } from '../guards';
import { useI18n } from '../i18n';
import { useProblemText } from '../problems';
import { useSession } from '../session';
import { Brand, LanguageSwitch, LinkButton, MAIN_ID, SkipLink, useFocusMainOnNavigate } from './chrome';
import { MessagesBell } from '../../features/cases/MessagesBell';

/** Frame of the public pages and the applicant's own page. */
export function PublicLayout() {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const problemText = useProblemText();
  useFocusMainOnNavigate();

  const leave = async () => {
    try {
      await signOut();
      message.success(t.login.signedOut);
      void navigate('/');
    } catch (err) {
      message.error(problemText(err));
    }
  };

  return (
    <Layout className="site">
      <SkipLink />
      <Layout.Header className="site-header">
        <Brand />
        <nav aria-label={t.common.mainNav} className="header-nav">
          <Space size={4} wrap={false}>
            <LinkButton to="/items" type="text" icon={<SearchOutlined aria-hidden />}>
              <span className="collapse-xs">{t.catalog.search.title}</span>
            </LinkButton>
            <LanguageSwitch collapseOnPhone />
            {me ? (
              <>
                <MessagesBell staff={me.user.kind === 'staff'} />
                {me.user.kind !== 'staff' && (
                  <LinkButton to="/me/cases" type="link" icon={<FileTextOutlined aria-hidden />}>
                    <span className="collapse-xs">{t.cases.myCases}</span>
                  </LinkButton>
                )}
                {me.user.kind !== 'staff' && (
                  <LinkButton to="/me/tickets" type="link" icon={<CommentOutlined aria-hidden />}>
                    <span className="collapse-xs">{t.quality.menu.myTickets}</span>
                  </LinkButton>
                )}
                <LinkButton to={homeOf(me.user.kind)} type="link">
                  {me.user.kind === 'staff' ? t.common.workbench : t.common.myPage}
                </LinkButton>
                <Button type="text" icon={<LogoutOutlined aria-hidden />} onClick={leave}>
                  <span className="collapse-xs">{t.common.signOut}</span>
                </Button>
              </>
            ) : (
              <>
                <LinkButton to="/login" type="link">
                  {t.common.signIn}
                </LinkButton>
                <LinkButton to="/register" type="primary">
                  {t.common.signUp}
                </LinkButton>
              </>
            )}
          </Space>
        </nav>
      </Layout.Header>
      <Layout.Content id={MAIN_ID} tabIndex={-1} className="site-main">
        <Outlet />
      </Layout.Content>
      <Layout.Footer className="site-footer">
        <div>{t.common.footer}</div>
        <a href="/openapi.json">{t.common.openApi}</a>
        <Link to="/quality/stats">{t.quality.menu.publicStats}</Link>
      </Layout.Footer>
    </Layout>
  );
}
