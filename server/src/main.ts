import { ConfigError, loadConfig } from './platform/config/config.js';
import { StartupRefused, startPlatform } from './bootstrap.js';
import { startCaseWorkers } from './modules/cases/reminders.js';
import { startEventWorkers } from './modules/events/worker.js';
import { startQualityWorkers } from './modules/evaluation/worker.js';
import { startSupervisionWorkers } from './modules/supervision/worker.js';

/** How often each instance dispatches new events and sends due deliveries (a notification's usual delay). */
const EVENT_WORKER_INTERVAL_MS = 1000;
/** How often each instance looks for ended rating periods and overdue rectifications and tickets. */
const QUALITY_SWEEP_INTERVAL_MS = 60_000;
/** How often each instance looks for owed materials (容缺) due today or overdue; reminders go once a day at most. */
const CASE_REMINDER_INTERVAL_MS = 60_000;

const startedAt = performance.now();
try {
  const config = loadConfig();
  const platform = await startPlatform(config);
  const workers = startEventWorkers(platform.services, { intervalMs: EVENT_WORKER_INTERVAL_MS, log: platform.app.log });
  // app.close() (shutdown below) waits for the round in progress before the database closes
  platform.app.addHook('onClose', () => workers.stop());
  const qualityWorkers = startQualityWorkers(platform.services, { intervalMs: QUALITY_SWEEP_INTERVAL_MS, log: platform.app.log });
  platform.app.addHook('onClose', () => qualityWorkers.stop());
  const caseWorkers = startCaseWorkers(platform.services.cases, { intervalMs: CASE_REMINDER_INTERVAL_MS, log: platform.app.log });
  platform.app.addHook('onClose', () => caseWorkers.stop());
  // demo mode: months of synthetic supervision history, so the dashboard is not empty (once)
  if (config.mode === 'demo') await platform.services.supervision.seedDemoHistory().catch((err: unknown) => platform.app.log.warn({ error: String(err) }, 'supervision demo history not seeded'));
  const supervisionWorkers = startSupervisionWorkers(platform.services.supervision, { log: platform.app.log });
  platform.app.addHook('onClose', () => supervisionWorkers.stop());
  await platform.app.listen({ port: config.port, host: config.host });
  platform.app.log.info(
    { mode: config.mode, database: platform.database.kind, readyMs: Math.round(performance.now() - startedAt) },
    `Tongban ready (${config.mode}, ${platform.database.kind})`,
  );
  const shutdown = async (signal: string) => {
    platform.app.log.info({ signal }, 'shutting down');
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof StartupRefused) {
    console.error(`Tongban cannot start: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
