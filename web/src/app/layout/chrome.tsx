import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { Button, Typography, type ButtonProps } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { Link, useLocation, useNavigate } from 'react-router';
import { useI18n } from '../i18n';

export const MAIN_ID = 'main';

/** First focusable element on every page, so keyboard users can pass the header and menu. */
export function SkipLink() {
  const { t } = useI18n();
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    // Focus the main region directly: following "#main" would also go through the router.
    event.preventDefault();
    document.getElementById(MAIN_ID)?.focus();
  };
  return (
    <a className="skip-link" href={`#${MAIN_ID}`} onClick={skip}>
      {t.common.skipToContent}
    </a>
  );
}

/**
 * After a client-side navigation, moves focus to the main region so screen readers start at the
 * new content instead of staying on the link that was activated. Not on the first page load.
 */
export function useFocusMainOnNavigate(): void {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById(MAIN_ID)?.focus({ preventScroll: false });
  }, [pathname]);
}

/** With `collapseOnPhone` the label is only read out on narrow screens, where the header has room for the globe alone. */
export function LanguageSwitch({ collapseOnPhone = false }: { collapseOnPhone?: boolean }) {
  const { t, lang, setLang } = useI18n();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined aria-hidden />}
      lang={t.common.switchLanguageLang}
      title={t.common.switchLanguageHint}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      <span className={collapseOnPhone ? 'collapse-xs' : undefined}>{t.common.switchLanguage}</span>
    </Button>
  );
}

/** A link that looks like a button: navigation stays a link (new tab, screen-reader role), routed on the client. */
export function LinkButton({ to, ...props }: Omit<ButtonProps, 'href' | 'onClick'> & { to: string }) {
  const navigate = useNavigate();
  const follow = (event: MouseEvent<HTMLElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void navigate(to);
  };
  return <Button {...props} href={to} onClick={follow} />;
}

export function Brand({ to = '/' }: { to?: string }) {
  const { t } = useI18n();
  return (
    <Link to={to} className="brand">
      <span className="brand-mark" aria-hidden>
        通
      </span>
      <span className="brand-name">{t.common.appName}</span>
      <span className="brand-sub">{t.common.appFullName}</span>
    </Link>
  );
}

/** The page's one h1, an optional introduction, and actions on the right (below on a phone). */
export function PageHeading({ title, intro, extra }: { title: string; intro?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-heading">
      <div className="page-heading-text">
        <Typography.Title level={1} className="page-title">
          {title}
        </Typography.Title>
        {intro && <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>}
      </div>
      {extra && <div className="page-heading-extra">{extra}</div>}
    </div>
  );
}
