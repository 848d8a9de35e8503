import { useMemo } from 'react';
import { Tag } from 'antd';
import {
  CASE_KIND_LABELS,
  EXERCISE_LEVEL_LABELS,
  FOUR_WAYS,
  FOUR_WAY_LABELS,
  HANDLING_FORM_LABELS,
  HANDLING_ITEM_KIND_LABELS,
  IMPLEMENTER_NATURE_LABELS,
  ITEM_TYPE_LABELS,
  MATERIAL_REQUIREMENT_LABELS,
  MATERIAL_SOURCE_LABELS,
  ONLINE_DEPTH_LABELS,
  RESULT_KIND_LABELS,
  SERVICE_OBJECT_LABELS,
  SPECIAL_PROCEDURE_LABELS,
  THEME_LABELS,
} from '@server/shared/catalog-codes';
import { useI18n, type Lang } from '../../app/i18n';
import type { FourWays } from './api';

type Table = Record<string, { zh: string; en: string }>;

function labeler(table: Table, lang: Lang) {
  return (code: string | number): string => table[String(code)]?.[lang] ?? String(code);
}

/** Labels of the catalog's code tables (server/src/shared/catalog-codes.ts) in the current language. */
export function useCodeLabels() {
  const { lang } = useI18n();
  return useMemo(
    () => ({
      itemType: labeler(ITEM_TYPE_LABELS, lang),
      serviceObject: labeler(SERVICE_OBJECT_LABELS, lang),
      handlingForm: labeler(HANDLING_FORM_LABELS, lang),
      caseKind: labeler(CASE_KIND_LABELS, lang),
      exerciseLevel: labeler(EXERCISE_LEVEL_LABELS, lang),
      implementerNature: labeler(IMPLEMENTER_NATURE_LABELS, lang),
      handlingItemKind: labeler(HANDLING_ITEM_KIND_LABELS, lang),
      materialSource: labeler(MATERIAL_SOURCE_LABELS, lang),
      materialRequirement: labeler(MATERIAL_REQUIREMENT_LABELS, lang),
      resultKind: labeler(RESULT_KIND_LABELS, lang),
      specialProcedure: labeler(SPECIAL_PROCEDURE_LABELS, lang),
      onlineDepth: labeler(ONLINE_DEPTH_LABELS, lang),
      fourWay: labeler(FOUR_WAY_LABELS, lang),
      theme: labeler(THEME_LABELS, lang),
    }),
    [lang],
  );
}

export type CodeLabels = ReturnType<typeof useCodeLabels>;

const WAY_COLORS: Record<(typeof FOUR_WAYS)[number], string> = {
  immediate: 'volcano',
  online: 'blue',
  nearby: 'green',
  oneVisit: 'purple',
};

/** The four ways an item can be handled (§1-5), as tags; only the ways the item offers. */
export function FourWayBadges({ handling }: { handling: FourWays }) {
  const labels = useCodeLabels();
  const ways = FOUR_WAYS.filter((way) => handling[way]);
  if (ways.length === 0) return null;
  return (
    <span className="four-ways">
      {ways.map((way) => (
        <Tag key={way} color={WAY_COLORS[way]} variant="outlined">
          {labels.fourWay(way)}
        </Tag>
      ))}
    </span>
  );
}
