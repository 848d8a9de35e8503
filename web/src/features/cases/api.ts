import { useRef } from 'react';
import type { Static } from 'typebox';
import type { CaseAction, CaseStatusCode, DeliveryMethod, SpecialProcedureType } from '@server/shared/case-codes';
import type {
  ActionBody,
  ApplicationInput as ApplicationInputSchema,
  CaseCreated,
  CaseDetail as CaseDetailSchema,
  CaseSummary as CaseSummarySchema,
  DeliveryPreference,
  Draft as DraftSchema,
  DraftInput as DraftInputSchema,
  MaterialRef as MaterialRefSchema,
  TaskQueueItem,
  WindowFilingInput,
} from '@server/modules/cases/schemas';
import { api, request } from '../../app/api';

/*
 * Shapes of the case routes (docs/cases-api.md), from the server's schemas (type-only), so the
 * pages and the API agree by construction.
 */

export type { CaseAction, CaseStatusCode, DeliveryMethod, SpecialProcedureType };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CaseSummary = Static<typeof CaseSummarySchema>;
export type CaseDetail = Static<typeof CaseDetailSchema>;
export type CaseMaterial = CaseDetail['materials'][number];
export type CaseNotice = CaseDetail['notices'][number];
export type CaseTask = CaseDetail['tasks'][number];
export type HistoryEntry = CaseDetail['history'][number];
export type Verdict = Exclude<CaseMaterial['verdict'], 'pending'>;
export type MaterialRef = Static<typeof MaterialRefSchema>;
export type DeliveryChoice = Static<typeof DeliveryPreference>;
export type ApplicationInput = Static<typeof ApplicationInputSchema>;
export type Created = Static<typeof CaseCreated>;
export type WindowApplicationInput = Static<typeof WindowFilingInput>;
export type DraftInput = Static<typeof DraftInputSchema>;
/** A draft; the page adds the item's name for display (the server records the code only). */
export type Draft = Static<typeof DraftSchema> & { itemName?: string | undefined };

export type ActionInput = Static<typeof ActionBody>;
export type CorrectionItem = NonNullable<ActionInput['items']>[number];
/** A row of the approver's workbench. */
export type QueueTask = Static<typeof TaskQueueItem>;

/*
 * An upload's metadata (files/schemas.ts) and the message box (events/schemas.ts) are written out
 * here: those schema files reach the database layer, which the browser build must not type-check.
 */
export interface FileMeta {
  fileId: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface Message {
  id: string;
  title: string;
  body: string;
  caseNumber: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface MessagePage extends Page<Message> {
  unreadCount: number;
}

const enc = encodeURIComponent;

export const CASES_PATH = '/api/v1/cases';
export const DRAFTS_PATH = '/api/v1/me/drafts';
export const FRONT_DESK_QUEUE_PATH = '/api/v1/front-desk/queue';
export const TASKS_PATH = '/api/v1/workbench/tasks';
export const MESSAGES_PATH = '/api/v1/me/messages';

export function casePath(caseNumber: string): string {
  return `${CASES_PATH}/${enc(caseNumber)}`;
}

export function noticePdfLink(caseNumber: string, noticeId: string): string {
  return `${casePath(caseNumber)}/notices/${enc(noticeId)}/pdf`;
}

export function fileLink(fileId: string): string {
  return `/api/v1/files/${enc(fileId)}`;
}

/** A fresh key for one attempt at a creating request: a retry of the same attempt reuses it. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts; a hall terminal on plain http still needs a key.
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One Idempotency-Key per submission attempt: the key for a body, the same as last time while the
 * body is unchanged (a double click, a retry after a lost answer), a fresh one once it changes.
 */
export function useAttemptKey(): (body: unknown) => string {
  const attempt = useRef<{ body: string; key: string } | null>(null);
  return (body) => {
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    return attempt.current.key;
  };
}

export const casesApi = {
  apply: (input: ApplicationInput, idempotencyKey: string) =>
    request<Created>('POST', CASES_PATH, { body: input, headers: { 'Idempotency-Key': idempotencyKey } }),
  file: (input: WindowApplicationInput, idempotencyKey: string) =>
    request<Created>('POST', '/api/v1/window/cases', { body: input, headers: { 'Idempotency-Key': idempotencyKey } }),
  act: (caseNumber: string, input: ActionInput) => api.post<CaseDetail>(`${casePath(caseNumber)}/actions`, input),

  createDraft: (input: DraftInput) => api.post<Draft>(DRAFTS_PATH, input),
  saveDraft: (id: string, input: DraftInput) => api.put<Draft>(`${DRAFTS_PATH}/${enc(id)}`, input),
  draft: (id: string) => api.get<Draft>(`${DRAFTS_PATH}/${enc(id)}`),
  deleteDraft: (id: string) => api.delete<unknown>(`${DRAFTS_PATH}/${enc(id)}`),

  upload: (file: File, idempotencyKey: string) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return request<FileMeta>('POST', '/api/v1/files', { body, headers: { 'Idempotency-Key': idempotencyKey } });
  },
  fileMeta: (fileId: string) => api.get<FileMeta>(`${fileLink(fileId)}/meta`),

  messages: (query: { limit?: number; unread?: boolean }) => api.get<MessagePage>(MESSAGES_PATH, query),
  readMessage: (id: string) => api.post<Message>(`${MESSAGES_PATH}/${enc(id)}/read`),
  readAllMessages: () => api.post<{ updated: number }>(`${MESSAGES_PATH}/read-all`),
};
