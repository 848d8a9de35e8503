import type { Tx } from '../../platform/db/database.js';
import type { Principal, ScopeTarget } from '../../platform/auth/principal.js';
import type { CalendarService } from '../calendar/service.js';
import type { CatalogQueryService } from '../catalog/query-service.js';
import type { IdentityService } from '../identity/service.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ResultIssuer } from './results.js';
import type { ActionBody } from './schemas.js';
import type { CaseActor, CaseRow } from './store.js';

// The action body lives in schemas.ts, which the web app imports (this file reaches the database layer).
export { ActionBody } from './schemas.js';

/** What the case module's parts need from other modules (through their services only). */
export interface CaseDeps {
  calendar: CalendarService;
  catalogQuery: CatalogQueryService;
  /** Staff look-ups for assignment (`isActiveStaff`). */
  identity: IdentityService;
  /** Where a department sits (the org module's answer, remembered by the service: departments never move). */
  departmentScope(departmentId: string): Promise<ScopeTarget>;
  /** Issues an approved case's e-licenses (the licenses module), when there is one. */
  results?: ResultIssuer | undefined;
}

/** Everything an action handler gets: the locked case (version and status already checked). */
export interface ActionContext {
  trx: Tx;
  deps: CaseDeps;
  row: CaseRow;
  /** The item version the case was filed under. */
  item: ItemGuide;
  body: ActionBody;
  actor: CaseActor;
  principal: Principal;
  now: Date;
}

/** Returns the case row after the action (from `applyTransition`). */
export type ActionHandler = (ctx: ActionContext) => Promise<CaseRow>;
