/**
 * Supervision's background loops on every instance (started by main.ts): project new case
 * events often, sweep the open cases and announce new alerts less often. Each is safe to run on
 * several instances at once (cursor lock, unique alert keys, SKIP LOCKED on announcements).
 */
import type { EventLog } from '../events/senders.js';
import type { SupervisionService } from './service.js';

export interface SupervisionWorkers {
  stop(): Promise<void>;
}

function every(ms: number, work: () => Promise<unknown>, log: EventLog | undefined, name: string) {
  const state = { stopped: false, running: undefined as Promise<unknown> | undefined, timer: undefined as NodeJS.Timeout | undefined };
  const schedule = () => {
    if (state.stopped) return;
    state.timer = setTimeout(() => {
      state.running = work()
        .catch((err: unknown) => log?.error({ error: err instanceof Error ? err.message : String(err) }, `supervision ${name} failed; retrying next round`))
        .finally(() => {
          state.running = undefined;
          schedule();
        });
    }, ms);
    state.timer.unref();
  };
  schedule();
  return async () => {
    state.stopped = true;
    clearTimeout(state.timer);
    await state.running;
  };
}

export function startSupervisionWorkers(supervision: SupervisionService, options: { projectMs?: number; sweepMs?: number; log?: EventLog } = {}): SupervisionWorkers {
  const stops = [
    every(options.projectMs ?? 1000, async () => {
      for (let i = 0; i < 20 && (await supervision.project(500)) > 0; i++);
    }, options.log, 'projection'),
    every(options.sweepMs ?? 60_000, async () => {
      await supervision.sweep();
      while ((await supervision.notify(200)).alerts > 0);
    }, options.log, 'sweep'),
  ];
  return { stop: async () => void (await Promise.all(stops.map((s) => s()))) };
}
