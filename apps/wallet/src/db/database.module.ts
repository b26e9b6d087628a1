import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, Readiness } from '@paychat/platform';
import { DataSource } from 'typeorm';
import type { WalletEnv } from '../wallet.env';

/**
 * Applied to every pooled connection: a duplicate request waits on its twin's idempotency-key row
 * lock for seconds, not the server's default 50 s; and every transaction is READ COMMITTED (each
 * money decision is made under row locks; no gap-lock deadlocks) without a statement per transaction.
 */
const SESSION_SETTINGS =
  'SET SESSION innodb_lock_wait_timeout = 5; SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';

type Pool = {
  on(event: 'connection', cb: (c: { query(sql: string): void }) => void): void;
  query(sql: string, cb: (err: Error | null) => void): void;
};

async function withSessionSettings(dataSource: DataSource): Promise<DataSource> {
  const pool = (dataSource.driver as unknown as { pool: Pool }).pool;
  pool.on('connection', (connection) => connection.query(SESSION_SETTINGS));
  // The one connection TypeORM opened to test the pool existed before the listener.
  await new Promise<void>((resolve, reject) =>
    pool.query(SESSION_SETTINGS, (err) => (err ? reject(err) : resolve())),
  );
  return dataSource;
}

/**
 * The ledger's MySQL connection pool. BIGINTs come back as exact strings (never floats); the schema
 * is owned by `npm run migrate`, never synchronised or migrated at boot.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: WalletEnv) => ({
        type: 'mysql',
        url: config.WALLET_DB_URL,
        supportBigNumbers: true,
        bigNumberStrings: true,
        timezone: 'Z',
        charset: 'utf8mb4_bin',
        poolSize: config.WALLET_DB_POOL_SIZE,
        // Independent statements of a money transaction travel in one round trip (fewer
        // round trips inside the transaction = shorter lock holds = more throughput). Values are always bound.
        multipleStatements: true,
        synchronize: false,
        migrationsRun: false,
        autoLoadEntities: true,
      }),
      dataSourceFactory: async (options) => withSessionSettings(await new DataSource(options!).initialize()),
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readiness: Readiness,
  ) {}

  onModuleInit(): void {
    this.readiness.register('mysql', () => this.dataSource.query('SELECT 1'));
  }
}
