import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DependencyUnavailable } from '@paychat/errors';
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

/** A new connection's handshake: MariaDB completes it in milliseconds; one that is gone fails the request fast. */
const CONNECT_TIMEOUT_MS = 2_000;
/**
 * How long a query waits for a pooled connection before a 503 (mysql2 pools would wait forever,
 * e.g. behind connections hung on an unreachable server). As long as a transaction may wait on a lock.
 */
const ACQUIRE_TIMEOUT_MS = 5_000;

type Acquired = (err: Error | null, connection?: { release(): void }) => void;
type Pool = {
  on(event: 'connection', cb: (c: { query(sql: string): void }) => void): void;
  query(sql: string, cb: (err: Error | null) => void): void;
  getConnection(cb: Acquired): void;
};

/**
 * Every acquisition (TypeORM's and the pool's own queries) fails after ACQUIRE_TIMEOUT_MS; a
 * connection that turns up later goes straight back to the pool.
 */
function boundAcquisition(pool: Pool): void {
  const acquire = pool.getConnection.bind(pool);
  // The pool re-enters getConnection for a waiter it re-queues: that wait is already timed.
  const timed = new WeakSet<Acquired>();
  pool.getConnection = (cb) => {
    if (timed.has(cb)) return acquire(cb);
    let waiting = true;
    const timer = setTimeout(() => {
      waiting = false;
      cb(new DependencyUnavailable('mariadb', `no pooled connection within ${ACQUIRE_TIMEOUT_MS} ms`));
    }, ACQUIRE_TIMEOUT_MS);
    const done: Acquired = (err, connection) => {
      if (!waiting) return connection?.release();
      waiting = false;
      clearTimeout(timer);
      cb(err, connection);
    };
    timed.add(done);
    acquire(done);
  };
}

async function configurePool(dataSource: DataSource): Promise<DataSource> {
  const pool = (dataSource.driver as unknown as { pool: Pool }).pool;
  boundAcquisition(pool);
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
        connectTimeout: CONNECT_TIMEOUT_MS,
        // Independent statements of a money transaction travel in one round trip (fewer
        // round trips inside the transaction = shorter lock holds = more throughput). Values are always bound.
        multipleStatements: true,
        synchronize: false,
        migrationsRun: false,
        autoLoadEntities: true,
      }),
      dataSourceFactory: async (options) => configurePool(await new DataSource(options!).initialize()),
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
