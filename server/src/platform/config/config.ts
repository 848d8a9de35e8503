import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QUALITY_SETTING_BOUNDS, QUALITY_SETTING_KEYS, unflattenSettings, type QualitySettingKey, type QualitySettingsValues } from '../../shared/quality-codes.js';

export type Mode = 'demo' | 'production';

export interface Config {
  port: number;
  host: string;
  mode: Mode;
  /** PGlite data folder; unused when databaseUrl is set. `memory://` keeps it in memory (tests). */
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Named prepared statements on a PostgreSQL server; off behind PgBouncer in transaction mode before 1.21. */
  databasePreparedStatements: boolean;
  sessionSecret: string;
  sessionTtlHours: number;
  /** Accept X-Forwarded-For from a reverse proxy in front of the platform. */
  trustProxy: boolean;
  logLevel: string;
  /** Serve cookies with the Secure flag (production behind HTTPS). */
  secureCookies: boolean;
  webDir: string;
  /**
   * Key of the HMAC that stands for a subject (ID number, credit code) in the data-sharing access
   * log; the citizen's "who looked at my data" view matches on it. Derived from the session secret
   * unless set: set it once in production and never change it, or old entries lose their subject.
   */
  sharingSubjectKey: string;
  /** Hosts (`host` or `host:port`) that proxied data-sharing providers may be reached at. */
  sharingEndpointHosts: string[];
  /**
   * Key wrapping the electronic seals' SM2 private keys (AES-256-GCM). Derived from the session
   * secret unless set. To rotate: set the new one here and the old one in `sealKeyPrevious`; seals
   * still wrapped under the old one are rewrapped when they are first used.
   */
  sealKey: string;
  sealKeyPrevious: string | undefined;
  /** Where the platform is reached from outside: the QR code on a license points here (`/verify/<id>`). */
  publicBaseUrl: string;
  /** Defaults of the quality settings (QUALITY_*); the system administrator overrides them at run time (ADR 0015). */
  quality: QualitySettingsValues;
}

/** A configuration error names the variable and what it expects, in one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    value: string | undefined,
  ) {
    super(`${variable}: expected ${expected}${value === undefined ? '' : `, got "${value}"`}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(name, 'true or false', raw);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** Secrets shorter than this are guessable; 32 characters of a generated secret carry >= 128 bits. */
const MIN_SECRET_LENGTH = 32;

/**
 * Reads and validates the whole configuration at once, so a bad deployment fails at start rather
 * than at the first request that touches the bad value.
 */
export function loadConfig(env: Env = process.env): Config {
  const modeRaw = env.TONGBAN_MODE ?? 'demo';
  if (modeRaw !== 'demo' && modeRaw !== 'production') {
    throw new ConfigError('TONGBAN_MODE', '"demo" or "production"', modeRaw);
  }
  const mode: Mode = modeRaw;

  const host = env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0';
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('HOST', 'a host name or IP address', host);

  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'a postgres:// or postgresql:// URL', '(hidden)');
  }
  if (mode === 'production' && databaseUrl === undefined) {
    throw new ConfigError('DATABASE_URL', 'a PostgreSQL server URL in production mode', undefined);
  }

  const dataDir = env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data';
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', LOG_LEVELS.join(' | '), logLevel);

  let sessionSecret = env.SESSION_SECRET;
  if (sessionSecret !== undefined && sessionSecret !== '' && sessionSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('SESSION_SECRET', `at least ${MIN_SECRET_LENGTH} characters`, '(hidden)');
  }
  if (!sessionSecret) {
    if (mode === 'production') {
      throw new ConfigError('SESSION_SECRET', `a secret of at least ${MIN_SECRET_LENGTH} characters in production mode`, undefined);
    }
    sessionSecret = demoSecret(databaseUrl === undefined ? dataDir : undefined);
  }

  const sharingSubjectKeyRaw = env.SHARING_SUBJECT_KEY;
  if (sharingSubjectKeyRaw !== undefined && sharingSubjectKeyRaw !== '' && sharingSubjectKeyRaw.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('SHARING_SUBJECT_KEY', `at least ${MIN_SECRET_LENGTH} characters`, '(hidden)');
  }
  const sharingSubjectKey = sharingSubjectKeyRaw || createHmac('sha256', sessionSecret).update('tongban sharing subject key v1').digest('base64url');
  // Demo mode admits providers on the loopback (local experiments, tests); production names its own.
  const hostsRaw = env.SHARING_ENDPOINT_HOSTS ?? (mode === 'demo' ? '127.0.0.1,localhost' : '');
  const sharingEndpointHosts = hostsRaw.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  for (const h of sharingEndpointHosts) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/.test(h)) throw new ConfigError('SHARING_ENDPOINT_HOSTS', 'a comma-separated list of host or host:port', hostsRaw);
  }

  const secretOrDerived = (name: string, purpose: string): string => {
    const raw = env[name];
    if (raw !== undefined && raw !== '' && raw.length < MIN_SECRET_LENGTH) throw new ConfigError(name, `at least ${MIN_SECRET_LENGTH} characters`, '(hidden)');
    return raw || createHmac('sha256', sessionSecret).update(purpose).digest('base64url');
  };
  const sealKey = secretOrDerived('SEAL_KEY', 'tongban seal key v1');
  const sealKeyPreviousRaw = env.SEAL_KEY_PREVIOUS;
  if (sealKeyPreviousRaw !== undefined && sealKeyPreviousRaw !== '' && sealKeyPreviousRaw.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('SEAL_KEY_PREVIOUS', `at least ${MIN_SECRET_LENGTH} characters`, '(hidden)');
  }
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const publicBaseUrl = (env.PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicBaseUrl)) throw new ConfigError('PUBLIC_BASE_URL', 'an http(s) URL without query or fragment', publicBaseUrl);

  return {
    port,
    host,
    mode,
    dataDir,
    databaseUrl,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    databasePreparedStatements: boolean(env, 'DATABASE_PREPARED_STATEMENTS', true),
    sessionSecret,
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 8, 1, 24 * 30),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    logLevel,
    secureCookies: boolean(env, 'SECURE_COOKIES', mode === 'production'),
    webDir: env.WEB_DIR && env.WEB_DIR !== '' ? env.WEB_DIR : resolve('dist/web'),
    sharingSubjectKey,
    sharingEndpointHosts,
    sealKey,
    sealKeyPrevious: sealKeyPreviousRaw || undefined,
    publicBaseUrl,
    quality: qualityDefaults(env),
  };
}

function qualityDefaults(env: Env): QualitySettingsValues {
  const flat = {} as Record<QualitySettingKey, number>;
  for (const key of QUALITY_SETTING_KEYS) {
    const b = QUALITY_SETTING_BOUNDS[key];
    flat[key] = integer(env, b.env, b.fallback, b.min, b.max);
  }
  return unflattenSettings(flat);
}

/**
 * Demo mode keeps its generated secret beside the embedded database so sessions survive a restart;
 * with a server database (or in memory) there is no folder of ours, so a fresh one is generated.
 */
function demoSecret(dataDir: string | undefined): string {
  if (dataDir === undefined || dataDir.startsWith('memory://')) return randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
