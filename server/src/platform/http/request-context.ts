import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../audit/audit.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { CommonErrors } from './errors.js';

/** The audit actor for a request: who (never their personal data) and from where. */
export function actorOf(request: FastifyRequest): AuditActor {
  const p = request.principal;
  if (!p) return { id: null, kind: 'anonymous', ip: request.ip };
  if (p.kind === 'client') return { id: `client:${p.clientId}`, kind: 'client', ip: request.ip };
  return { id: p.userId, kind: p.kind, ip: request.ip };
}

export function staffOf(request: FastifyRequest): StaffPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'staff') throw CommonErrors.forbidden();
  return p;
}
