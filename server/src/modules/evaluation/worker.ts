/**
 * The quality sweeps each instance runs (started by main.ts beside the event workers): default
 * ratings for periods that ended unrated (cases, tickets, hall visits), the escalation of overdue
 * rectifications and tickets, and the closing of rectifications the applicant left unconfirmed.
 * Each is safe with several instances (see the services); a round repeats the default sweep while
 * it reports more waiting.
 */
import { startLoop, type BackgroundLoop } from '../../platform/background.js';
import type { EventLog } from '../events/senders.js';
import type { TicketsService } from '../tickets/service.js';
import type { EvaluationService } from './service.js';

export type QualityWorkers = BackgroundLoop;

/** One round of every sweep at `now`: what the loop runs, and what tests call with a clock. */
export async function runQualitySweeps(services: { evaluation: EvaluationService; tickets: TicketsService }, now?: Date, maxBatches = 20) {
  let defaults = 0;
  for (let i = 0; i < maxBatches; i++) {
    const round = await services.evaluation.sweepDefaults(now);
    defaults += round.recorded;
    if (!round.more) break;
  }
  const rectifications = await services.evaluation.sweepOverdue(now);
  const unconfirmed = await services.evaluation.sweepUnconfirmed(now);
  const tickets = await services.tickets.sweepOverdue(now);
  return { defaults, escalatedRectifications: rectifications.escalated, unconfirmedRectifications: unconfirmed.closed, escalatedTickets: tickets.escalated };
}

export function startQualityWorkers(services: { evaluation: EvaluationService; tickets: TicketsService }, options: { intervalMs: number; log?: EventLog }): QualityWorkers {
  // one batch a round: runQualitySweeps repeats the default sweep itself
  return startLoop({ name: 'quality sweep', intervalMs: options.intervalMs, log: options.log, maxBatches: 1, batch: async () => (await runQualitySweeps(services), false) });
}
