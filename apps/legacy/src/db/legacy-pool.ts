import type { Provider } from '@nestjs/common';
import mysql, { Pool } from 'mysql2/promise';
import { APP_CONFIG } from '@paychat/platform';
import type { LegacyEnv } from '../legacy.env';

/** Injection token for the app's one mysql2 pool. */
export const LEGACY_POOL = Symbol('LEGACY_POOL');

/**
 * BIGINT money comes back as strings (never silently rounded floats) and DATETIMEs are read and
 * written as UTC, so session expiry does not depend on the server's time zone. Connects lazily:
 * the app boots (and reports not-ready) even while the database is down.
 */
export const legacyPoolProvider: Provider = {
  provide: LEGACY_POOL,
  inject: [APP_CONFIG],
  useFactory: (config: LegacyEnv): Pool =>
    mysql.createPool({
      uri: config.LEGACY_DB_URL,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
      connectionLimit: 10,
      enableKeepAlive: true,
    }),
};
