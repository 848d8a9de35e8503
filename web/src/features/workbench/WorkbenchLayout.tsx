import { Suspense, useState } from 'react';
import { App, Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { HomeOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useI18n } from '../../app/i18n';
import { Brand, LanguageSwitch, MAIN_ID, SkipLink, useFocusMainOnNavigate } from '../../app/layout/chrome';
import { useProblemText } from '../../app/problems';
import { useSession } from '../../app/session';
import { Loading } from '../../app/status';
import { useApi } from '../../app/useApi';
import { DEPARTMENTS_PATH, type Department } from '../org/api';
import { adminPagesFor, menuKeyFor } from './navigation';

const DRAWER_ID = 'workbench-menu';

/** The staff shell: who is signed in, a role-dependent menu (a drawer on narrow screens), the page. */
export function WorkbenchLayout() {
  const { t, roleLabel } = useI18n();
  const { me, signOut } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const problemText = useProblemText();
  const screens = Grid.useBreakpoint();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Closing the drawer by choosing a page leaves focus on that page's main region (see
  // useFocusMainOnNavigate); closing it otherwise returns focus to the menu button.
  const [returnFocus, setReturnFocus] = useState(true);
  useFocusMainOnNavigate();

  const user = me!.user;
  const department = useApi<Department>(user.departmentId ? `${DEPARTMENTS_PATH}/${user.departmentId}` : null);
  const narrow = screens.lg === false;

  const adminPages = adminPagesFor(user.roles);
  const items: MenuProps['items'] = [
    { key: '/workbench', icon: <HomeOutlined aria-hidden />, label: <Link to="/workbench">{t.workbench.home}</Link> },
  ];
  const groups = [
    { key: 'cases', label: t.cases.menu.group },
    { key: 'catalog', label: t.catalog.admin.menu.group },
    { key: 'sharing', label: t.sharing.menu.group },
    { key: 'quality', label: t.quality.menu.group },
    { key: 'admin', label: t.workbench.adminGroup },
  ] as const;
  for (const group of groups) {
    const pages = adminPages.filter((page) => page.group === group.key);
    if (pages.length === 0) continue;
    items.push({
      type: 'group',
      key: group.key,
      label: group.label,
      children: pages.map((page) => ({ key: page.path, icon: page.icon, label: <Link to={page.path}>{page.label(t)}</Link> })),
    });
  }
  const menu = (
    <nav aria-label={t.workbench.sideNav}>
      <Menu mode="inline" items={items} selectedKeys={[menuKeyFor(pathname, adminPages)]} onClick={() => {
          setReturnFocus(false);
          setDrawerOpen(false);
        }}
        className="workbench-menu"
      />
    </nav>
  );

  const leave = async () => {
    try {
      await signOut();
      message.success(t.login.signedOut);
      void navigate('/');
    } catch (err) {
      message.error(problemText(err));
    }
  };

  const identity = (
    <div className="workbench-identity">
      <Typography.Text strong>{user.name}</Typography.Text>
      {department.data && (
        <Typography.Text type="secondary">
          <span className="visually-hidden">{t.workbench.department}: </span>
          {department.data.name}
        </Typography.Text>
      )}
      <span>
        <span className="visually-hidden">{t.workbench.roles}: </span>
        {user.roles.map((role) => (
          <Tag key={role}>{roleLabel(role)}</Tag>
        ))}
      </span>
    </div>
  );
  const signOutButton = (
    <Button icon={<LogoutOutlined aria-hidden />} onClick={leave}>
      {t.common.signOut}
    </Button>
  );

  return (
    <Layout className="site">
      <SkipLink />
      <Layout.Header className="site-header">
        <Space size={8}>
          {narrow && (
            <Button
              icon={<MenuOutlined aria-hidden />}
              aria-label={t.workbench.openMenu}
              aria-expanded={drawerOpen}
              aria-controls={DRAWER_ID}
              onClick={() => {
                setReturnFocus(true);
                setDrawerOpen(true);
              }}
            />
          )}
          <Brand to="/workbench" />
        </Space>
        <Space size={12}>
          {!narrow && identity}
          <LanguageSwitch />
          {!narrow && signOutButton}
        </Space>
      </Layout.Header>
      <Layout hasSider={!narrow}>
        {!narrow && (
          <Layout.Sider theme="light" width={220} className="workbench-sider">
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content id={MAIN_ID} tabIndex={-1} className="site-main workbench-main">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {narrow && (
        <Drawer
          id={DRAWER_ID}
          title={t.workbench.menu}
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          focusable={{ focusTriggerAfterClose: returnFocus }}
          size={280}
        >
          {identity}
          {menu}
          <div style={{ padding: '16px 0' }}>{signOutButton}</div>
        </Drawer>
      )}
    </Layout>
  );
}
