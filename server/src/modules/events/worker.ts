/**
 * The background loops each instance runs (started by main.ts, not by the app, so tests and the
 * CLI stay quiet unless they ask): one dispatches new events, one sends due deliveries. They are
 * separate so that a receiver timing out cannot hold up everyone's in-app messages. Each round
 * takes batch after batch while they come full; the next round is scheduled only when this one
 * has finished, so a loop never overlaps itself. Several instances run them side by side: the
 * locks in the store share the work out, and nothing depends on which instance does it.
 */
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

export interface EventWorkers {
  /** Finishes the rounds in progress (if any) and schedules no other. */
  stop(): Promise<void>;
}

/** Runs `batch` every `intervalMs`, repeating it within a round while it reports a full batch. */
function loop(intervalMs: number, maxBatches: number, batch: () => Promise<boolean>, log: EventLog | undefined, name: string): EventWorkers {
  // stop() flips it while a round awaits; the round re-reads it between batches
  const state = { stopped: false };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const round = async () => {
    for (let i = 0; i < maxBatches && !state.stopped; i++) {
      if (!(await batch())) break;
    }
  };

  const schedule = () => {
    if (state.stopped) return;
    timer = setTimeout(() => {
      running = round()
        // the message only: a driver error's detail may quote row values
        .catch((err: unknown) => log?.error({ error: err instanceof Error ? err.message : String(err) }, `event ${name} round failed; retrying next round`))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, intervalMs);
    // the HTTP server keeps the process alive; these loops alone must not
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

export function startEventWorkers(services: { events: EventsService }, options: EventWorkerOptions): EventWorkers {
  const { events } = services;
  const dispatchBatch = options.dispatchBatch ?? 200;
  const deliverBatch = options.deliverBatch ?? 50;
  const maxBatches = options.maxBatchesPerRound ?? 20;
  const loops = [
    loop(options.intervalMs, maxBatches, async () => (await events.dispatchPending(dispatchBatch)).events >= dispatchBatch, options.log, 'dispatch'),
    loop(options.intervalMs, maxBatches, async () => (await events.deliverDue(deliverBatch)).claimed >= deliverBatch, options.log, 'delivery'),
  ];
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
