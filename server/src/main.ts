import { ConfigError, loadConfig } from './platform/config/config.js';
import { StartupRefused, startPlatform } from './bootstrap.js';

const startedAt = performance.now();
try {
  const config = loadConfig();
  const platform = await startPlatform(config);
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
