import type { Static } from 'typebox';
import type { AlertPage as AlertPageSchema, Evaluation as EvaluationSchema, IndicatorReport as IndicatorReportSchema, Monitor as MonitorSchema, OverduePage as OverduePageSchema, PublicRanking as PublicRankingSchema, SupervisedCasePage as CasePageSchema } from '@server/modules/supervision/schemas';

export type IndicatorReport = Static<typeof IndicatorReportSchema>;
export type Monitor = Static<typeof MonitorSchema>;
export type AlertPage = Static<typeof AlertPageSchema>;
export type Evaluation = Static<typeof EvaluationSchema>;
export type CasePage = Static<typeof CasePageSchema>;
export type OverduePage = Static<typeof OverduePageSchema>;
export type PublicRanking = Static<typeof PublicRankingSchema>;

export const SUPERVISION = {
  indicators: '/api/v1/supervision/indicators',
  export: '/api/v1/supervision/indicators.xlsx',
  cases: '/api/v1/supervision/cases',
  monitor: '/api/v1/supervision/monitor',
  alerts: '/api/v1/supervision/alerts',
  evaluation: '/api/v1/supervision/evaluation',
  overdue: '/api/v1/public/overdue',
  ranking: '/api/v1/public/ranking',
  openData: '/api/v1/public/open-data',
} as const;

/** How often the live monitor refreshes (the issue asks for 10 s at most). */
export const LIVE_REFRESH_MS = 10_000;

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
export const days = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1));

/** A moment as the platform's clock (Asia/Shanghai) reads it, `HH:mm:ss` in both languages, whatever the browser's zone. */
export const clockInShanghai = (at: Date) => at.toLocaleTimeString('sv-SE', { timeZone: 'Asia/Shanghai' });
