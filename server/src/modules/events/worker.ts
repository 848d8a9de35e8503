/**
 * The background loops each instance runs (started by main.ts, not by the app, so tests and the
 * CLI stay quiet unless they ask): one dispatches new events, one sends due deliveries. They are
 * separate so that a receiver timing out cannot hold up everyone's in-app messages. Each round
 * takes batch after batch while they come full (platform/background.ts); several instances run
 * them side by side, and the locks in the store share the work out.
 */
import { allLoops, startLoop, type BackgroundLoop } from '../../platform/background.js';
import type { EventsService } from './service.js';
import type { EventLog } from './senders.js';

export interface EventWorkerOptions {
  intervalMs: number;
  log?: EventLog;
  dispatchBatch?: number;
  deliverBatch?: number;
  /** Most batches in one round: a backlog is worked off over several rounds, with pauses between. */
  maxBatchesPerRound?: number;
}

export type EventWorkers = BackgroundLoop;

export function startEventWorkers(services: { events: EventsService }, options: EventWorkerOptions): EventWorkers {
  const { events } = services;
  const dispatchBatch = options.dispatchBatch ?? 200;
  const deliverBatch = options.deliverBatch ?? 50;
  const maxBatches = options.maxBatchesPerRound ?? 20;
  const { intervalMs, log } = options;
  return allLoops([
    startLoop({ name: 'event dispatch', intervalMs, maxBatches, log, batch: async () => (await events.dispatchPending(dispatchBatch)).events >= dispatchBatch }),
    startLoop({ name: 'event delivery', intervalMs, maxBatches, log, batch: async () => (await events.deliverDue(deliverBatch)).claimed >= deliverBatch }),
  ]);
}
