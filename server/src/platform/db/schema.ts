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
  created_at: CreatedAt;
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
