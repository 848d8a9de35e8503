import type { FastifyBaseLogger } from 'fastify';

/**
 * The periodic loops every instance runs in the background (event dispatch and delivery, the
 * quality sweeps, the owed-material reminders), started by main.ts so that tests and the CLI
 * stay quiet unless they ask. Each round runs `batch` again while it reports more waiting (at
 * most `maxBatches` times: a backlog is worked off over several rounds, with pauses between); the
 * next round is scheduled only when this one has finished, so a loop never overlaps itself.
 * Several instances run the same loops side by side: the work they claim is shared out by the
 * locks of the module that does it, never by which instance runs.
 */
export interface BackgroundLoop {
  /** Finishes the round in progress (if any) and schedules no other. */
  stop(): Promise<void>;
}

export interface LoopOptions {
  /** Named in the log line of a failed round. */
  name: string;
  intervalMs: number;
  /** One batch of work; true when more is waiting (the round goes on). */
  batch: () => Promise<boolean>;
  maxBatches?: number;
  log?: Pick<FastifyBaseLogger, 'error'> | undefined;
}

export function startLoop(options: LoopOptions): BackgroundLoop {
  const maxBatches = options.maxBatches ?? 20;
  // stop() flips it while a round awaits; the round re-reads it between batches
  const state = { stopped: false };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const round = async () => {
    for (let i = 0; i < maxBatches && !state.stopped; i++) {
      if (!(await options.batch())) break;
    }
  };
  const schedule = () => {
    if (state.stopped) return;
    timer = setTimeout(() => {
      running = round()
        // the message only: a driver error's detail may quote row values
        .catch((err: unknown) => options.log?.error({ error: err instanceof Error ? err.message : String(err) }, `${options.name} round failed; retrying next round`))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.intervalMs);
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

/** Several loops stopped as one. */
export function allLoops(loops: readonly BackgroundLoop[]): BackgroundLoop {
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
