import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { Readiness } from '@paychat/platform';
import { LEGACY_POOL, legacyPoolProvider } from './legacy-pool';

/** The legacy database for every feature: one pool, a readiness check, closed last on shutdown. */
@Global()
@Module({
  providers: [legacyPoolProvider],
  exports: [LEGACY_POOL],
})
export class DbModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(LEGACY_POOL) private readonly pool: Pool,
    private readonly readiness: Readiness,
  ) {}

  onModuleInit(): void {
    this.readiness.register('mysql', () => this.pool.query('SELECT 1'));
  }

  /** Not onModuleDestroy: Nest runs destroy hooks before the HTTP server stops, and in-flight requests still query. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
