/**
 * The quality sweeps each instance runs (started by main.ts beside the event workers): default
 * ratings for periods that ended unrated (cases, tickets, hall visits), the escalation of overdue
 * rectifications and tickets, and the closing of rectifications the applicant left unconfirmed.
 * Each is safe with several instances (see the services); a round repeats the default sweep while
 * it reports more waiting.
 */
import type { EventLog } from '../events/senders.js';
import type { TicketsService } from '../tickets/service.js';
import type { EvaluationService } from './service.js';

export interface QualityWorkers {
  stop(): Promise<void>;
}

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
  const state = { stopped: false };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = () => {
    if (state.stopped) return;
    timer = setTimeout(() => {
      running = runQualitySweeps(services)
        .then(() => undefined)
        .catch((err: unknown) => options.log?.error({ error: err instanceof Error ? err.message : String(err) }, 'quality sweep failed; retrying next round'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      state.stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
