import type { Static } from 'typebox';
import type { Evaluation as EvaluationSchema, EvaluationState as StateSchema, PublicStats as StatsSchema, QualitySettingsInput, QualitySettingsView, RecordedHallVisit, Rectification as RectSchema, RectificationStep } from '@server/modules/evaluation/schemas';
import type { FaqList as FaqSchema, HotlineImportResult as ImportSchema, TicketAction, TicketDetail as DetailSchema, TicketInput, TicketSummary as SummarySchema } from '@server/modules/tickets/schemas';
import { api } from '../../app/api';

export type Evaluation = Static<typeof EvaluationSchema>;
export type EvaluationState = Static<typeof StateSchema>;
export type PublicStats = Static<typeof StatsSchema>;
export type Rectification = Static<typeof RectSchema>;
export type RecordedVisit = Static<typeof RecordedHallVisit>;
export type QualitySettings = Static<typeof QualitySettingsView>;
export type TicketSummary = Static<typeof SummarySchema>;
export type TicketDetail = Static<typeof DetailSchema>;
export type FaqList = Static<typeof FaqSchema>;
export type ImportResult = Static<typeof ImportSchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };

export interface RatingBody {
  level: number;
  channel: string;
  text?: string;
}

/** On a phone the rating came from the mobile channel, else from the PC portal. */
export const browserChannel = (): 'mobile' | 'pc' => (window.matchMedia('(max-width: 768px)').matches ? 'mobile' : 'pc');

export const qualityApi = {
  caseState: (caseNumber: string) => api.get<EvaluationState>(`/api/v1/cases/${caseNumber}/evaluations`),
  rateCase: (caseNumber: string, body: RatingBody) => api.post<Evaluation>(`/api/v1/cases/${caseNumber}/evaluations`, body),
  rateHall: (body: RatingBody & { hallId: string; window: string; departmentId: string }) => api.post<Evaluation>('/api/v1/evaluations/hall-visits', body),
  rateVisit: (visitId: string, body: RatingBody & { code: string }) => api.post<Evaluation>(`/api/v1/hall-visits/${visitId}/evaluations`, body),
  recordVisit: (body: { hallId: string; window: string; itemCode?: string }) => api.post<RecordedVisit>('/api/v1/hall-visits', body),
  saveSettings: (body: Static<typeof QualitySettingsInput>) => api.put<QualitySettings>('/api/v1/admin/quality-settings', body),
  rateTicket: (number: string, body: RatingBody) => api.post<Evaluation>(`/api/v1/tickets/${number}/evaluations`, body),
  rectifications: (query: Record<string, string | boolean | undefined> = {}) => api.get<Page<Rectification>>('/api/v1/rectifications', { limit: 100, ...query }),
  step: (id: string, body: RectificationStep) => api.post<Rectification>(`/api/v1/rectifications/${id}/steps`, body),
  tickets: (query: Record<string, string | boolean | undefined> = {}) => api.get<Page<TicketSummary>>('/api/v1/tickets', { limit: 100, ...query }),
  ticket: (number: string) => api.get<TicketDetail>(`/api/v1/tickets/${number}`),
  openTicket: (body: TicketInput) => api.post<TicketDetail>('/api/v1/tickets', body),
  act: (number: string, body: TicketAction) => api.post<TicketDetail>(`/api/v1/tickets/${number}/actions`, body),
  importHotline: (csv: string) => api.post<ImportResult>('/api/v1/tickets/import', { csv }),
  faq: (itemCode: string) => api.get<FaqList>(`/api/v1/items/${itemCode}/faq`),
};

export const STATS_PATH = '/api/v1/public/evaluations/stats';
