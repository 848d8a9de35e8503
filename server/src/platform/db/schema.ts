import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The whole database as one TypeScript interface (Kysely). Each module owns its tables and is
 * the only one that queries them; other modules go through that module's service.
 */
export interface Database {
  regions: RegionTable;
  departments: DepartmentTable;
  halls: HallTable;
  users: UserTable;
  sessions: SessionTable;
  api_clients: ApiClientTable;
  audit_log: AuditLogTable;
  calendar_years: CalendarYearTable;
  calendar_days: CalendarDayTable;
  calendar_meta: CalendarMetaTable;
  rate_limits: RateLimitTable;
  idempotency_keys: IdempotencyKeyTable;
  catalog_items: CatalogItemTable;
  catalog_item_versions: CatalogItemVersionTable;
  catalog_proofs: CatalogProofTable;
  catalog_intermediaries: CatalogIntermediaryTable;
  catalog_synonyms: CatalogSynonymTable;
  catalog_meta: CatalogMetaTable;
  sharing_resources: SharingResourceTable;
  sharing_records: SharingRecordTable;
  sharing_requests: SharingRequestTable;
  sharing_grants: SharingGrantTable;
  sharing_consents: SharingConsentTable;
  sharing_access_log: SharingAccessLogTable;
  sharing_log_heads: SharingLogHeadTable;
  sharing_keys: SharingKeyTable;
  sharing_meta: SharingMetaTable;
  files: FileTable;
  outbox_events: OutboxEventTable;
  messages: MessageTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  deliveries: DeliveryTable;
  case_drafts: CaseDraftTable;
  case_sequences: CaseSequenceTable;
  cases: CaseTable;
  case_materials: CaseMaterialTable;
  case_owed_reminders: CaseOwedReminderTable;
  case_history: CaseHistoryTable;
  case_notices: CaseNoticeTable;
  case_tasks: CaseTaskTable;
  decision_sequences: DecisionSequenceTable;
  license_types: LicenseTypeTable;
  license_seals: LicenseSealTable;
  licenses: LicenseTable;
  license_history: LicenseHistoryTable;
  evaluations: EvaluationTable;
  rectifications: RectificationTable;
  tickets: TicketTable;
  ticket_history: TicketHistoryTable;
  ticket_sequences: TicketSequenceTable;
  quality_sweeps: QualitySweepTable;
  quality_settings: QualitySettingTable;
  hall_visits: HallVisitTable;
  rule_sets: RuleSetTable;
  credit_entries: CreditEntryTable;
  credit_appeals: CreditAppealTable;
  case_verifications: CaseVerificationTable;
  outbox_cursors: OutboxCursorTable;
  supervision_case_facts: SupervisionCaseFactTable;
  supervision_daily: SupervisionDailyTable;
  supervision_daily_durations: SupervisionDailyDurationTable;
  supervision_alerts: SupervisionAlertTable;
  supervision_meta: SupervisionMetaTable;
}

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type RegionLevel = 'city' | 'district' | 'street' | 'community';

export interface RegionTable {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  /** Codes from the root down, joined by '/': a descendant's path starts with its ancestor's. */
  path: string;
  created_at: CreatedAt;
}

export interface DepartmentTable {
  id: Generated<string>;
  name: string;
  /** GB 32100 unified social credit code of the department as an implementing body. */
  credit_code: string;
  region_code: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface HallTable {
  id: Generated<string>;
  name: string;
  region_code: string;
  address: string;
  phone: string | null;
  opening_hours: string | null;
  created_at: CreatedAt;
}

export type UserKind = 'natural' | 'legal' | 'staff';

export interface UserTable {
  id: Generated<string>;
  kind: UserKind;
  /** Login name: the ID number or credit code for applicants, a chosen name for staff. */
  username: string;
  name: string;
  id_number: string | null;
  credit_code: string | null;
  phone: string | null;
  password_hash: string;
  department_id: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  /** Set for accounts created by the demo seed so production can refuse to start with them. */
  demo: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SessionTable {
  /** HMAC of the cookie token: a database dump does not yield usable sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Date;
  ip: string | null;
}

export interface ApiClientTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  scopes: ColumnType<string[], string[], string[]>;
  department_id: string | null;
  created_at: CreatedAt;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string, never>;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

export interface CalendarYearTable {
  year: number;
  /** The State Council notice (or other source) the year's holidays come from. */
  source: string;
  loaded_at: Date;
  loaded_by: string | null;
}

export interface CalendarDayTable {
  day: string;
  workday: boolean;
  /** Holiday or make-up working day name; null for an ordinary weekday or weekend. */
  name: string | null;
}

export interface CalendarMetaTable {
  id: number;
  revision: number;
}

export interface RateLimitTable {
  key: string;
  window_start: Date;
  hits: number;
}

export interface IdempotencyKeyTable {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  /** Reset when an expired key is claimed again (platform/http/idempotency.ts). */
  created_at: UpdatedAt;
}

export type Region = Selectable<RegionTable>;
export type Department = Selectable<DepartmentTable>;
export type Hall = Selectable<HallTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;

export interface CatalogItemTable {
  id: Generated<string>;
  implementation_code: string;
  basic_code: string;
  department_id: string;
  exercise_level: number;
  created_at: CreatedAt;
  created_by: string | null;
}

export type CatalogVersionStatus = 'draft' | 'in_review' | 'published' | 'superseded' | 'withdrawn';

export interface CatalogItemVersionTable {
  id: Generated<string>;
  item_id: string;
  version: number;
  status: CatalogVersionStatus;
  /** The ItemContent of modules/catalog/schemas.ts, as JSON. */
  content: ColumnType<unknown, string, string>;
  lock_version: Generated<number>;
  effective_from: string | null;
  name: string;
  type: string;
  service_objects: string[];
  themes: string[];
  immediate: boolean;
  online: boolean;
  nearby: boolean;
  one_visit: boolean;
  legal_days: number;
  promised_days: number;
  visits_required: number;
  created_at: CreatedAt;
  created_by: string | null;
  updated_at: UpdatedAt;
  updated_by: string | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  review_comment: string | null;
  published_at: Date | null;
  published_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
}

export type CatalogListStatus = 'draft' | 'published' | 'withdrawn';

export interface CatalogProofTable {
  id: Generated<string>;
  code: string;
  name: string;
  legal_basis: string;
  requesting_unit: string;
  issuing_unit: string;
  guide: string;
  status: CatalogListStatus;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Last editor (user id; null = the system): may not also publish the entry. */
  updated_by: string | null;
}

export interface CatalogIntermediaryTable {
  id: Generated<string>;
  code: string;
  name: string;
  legal_basis: string;
  fee_standard: string;
  provider_requirements: string | null;
  status: CatalogListStatus;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Last editor (user id; null = the system): may not also publish the entry. */
  updated_by: string | null;
}

export interface CatalogSynonymTable {
  term: string;
  expansions: string[];
  updated_at: UpdatedAt;
  updated_by: string | null;
}

export interface CatalogMetaTable {
  id: number;
  revision: number;
}

// --- data sharing (modules/sharing) -------------------------------------------------------------

/** One data item of a resource, as stored in `sharing_resources.fields` (see modules/sharing/schemas.ts). */
export interface SharingFieldRow {
  name: string;
  label: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  sensitivity: 'general' | 'personal' | 'sensitive';
  required: boolean;
  description?: string;
}

export interface SharingEndpointRow {
  url: string;
  timeoutMs: number;
  retries: number;
}

export interface SharingResourceTable {
  id: Generated<string>;
  /** The provider's catalog code of the resource (信息资源代码). */
  code: string;
  name: string;
  description: Generated<string>;
  provider_department_id: string;
  subject_type: 'id_number' | 'credit_code';
  /** Column of uploaded datasets that holds the subject (ID number or credit code). */
  subject_field: string;
  fields: ColumnType<SharingFieldRow[], string, string>;
  update_frequency: string;
  sharing_type: 'unconditional' | 'conditional' | 'not_shared';
  /** Conditions of conditional sharing, or the reason it is not shared. */
  conditions: string | null;
  legal_basis: string;
  backend: 'hosted' | 'proxied';
  endpoint: ColumnType<SharingEndpointRow | null, string | null, string | null>;
  status: 'draft' | 'published' | 'withdrawn';
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  published_at: Date | null;
}

export interface SharingRecordTable {
  resource_id: string;
  subject: string;
  data: ColumnType<Record<string, unknown>, string, string>;
  updated_at: UpdatedAt;
}

export interface SharingRequestTable {
  id: Generated<string>;
  resource_id: string;
  consumer_department_id: string;
  purpose: string;
  item_codes: ColumnType<string[], string[], string[]>;
  fields: ColumnType<string[], string[], string[]>;
  requested_until: string | null;
  status: 'pending' | 'granted' | 'rejected';
  requested_by: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: CreatedAt;
}

export interface SharingGrantTable {
  id: Generated<string>;
  request_id: string | null;
  resource_id: string;
  consumer_department_id: string;
  fields: ColumnType<string[], string[], string[]>;
  item_codes: ColumnType<string[], string[], string[]>;
  purpose: string;
  expires_at: Date;
  granted_by: string | null;
  granted_at: CreatedAt;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface SharingConsentTable {
  id: Generated<string>;
  user_id: string;
  item_code: string;
  consumer_department_id: string;
  resource_ids: ColumnType<string[], string[], never>;
  created_at: CreatedAt;
  expires_at: Date;
  withdrawn_at: Date | null;
}

export interface SharingAccessLogTable {
  id: Generated<number>;
  /** The hash chain the entry belongs to: the resource id. */
  chain: string;
  seq: number;
  at: ColumnType<Date, Date | string, never>;
  request_id: string;
  kind: 'lookup' | 'prefill';
  actor: string | null;
  consumer_department_id: string | null;
  resource_id: string;
  provider_department_id: string;
  /** HMAC-SM3 of the normalized subject, keyed by configuration: never the subject in clear. */
  subject_hash: string;
  subject_masked: string;
  case_ref: string | null;
  purpose: string | null;
  consent_id: string | null;
  grant_id: string | null;
  outcome: 'ok' | 'not_found' | 'refused' | 'failed';
  reason: string | null;
  fields: ColumnType<string[], string[], never>;
  response_digest: string | null;
  prev_hash: string;
  hash: string;
}

export interface SharingLogHeadTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface SharingKeyTable {
  id: string;
  algorithm: string;
  public_key: string;
  private_key_enc: string;
  created_at: CreatedAt;
  retired_at: Date | null;
}

export interface SharingMetaTable {
  id: number;
  revision: number;
}

type Json<T> = ColumnType<T, string, string>;

export interface FileTable {
  id: Generated<string>;
  owner_id: string;
  /** Sniffed from the content at upload, never taken from the name or the client's header. */
  media_type: string;
  size: number;
  sha256: string;
  original_name: string;
  content: ColumnType<Buffer, Buffer, never>;
  created_at: CreatedAt;
}

export interface OutboxEventTable {
  id: Generated<number>;
  /** e.g. `case.status_changed`. */
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  /** Set in the transaction that fanned the event out into messages and deliveries. */
  dispatched_at: Date | null;
}

export interface MessageTable {
  id: Generated<string>;
  user_id: string;
  event_id: number | null;
  case_number: string | null;
  title: string;
  body: string;
  created_at: CreatedAt;
  read_at: Date | null;
}

export interface WebhookSubscriptionTable {
  id: Generated<string>;
  client_id: string;
  url: string;
  secret: string;
  event_types: ColumnType<string[], string[], string[]>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export type DeliveryChannel = 'webhook' | 'sms' | 'email';

export interface DeliveryTable {
  id: Generated<number>;
  event_id: number;
  channel: DeliveryChannel;
  /** Subscription id for webhooks; the (masked in logs) phone or address for SMS and e-mail. */
  target: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** A claim: the instance sending it owns the row until then; a crash lets it be claimed again. */
  locked_until: Date | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: CreatedAt;
}

export interface CaseDraftTable {
  id: Generated<string>;
  owner_id: string;
  item_code: string;
  form: Json<Record<string, unknown>>;
  materials: Json<unknown[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CaseSequenceTable {
  prefix: string;
  day: ColumnType<string, string, string>;
  last: number;
}

export type CaseStatus =
  | 'submitted'
  | 'correction_requested'
  | 'not_accepted'
  | 'accepted'
  | 'accepted_with_deficiency'
  | 'in_review'
  | 'suspended'
  | 'approved'
  | 'denied'
  | 'delivered'
  | 'withdrawn';

export interface CaseTable {
  id: Generated<string>;
  case_number: string;
  /** The main case of a parallel approval (并联审批); null for an ordinary or main case. */
  parent_id: string | null;
  /** For a sub-case: whether the main case waits for it. */
  required: Generated<boolean>;
  item_code: string;
  item_version: number;
  item_name: string;
  department_id: string;
  /** The department's region path when the case was filed: region reach without a join. */
  region_path: string;
  channel: 'online' | 'window';
  applicant_user_id: string | null;
  applicant_kind: 'natural' | 'legal';
  applicant_name: string;
  /** ID number (GB 11643) or credit code (GB 32100); masked whenever listed or logged. */
  applicant_identifier: string;
  applicant_phone: string | null;
  filed_by: string | null;
  hall_id: string | null;
  form: Json<Record<string, unknown>>;
  commitment: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  status: CaseStatus;
  version: Generated<number>;
  case_kind: '1' | '2';
  promised_days: number;
  priority: Generated<number>;
  submitted_at: ColumnType<Date, Date | string, Date | string>;
  accepted_at: Date | null;
  /** The civil (Asia/Shanghai) date of acceptance: the clock starts the next working day. */
  accepted_on: ColumnType<string | null, string | null, string | null>;
  deadline: ColumnType<string | null, string | null, string | null>;
  suspended_since: ColumnType<string | null, string | null, string | null>;
  suspension: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** Working days spent in finished special procedures; they extend the deadline. */
  suspended_workdays: Generated<number>;
  owed_count: Generated<number>;
  current_step: number | null;
  decision: 'approved' | 'denied' | null;
  decision_number: string | null;
  decided_at: Date | null;
  delivery: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  delivered_at: Date | null;
  /** Set when the case reaches a final status (not accepted, decided, withdrawn). */
  closed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type CaseMaterialSource = 'upload' | 'license' | 'shared_data' | 'commitment' | 'paper';
export type MaterialVerdict = 'pending' | 'accepted' | 'deficient' | 'missing';

export interface CaseMaterialTable {
  id: Generated<string>;
  case_id: string;
  material_id: string;
  name: string;
  source: CaseMaterialSource;
  file_id: string | null;
  license_id: string | null;
  shared_data: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  verdict: Generated<MaterialVerdict>;
  verdict_reason: string | null;
  owed: Generated<boolean>;
  owed_due: ColumnType<string | null, string | null, string | null>;
  supplied_at: Date | null;
  created_at: CreatedAt;
}

/** A reminder of owed materials sent for a case (one per kind): the claim that keeps it once. */
export interface CaseOwedReminderTable {
  case_id: string;
  kind: 'due' | 'overdue';
  sent_at: Generated<Date>;
}

export interface CaseHistoryTable {
  id: Generated<number>;
  case_id: string;
  at: ColumnType<Date, Date | string | undefined, never>;
  action: string;
  from_status: CaseStatus | null;
  status: CaseStatus;
  actor_id: string | null;
  actor_kind: 'applicant' | 'staff' | 'client' | 'system';
  actor_name: string;
  comment: string | null;
  attachments: ColumnType<string[], string[] | undefined, never>;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
  step_index: number | null;
  elapsed_workdays: number | null;
}

export type NoticeKind = 'acceptance' | 'not_accepted' | 'correction' | 'deficiency' | 'decision';

export interface CaseNoticeTable {
  id: Generated<string>;
  case_id: string;
  kind: NoticeKind;
  number: string | null;
  content: Json<Record<string, unknown>>;
  /** A correction notice that asks for something an earlier one did not: a breach of 一次性告知. */
  breach: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface CaseTaskTable {
  id: Generated<string>;
  case_id: string;
  department_id: string;
  step_index: number;
  step_name: string;
  role: string;
  /** null: in the department's team queue for the role; set: assigned to (or claimed by) one person. */
  assignee_id: string | null;
  status: Generated<'open' | 'done' | 'returned' | 'cancelled'>;
  priority: Generated<number>;
  opened_at: ColumnType<Date, Date | string | undefined, never>;
  due_date: ColumnType<string, string, string>;
  closed_at: Date | null;
  closed_by: string | null;
  outcome: string | null;
}

export interface DecisionSequenceTable {
  department_id: string;
  year: number;
  last: number;
}

// --- e-licenses (modules/licenses) ----------------------------------------------------------

export interface LicenseFieldSpec {
  name: string;
  label: string;
  required: boolean;
}

export interface LicenseTypeTable {
  id: Generated<string>;
  /** The catalog's name for the type (materials' and results' `licenseTypeCode`), e.g. BUSINESS_LICENSE. */
  code: string;
  /** GB/T 36904 license type code: the defining authority's credit code + 3 digits. */
  type_code: string;
  name: string;
  holder_kind: 'natural' | 'legal' | 'any';
  /** Departments that may issue it; empty: any department. */
  issuing_department_ids: ColumnType<string[], string[] | undefined, string[]>;
  fields: Json<LicenseFieldSpec[]>;
  /** Years a license is valid from its first day; null: long-term (长期). */
  validity_years: number | null;
  template: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LicenseSealTable {
  id: Generated<string>;
  department_id: string;
  name: string;
  key_id: string;
  algorithm: string;
  public_key: string;
  /** AES-256-GCM under the configured seal key (`SEAL_KEY`); never leaves the licenses module. */
  private_key_enc: string;
  /** Which configured key wrapped it (a fingerprint, not the key). */
  wrapping_key_id: string;
  status: 'active' | 'retired';
  created_at: CreatedAt;
  retired_at: Date | null;
}

export type LicenseStatus = 'valid' | 'revoked' | 'superseded';

export interface LicenseTable {
  id: Generated<string>;
  license_id: string;
  type_id: string;
  type_code: string;
  name: string;
  serial: string;
  version: number;
  holder_kind: 'natural' | 'legal';
  holder_id_type: '111' | '001';
  holder_identifier: string;
  holder_name: string;
  issuer_department_id: string;
  issuer_code: string;
  issuer_name: string;
  issued_on: ColumnType<string, string, string>;
  valid_from: ColumnType<string, string, string>;
  valid_until: ColumnType<string | null, string | null, string | null>;
  data: Json<Record<string, string>>;
  source: 'case' | 'direct' | 'import';
  case_number: string | null;
  status: LicenseStatus;
  status_reason: string | null;
  status_case_number: string | null;
  status_changed_at: Date | null;
  successor_license_id: string | null;
  seal_id: string;
  signed_at: Date;
  data_digest: string;
  signature: string;
  created_at: CreatedAt;
}

export interface LicenseHistoryTable {
  id: Generated<number>;
  license_id: string;
  at: ColumnType<Date, Date | string | undefined, never>;
  action: 'issued' | 'imported' | 'changed' | 'revoked' | 'superseded';
  reason: string | null;
  case_number: string | null;
  actor_id: string | null;
  actor_kind: string;
  detail: Json<Record<string, unknown>>;
}

// --- service quality (0008_quality, modules/evaluation and modules/tickets) ----------------------

type CivilDate = ColumnType<string, string, string>;

export type EvaluationSubjectKind = 'case' | 'ticket' | 'hall_visit';

/** A rating (好差评) with the GB/T 39046 fields; `level` is ours (5 = very satisfied). */
export interface EvaluationTable {
  id: Generated<string>;
  subject_kind: EvaluationSubjectKind;
  /** The case number, the ticket number, or the hall visit's key (hall, window, rater, day). */
  subject_ref: string;
  round: 1 | 2;
  level: number;
  channel: string;
  text: string | null;
  is_default: Generated<boolean>;
  rater_user_id: string | null;
  rated_at: ColumnType<Date, Date | string, never>;
  rated_on: CivilDate;
  case_number: string | null;
  item_code: string | null;
  item_name: string | null;
  department_id: string;
  region_path: string;
  region_code: string;
  hall_id: string | null;
  hall_window: string | null;
  staff_id: string | null;
  staff_name: string | null;
  created_at: CreatedAt;
}

export type RectificationStatus = 'open' | 'called_back' | 'reported' | 'appealed' | 'closed';

export interface RectificationTable {
  id: Generated<string>;
  evaluation_id: string;
  subject_kind: EvaluationSubjectKind;
  subject_ref: string;
  applicant_user_id: string | null;
  department_id: string;
  region_path: string;
  status: RectificationStatus;
  /** The status an appeal was lodged from: a rejected appeal returns there. */
  appeal_from: RectificationStatus | null;
  due_on: CivilDate;
  opened_at: ColumnType<Date, Date | string, never>;
  callback_at: Date | null;
  callback_note: string | null;
  report: string | null;
  reported_at: Date | null;
  appeal_reason: string | null;
  appealed_at: Date | null;
  appeal_decision: 'upheld' | 'rejected' | null;
  appeal_comment: string | null;
  decided_by: string | null;
  confirmed_at: Date | null;
  applicant_comment: string | null;
  escalated_at: Date | null;
  /** A reported rectification the applicant has not confirmed by then is closed as `unconfirmed` (0011). */
  confirm_due_on: ColumnType<string | null, string | null | undefined, string | null>;
  outcome: 'rectified' | 'appeal_upheld' | 'unconfirmed' | null;
  closed_at: Date | null;
  version: Generated<number>;
}

export type TicketKind = 'consultation' | 'complaint' | 'suggestion' | 'praise';
export type TicketSource = 'portal' | 'hall' | 'hotline';
export type TicketStatus = 'open' | 'answered' | 'closed';

export interface TicketTable {
  id: Generated<string>;
  number: string;
  kind: TicketKind;
  source: TicketSource;
  /** The 12345 hotline's work-order number: an import never files one twice. */
  hotline_ref: string | null;
  applicant_user_id: string | null;
  contact_name: string | null;
  /** Masked whenever listed. */
  contact_phone: string | null;
  title: string;
  body: string;
  item_code: string | null;
  item_name: string | null;
  case_number: string | null;
  department_id: string;
  region_path: string;
  status: TicketStatus;
  deadline: CivilDate;
  opened_at: ColumnType<Date, Date | string, never>;
  opened_on: CivilDate;
  answered_at: Date | null;
  answered_on: ColumnType<string | null, string | null, string | null>;
  reply: string | null;
  replied_by: string | null;
  replied_by_name: string | null;
  escalated_at: Date | null;
  closed_at: Date | null;
  faq_question: string | null;
  faq_answer: string | null;
  faq_published_at: Date | null;
  version: Generated<number>;
  created_by: string | null;
}

export interface TicketHistoryTable {
  id: Generated<number>;
  ticket_id: string;
  at: ColumnType<Date, Date | string | undefined, never>;
  action: string;
  actor_id: string | null;
  actor_name: string;
  comment: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface TicketSequenceTable {
  day: string;
  last: number;
}

export interface QualitySweepTable {
  name: string;
  watermark: Date | null;
  ran_at: Date | null;
}

// --- quality settings and hall visits (0011_quality_settings, modules/evaluation) ----------------

/** An administrator's override of one quality setting; without a row the environment default holds. */
export interface QualitySettingTable {
  key: string;
  value: number;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A hall visit recorded at the window, rated afterwards by the visitor who holds its code. */
export interface HallVisitTable {
  id: Generated<string>;
  hall_id: string;
  hall_window: string;
  department_id: string;
  region_path: string;
  region_code: string;
  staff_id: string;
  staff_name: string;
  item_code: string | null;
  item_name: string | null;
  visited_at: ColumnType<Date, Date | string, never>;
  /** SHA-256 of the code printed in the QR: whoever holds it may rate the visit, first come. */
  code_hash: string;
  visitor_user_id: string | null;
}

// --- rules, credit lists, commitment verification (0010_rules) ----------------------------------

export interface RuleSetTable {
  id: Generated<string>;
  item_code: string;
  item_version: number;
  revision: number;
  status: 'draft' | 'published' | 'retired';
  definition: Json<Record<string, unknown>>;
  tests: Json<unknown[]>;
  test_report: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  lock_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  updated_by: string | null;
  published_at: Date | null;
  published_by: string | null;
}

export interface CreditEntryTable {
  id: Generated<string>;
  list: 'black' | 'red';
  subject_kind: 'natural' | 'legal';
  subject_identifier: string;
  subject_name: string;
  reason: string;
  legal_basis: string;
  source: 'false_commitment' | 'department';
  source_ref: string | null;
  department_id: string;
  valid_from: ColumnType<string, string, string>;
  valid_until: ColumnType<string | null, string | null, string | null>;
  created_at: CreatedAt;
  created_by: string;
  removed_at: Date | null;
  removed_by: string | null;
  removal_reason: string | null;
}

export interface CreditAppealTable {
  id: Generated<string>;
  entry_id: string;
  appellant_id: string;
  text: string;
  status: Generated<'pending' | 'upheld' | 'rejected'>;
  created_at: CreatedAt;
  decided_at: Date | null;
  decided_by: string | null;
  decision_comment: string | null;
}

export interface CaseVerificationTable {
  id: Generated<string>;
  case_id: string;
  department_id: string;
  due_date: ColumnType<string, string, string>;
  status: Generated<'open' | 'confirmed' | 'false'>;
  created_at: CreatedAt;
  decided_at: Date | null;
  decided_by: string | null;
  finding: string | null;
  credit_entry_ids: ColumnType<string[] | null, string | null, string | null>;
}

/** A consumer's position in the outbox (events service `readSince` / `commit`). */
export interface OutboxCursorTable {
  consumer: string;
  last_event_id: ColumnType<number, number | undefined, number>;
  updated_at: UpdatedAt;
}

type NullableCivilDate = ColumnType<string | null, string | null | undefined, string | null>;

/** Supervision's projection of a case, fed from the outbox (never read from the case tables). */
export interface SupervisionCaseFactTable {
  case_number: string;
  item_code: string;
  item_name: string;
  department_id: string;
  region_path: string;
  channel: string | null;
  case_kind: string | null;
  applicant_kind: string | null;
  promised_days: number | null;
  status: CaseStatus;
  open: boolean;
  submitted_at: ColumnType<Date, Date | string, Date | string>;
  submitted_on: CivilDate;
  accepted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  accepted_on: NullableCivilDate;
  accepted_ord: number | null;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  decided_on: NullableCivilDate;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deadline: NullableCivilDate;
  deadline_ord: number | null;
  suspended_workdays: Generated<number>;
  handling_workdays: number | null;
  handler_id: string | null;
  current_step: number | null;
  step_started_ord: number | null;
  step_due: NullableCivilDate;
  step_due_ord: number | null;
  steps_completed: Generated<number>;
  deadline_extensions: Generated<number>;
  instant: Generated<boolean>;
  commitment: Generated<boolean>;
  corrected: Generated<boolean>;
  refused: Generated<boolean>;
  decision: string | null;
  on_time: boolean | null;
  last_event_id: number;
  updated_at: UpdatedAt;
}

export interface SupervisionDailyTable {
  day: CivilDate;
  department_id: string;
  item_code: string;
  region_path: string;
  item_name: Generated<string>;
  received: Generated<number>;
  online_received: Generated<number>;
  accepted: Generated<number>;
  not_accepted: Generated<number>;
  corrections: Generated<number>;
  decided: Generated<number>;
  decided_on_time: Generated<number>;
  denied: Generated<number>;
  instant: Generated<number>;
  commitment: Generated<number>;
  handling_days_sum: ColumnType<string | number, number | undefined, number>;
  handling_counted: Generated<number>;
  real_estate_decided: Generated<number>;
  real_estate_within_hour: Generated<number>;
  enterprise_decided: Generated<number>;
  enterprise_days_sum: ColumnType<string | number, number | undefined, number>;
  enterprise_within_target: Generated<number>;
}

export interface SupervisionDailyDurationTable {
  day: CivilDate;
  department_id: string;
  item_code: string;
  region_path: string;
  workdays: number;
  cases: number;
}

export type SupervisionAlertLevel = 'yellow' | 'red' | 'anomaly';

export interface SupervisionAlertTable {
  id: Generated<number>;
  case_number: string;
  kind: string;
  level: SupervisionAlertLevel;
  department_id: string;
  region_path: string;
  item_name: string;
  handler_id: string | null;
  detail: Json<Record<string, unknown>>;
  raised_at: CreatedAt;
  notified_at: Date | null;
}

export interface SupervisionMetaTable {
  key: string;
  value: string;
}
