import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './platform/config/config.js';
import type { Db } from './platform/db/database.js';
import { registerAuth } from './platform/auth/plugin.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { registerProblemHandlers, sendProblem } from './platform/http/problem.js';
import { CommonErrors } from './platform/http/errors.js';
import { Problem, type App } from './platform/http/types.js';
import { auditRoutes } from './modules/audit/routes.js';
import { CalendarService } from './modules/calendar/service.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { CatalogService } from './modules/catalog/service.js';
import { catalogAdminRoutes } from './modules/catalog/routes.js';
import { CatalogQueryService } from './modules/catalog/query-service.js';
import { catalogPublicRoutes } from './modules/catalog/public-routes.js';
import { catalogExcelRoutes } from './modules/catalog/excel-routes.js';
import { CasesService } from './modules/cases/service.js';
import { caseRoutes } from './modules/cases/routes.js';
import { backOfficeRoutes } from './modules/cases/back-office-routes.js';
import { NoticeDocuments } from './modules/cases/documents.js';
import { Workbench } from './modules/cases/queue.js';
import { FilesService } from './modules/files/service.js';
import { filesRoutes } from './modules/files/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { IdentityService } from './modules/identity/service.js';
import { identityRoutes } from './modules/identity/routes.js';
import { OrgService } from './modules/org/service.js';
import { orgRoutes } from './modules/org/routes.js';
import { DataSharingService } from './modules/sharing/service.js';
import { sharingRoutes } from './modules/sharing/routes.js';
import { EventsService } from './modules/events/service.js';
import { eventsRoutes } from './modules/events/routes.js';
import type { EventLog } from './modules/events/senders.js';
import { LicensesService } from './modules/licenses/service.js';
import { licensesRoutes } from './modules/licenses/routes.js';
import { EvaluationService } from './modules/evaluation/service.js';
import { evaluationRoutes } from './modules/evaluation/routes.js';
import { QualitySettingsService } from './modules/evaluation/settings.js';
import { TicketsService } from './modules/tickets/service.js';
import { ticketRoutes } from './modules/tickets/routes.js';
import { RulesService } from './modules/rules/service.js';
import { rulesRoutes } from './modules/rules/routes.js';
import { CreditService } from './modules/credit/service.js';
import { creditRoutes } from './modules/credit/routes.js';
import { commitmentRoutes } from './modules/cases/commitment-routes.js';
import { SupervisionService } from './modules/supervision/service.js';
import { supervisionRoutes } from './modules/supervision/routes.js';

/** JSON bodies are small forms; file uploads have their own limit on their own route. */
export const BODY_LIMIT = 1024 * 1024;

export interface Services {
  org: OrgService;
  identity: IdentityService;
  calendar: CalendarService;
  sharing: DataSharingService;
  catalog: CatalogService;
  catalogQuery: CatalogQueryService;
  events: EventsService;
  files: FilesService;
  cases: CasesService;
  licenses: LicensesService;
  evaluation: EvaluationService;
  tickets: TicketsService;
  rules: RulesService;
  credit: CreditService;
  supervision: SupervisionService;
}

export interface BuildOptions {
  config: Config;
  db: Db;
  logger?: FastifyServerOptions['logger'];
  /** Lower scrypt cost for the test suite only. */
  passwordCost?: number;
}

/** `log` reaches what runs outside requests (the event workers and their default SMS / e-mail adapters). */
export function createServices(db: Db, config: Config, passwordCost = 15, log?: EventLog): Services {
  const org = new OrgService(db);
  const identity = new IdentityService(db, org, { sessionSecret: config.sessionSecret, sessionTtlHours: config.sessionTtlHours, passwordCost });
  const calendar = new CalendarService(db);
  const catalog = new CatalogService(db, org);
  const catalogQuery = new CatalogQueryService(db, org);
  catalog.onChange(() => catalogQuery.invalidate());
  const events = new EventsService(db, identity, { allowLoopbackHttp: config.mode === 'demo', ...(log ? { log } : {}) });
  const files = new FilesService(db);
  // cases and sharing need each other: the case module verifies shared-data materials through the
  // gateway (called only after start, when `sharing` exists), the gateway confirms cases
  // the e-license library issues approved cases' licenses and resolves materials met by a held license (免提交)
  const licenses = new LicensesService(db, org, identity, { sealKey: config.sealKey, sealKeyPrevious: config.sealKeyPrevious, publicBaseUrl: config.publicBaseUrl });
  const rules = new RulesService(db, catalog);
  // decision rules follow an item's versions: copied to a new draft, checked against the form on publishing
  catalog.onVersionDrafted((tx, drafted) => rules.copyForward(tx, drafted));
  catalog.onVersionPublishing((tx, publishing) => rules.checkVersionPublishing(tx, publishing));
  const credit = new CreditService(db);
  const cases: CasesService = new CasesService(db, { calendar, catalogQuery, org, identity, files }, {
    sharedData: { verify: (input) => sharing.verifyForCase(input) },
    references: licenses.references,
    results: licenses,
    licensesHeld: licenses,
    rules,
    credit,
    sharedLookup: { lookup: (input) => sharing.lookupForCase(input) },
  });
  licenses.useCases(cases);
  files.registerAccessPolicy(cases.fileAccess);
  // the gateway confirms that a look-up's case exists and that the consumer department handles it
  const sharing: DataSharingService = new DataSharingService(db, org, identity, {
    subjectKey: config.sharingSubjectKey,
    signingSecret: config.sessionSecret,
    endpointHosts: config.sharingEndpointHosts,
    cases,
  });
  // ratings read case facts through the case service; ticket replies are rated through evaluation
  // the quality periods and deadlines: environment defaults, overridden by the administrator (ADR 0015)
  const qualitySettings = new QualitySettingsService(db, config.quality);
  const evaluation = new EvaluationService(db, { cases, catalog: catalogQuery, calendar, org, settings: qualitySettings });
  const tickets = new TicketsService(db, { calendar, catalogQuery, org, cases, settings: qualitySettings });
  evaluation.useTickets(tickets);
  const supervision = new SupervisionService(db, { events, calendar, org, identity, catalogQuery });
  // satisfaction, rectification and complaint figures come from the quality module (seam 3)
  supervision.useQualitySource(evaluation);
  return { org, identity, calendar, catalog, catalogQuery, sharing, events, files, cases, licenses, evaluation, tickets, rules, credit, supervision };
}

/** pino options: structured logs without personal data (no bodies, no query strings, no credentials). */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: req.url.split('?')[0], ip: req.ip }),
    },
  };
}

export async function buildApp(options: BuildOptions): Promise<{ app: App; services: Services }> {
  const { config, db } = options;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: true, useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // A JSON API: text/plain would reach the handlers as a bare string. It is also the content type
  // a cross-site form can send without a CORS preflight, so it is refused (415) rather than parsed.
  app.removeContentTypeParser('text/plain');

  const services = createServices(db, config, options.passwordCost, app.log);

  registerProblemHandlers(app, BODY_LIMIT);
  await app.register(cookie);
  app.addSchema(Problem);
  // Every route documents its error answer as problem+json.
  app.addHook('onRoute', (route) => {
    if (!route.schema) return;
    const schema = route.schema as { response?: Record<string, unknown> };
    schema.response ??= {};
    schema.response['4xx'] ??= { $ref: 'Problem#' };
    schema.response['5xx'] ??= { $ref: 'Problem#' };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Tongban 通办 API', version: '1.0.0', description: '一网通办平台公开接口。错误统一为 application/problem+json (RFC 9457)。' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tb_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  registerAuth(app, services.identity);
  registerIdempotency(app, db, config.sessionSecret);

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { db });
  await app.register(orgRoutes, { org: services.org });
  await app.register(identityRoutes, { identity: services.identity, secureCookies: config.secureCookies });
  await app.register(calendarRoutes, { calendar: services.calendar });
  await app.register(sharingRoutes, { sharing: services.sharing });
  await app.register(catalogAdminRoutes, { catalog: services.catalog });
  await app.register(catalogPublicRoutes, { catalogQuery: services.catalogQuery });
  await app.register(catalogExcelRoutes, { db, catalog: services.catalog, catalogQuery: services.catalogQuery, org: services.org });
  await app.register(filesRoutes, { files: services.files });
  await app.register(caseRoutes, { cases: services.cases });
  await app.register(backOfficeRoutes, { workbench: new Workbench(db, services.identity), documents: new NoticeDocuments(db, services.org) });
  await app.register(eventsRoutes, { events: services.events });
  await app.register(auditRoutes, { db });
  await app.register(licensesRoutes, { licenses: services.licenses });
  await app.register(evaluationRoutes, { evaluation: services.evaluation });
  await app.register(ticketRoutes, { tickets: services.tickets, evaluation: services.evaluation });
  await app.register(rulesRoutes, { rules: services.rules });
  await app.register(creditRoutes, { credit: services.credit });
  await app.register(commitmentRoutes, { cases: services.cases });
  await app.register(supervisionRoutes, { supervision: services.supervision });

  const indexHtml = join(config.webDir, 'index.html');
  if (existsSync(indexHtml)) {
    // Fastify allows one not-found handler per prefix and the root one is the problem handler's:
    // a plugin with prefix '/' may set its own, which then covers every path.
    await app.register(async (web) => {
      await web.register(fastifyStatic, { root: config.webDir });
      // The web app routes on the client: any unknown GET that wants HTML gets the app shell.
      web.setNotFoundHandler((request, reply) => {
        const wantsHtml = (request.headers.accept ?? '').includes('text/html');
        if (request.method === 'GET' && wantsHtml && !request.url.startsWith('/api/')) {
          return reply.type('text/html; charset=utf-8').sendFile('index.html');
        }
        return sendProblem(reply, CommonErrors.route_not_found({ method: request.method, url: request.url.split('?')[0] ?? '' }));
      });
    }, { prefix: '/' });
  }

  return { app, services };
}
