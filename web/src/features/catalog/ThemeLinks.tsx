import { Alert, Skeleton } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../app/i18n';
import { useProblemText } from '../../app/problems';
import { useApi } from '../../app/useApi';
import type { List, ThemeCount } from './api';
import { useCodeLabels } from './codes';

export const THEMES_PATH = '/api/v1/catalog/themes';

/** Themes with their item counts; themes without items are left out. Also on the home page. */
export function ThemeLinks({ limit }: { limit?: number }) {
  const { t } = useI18n();
  const problemText = useProblemText();
  const labels = useCodeLabels();
  const themes = useApi<List<ThemeCount>>(THEMES_PATH);
  if (themes.loading) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (themes.error) return <Alert type="error" showIcon title={problemText(themes.error)} />;
  // With a limit (the home page) the themes with most items first: the popular ones.
  const withItems = (themes.data?.items ?? []).filter((th) => th.itemCount > 0);
  const shown = limit ? [...withItems].sort((a, b) => b.itemCount - a.itemCount).slice(0, limit) : withItems;
  return (
    <ul className="browse-grid">
      {shown.map((th) => (
        <li key={th.theme}>
          <Link to={`/items?theme=${th.theme}`} className="browse-link">
            <span>{labels.theme(th.theme)}</span>
            <span className="browse-count">{t.catalog.browse.count(th.itemCount)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

