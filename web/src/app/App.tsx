import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { RouterProvider } from 'react-router';
import { I18nProvider, useI18n } from './i18n';
import { router } from './router';
import { SessionProvider } from './session';

/**
 * antd's defaults miss WCAG AA contrast in places (primary #1677ff is 4.1:1 on white, error text
 * 3.3:1, tertiary text 3.4:1, placeholders 1.6:1); these tokens keep every text colour at 4.5:1 or better.
 */
const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1456c8',
    colorLink: '#1456c8',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', headerPadding: '0 24px', headerHeight: 64, bodyBg: '#f5f7fa', footerBg: '#f5f7fa' },
  },
};

function Localized() {
  const { lang } = useI18n();
  return (
    // No space inserted between two Chinese characters in buttons: screen readers would spell "登 录".
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nProvider>
      <Localized />
    </I18nProvider>
  );
}
