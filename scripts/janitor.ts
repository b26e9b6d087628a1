import mysql from 'mysql2/promise';
import type { Sql } from '../apps/wallet/src/db/sql';
import { IdempotencyKeysRepository } from '../apps/wallet/src/idempotency/idempotency-keys.repository';
import { OutboxRepository } from '../apps/wallet/src/outbox/outbox.repository';

/**
 * `npm run wallet:janitor`: deletes expired idempotency keys and delivered outbox events, as the
 * janitor DB user — the only user allowed to DELETE, and only on these two tables. Run it on a
 * schedule (an ECS scheduled task in production). Money rows are never deleted. The statements are
 * the tables' owners' (their repositories).
 */
export async function purge(url: string, batch = 5_000): Promise<{ keys: number; events: number }> {
  const db = await mysql.createConnection({ uri: url });
  const sql: Sql = { query: async (text, params) => (await db.query(text, params))[0] };
  try {
    const deleteAll = async (deleteSome: (limit: number) => Promise<number>) => {
      let total = 0;
      for (;;) {
        const deleted = await deleteSome(batch);
        total += deleted;
        if (deleted < batch) return total;
      }
    };
    return {
      keys: await deleteAll((limit) => new IdempotencyKeysRepository().purgeExpired(sql, limit)),
      events: await deleteAll((limit) => new OutboxRepository().purgeDelivered(sql, limit)),
    };
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  const url =
    process.env.JANITOR_DB_URL ??
    'mysql://paychat_janitor:paychat_janitor_local@127.0.0.1:3306/paychat_wallet';
  purge(url).then(
    (n) =>
      process.stdout.write(
        `janitor: purged ${n.keys} expired idempotency keys and ${n.events} delivered outbox events\n`,
      ),
    (err: Error) => {
      process.stderr.write(`janitor failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}
