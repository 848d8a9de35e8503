import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { ROLE_LABELS, isStaffRole } from '@server/shared/roles';
import { setApiLanguage } from '../api';
import { en } from './en';
import { zh, type Dictionary } from './zh';

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'tongban.lang';
const DICTIONARIES: Record<Lang, Dictionary> = { zh, en };
const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

interface I18n {
  lang: Lang;
  t: Dictionary;
  setLang(lang: Lang): void;
  roleLabel(role: string): string;
}

const I18nContext = createContext<I18n | null>(null);

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    // Storage can be disabled (private mode, policy); the platform default is Chinese.
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const initial = storedLang();
    // Set before the first render so the very first API calls already ask for this language.
    setApiLanguage(initial);
    return initial;
  });

  const setLang = useCallback((next: Lang) => {
    setApiLanguage(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted, still switched for this visit.
    }
    setLangState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = HTML_LANG[lang];
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);

  const value = useMemo<I18n>(
    () => ({
      lang,
      t: DICTIONARIES[lang],
      setLang,
      roleLabel: (role) => (isStaffRole(role) ? ROLE_LABELS[role][lang] : role),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Sets the document title ("page - 通办") so each route is announced and bookmarked by name. */
export function usePageTitle(title: string): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} - ${t.common.appName}`;
  }, [title, t]);
}
