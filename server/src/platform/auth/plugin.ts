import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonErrors } from '../http/errors.js';
import { allows, type Access, type Principal } from './principal.js';

export const SESSION_COOKIE = 'tb_session';
/** Readable by the page's script, which echoes it in X-CSRF-Token (double submit, checked against the session). */
export const CSRF_COOKIE = 'tb_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** One row of the route table: a route and the access rule it declares. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export interface ResolvedSession {
  principal: Principal;
  sessionId: string;
  csrfToken: string;
}

/** Implemented by the identity module: the platform knows how to ask, not where users live. */
export interface PrincipalResolver {
  fromSessionToken(token: string): Promise<ResolvedSession | null>;
  fromBearerToken(token: string): Promise<Principal | null>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Honour the Idempotency-Key header on this (creating) route. */
    idempotent?: boolean;
  }
  interface FastifyInstance {
    /**
     * Every route with its declared access rule, collected as routes are registered. The
     * authorization walk test reads it, so a new route is walked without anyone listing it.
     */
    readonly routeAccess: readonly RouteAccess[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    session: ResolvedSession | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function describeAccess(access: Access): string {
  if (access === 'public') return '公开 (public)';
  if (access === 'signed_in') return '已登录用户 (signed in)';
  const parts: string[] = [];
  if (access.applicant) parts.push('applicant');
  if (access.roles?.length) parts.push(`staff roles: ${access.roles.join(', ')}`);
  if (access.scopes?.length) parts.push(`client scopes: ${access.scopes.join(', ')}`);
  return parts.join('; ');
}

/** The one authorization layer every route passes through. */
export function registerAuth(app: FastifyInstance, resolver: PrincipalResolver): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  const routeTable: RouteAccess[] = [];
  app.decorate('routeAccess', routeTable);

  // A route without a declared access rule is a programming error: refuse to start.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/openapi') || route.config?.access !== undefined) {
      const access = route.config?.access ?? 'public';
      for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, access });
      if (access !== 'public' && route.schema) {
        const schema = route.schema as Record<string, unknown>;
        schema.security = [{ session: [] }, { bearer: [] }];
        schema['x-access'] = describeAccess(access);
      }
      return;
    }
    if (route.url === '*' || route.url === '/*') return; // static web fallback, public by nature
    throw new Error(`route ${route.method} ${route.url} declares no access rule`);
  });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const access = request.routeOptions.config?.access;
    await authenticate(request, resolver);
    if (access === undefined || access === 'public') return;
    if (!request.principal) throw CommonErrors.unauthenticated();
    if (!allows(access, request.principal)) throw CommonErrors.forbidden();
    if (request.session && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || sent !== request.session.csrfToken) throw CommonErrors.csrf_failed();
    }
  });
}

async function authenticate(request: FastifyRequest, resolver: PrincipalResolver): Promise<void> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw CommonErrors.unauthenticated();
    const principal = await resolver.fromBearerToken(match[1]!);
    if (!principal) throw CommonErrors.unauthenticated();
    request.principal = principal;
    return;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  const session = await resolver.fromSessionToken(token);
  if (!session) return; // an expired cookie is the same as none; public routes still work
  request.session = session;
  request.principal = session.principal;
}
