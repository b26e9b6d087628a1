import { createHash, randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { directConversationId } from '@paychat/contracts';
import { newId } from '../apps/wallet/src/db/new-id';
import { bumpCounters, OUTFLOW_USED, SET_POSTED_AT } from '../apps/wallet/src/limits/outflow-counters';

interface Payer {
  userId: string;
  accountId: string;
}

type Leg = [accountId: string, amount: number, type: string, counterparty: string];

/**
 * The wallet's money SQL, statement for statement and batch for batch, straight from mysql2: the
 * ceiling the service is compared with. The five round trips of a transfer: BEGIN + key claim +
 * savepoint; recipient + money row; id-ordered row locks (reading the KYC outflow counters);
 * balance + counters UPDATE + entry + postings + outbox; key completion + COMMIT — as the service
 * sends them. Seeded history needs fillOutflowCounters (limits/outflow-counters.ts) first.
 */
export class RawWallet {
  private constructor(private readonly conns: mysql.Connection[]) {}

  static async open(uri: string, clients: number): Promise<RawWallet> {
    const conns = await Promise.all(
      Array.from({ length: clients }, () =>
        mysql.createConnection({
          uri,
          supportBigNumbers: true,
          bigNumberStrings: true,
          multipleStatements: true,
        }),
      ),
    );
    await Promise.all(
      conns.map((c) =>
        c.query(
          'SET SESSION innodb_lock_wait_timeout = 5; SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
        ),
      ),
    );
    return new RawWallet(conns);
  }

  close(): Promise<void[]> {
    return Promise.all(this.conns.map((c) => c.end()));
  }

  transfer(client: number, from: Payer, toUserId: string, amount: number): Promise<void> {
    return this.run(client, from, '/v2/wallet/transfers', { toUserId, amount }, async (c, key, id) => {
      const [[[to]]] = (await c.query(
        `SELECT a.id AS account_id, u.status FROM users u JOIN accounts a ON a.kind = 'user' AND a.owner_id = u.id WHERE u.id = ?;
         INSERT INTO transfers (id, initiator_id, idempotency_key, from_user_id, to_user_id, amount, memo, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [toUserId, id, from.userId, key, from.userId, toUserId, amount, null, new Date()],
      )) as unknown as [[[{ account_id: string }]]];
      await this.post(
        c,
        'transfer',
        id,
        [
          [from.accountId, -amount, 'transfer_out', toUserId],
          [String(to.account_id), amount, 'transfer_in', from.userId],
        ],
        {
          // The same row the service writes, born delivered: the baseline does its own chat write.
          sql: `INSERT INTO outbox (event_id, topic, aggregate_id, ordering_key, version, payload, trace_context, request_id, available_at, delivered_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3) + INTERVAL 5 SECOND, CURRENT_TIMESTAMP(3))`,
          params: [
            newId(),
            'transfer.created',
            id,
            directConversationId(from.userId, toUserId),
            1,
            JSON.stringify({ id, fromUserId: from.userId, toUserId, amount }),
            null, // no request trace to carry here
            randomUUID(),
          ],
        },
      );
    });
  }

  payment(client: number, from: Payer, merchantId: string, amount: number): Promise<void> {
    return this.run(client, from, '/v2/wallet/payments', { merchantId, amount }, async (c, key, id) => {
      const [[merchant]] = (await c.query(
        `SELECT a.id AS account_id FROM merchants mc JOIN accounts a ON a.kind = 'merchant' AND a.owner_id = mc.id WHERE mc.id = ?`,
        [merchantId],
      )) as unknown as [[{ account_id: string }]];
      await c.query(
        'INSERT INTO payments (id, initiator_id, idempotency_key, merchant_id, amount, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, from.userId, key, merchantId, amount, null, new Date()],
      );
      await this.post(c, 'payment', id, [
        [from.accountId, -amount, 'payment', merchantId],
        [String(merchant.account_id), amount, 'payment', from.userId],
      ]);
    });
  }

  private async run(
    client: number,
    payer: Payer,
    path: string,
    body: object,
    work: (c: mysql.Connection, key: string, id: string) => Promise<void>,
  ): Promise<void> {
    const c = this.conns[client];
    const key = randomUUID();
    const id = newId();
    try {
      await c.query(
        `START TRANSACTION;
         INSERT INTO idempotency_keys (user_id, idem_key, method, path, body_hash, state, expires_at)
         VALUES (?, ?, 'POST', ?, ?, 'in_progress', CURRENT_TIMESTAMP(3) + INTERVAL 48 HOUR);
         SAVEPOINT operation`,
        [payer.userId, key, path, createHash('sha256').update(JSON.stringify(body)).digest('hex')],
      );
      await work(c, key, id);
      await c.query(
        `UPDATE idempotency_keys SET state = 'completed', status_code = ?, response = ? WHERE user_id = ? AND idem_key = ?; COMMIT`,
        [201, JSON.stringify({ status: 201, body: { id } }), payer.userId, key],
      );
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    }
  }

  private async post(
    c: mysql.Connection,
    kind: string,
    opId: string,
    legs: Leg[],
    also?: { sql: string; params: unknown[] },
  ): Promise<void> {
    const ids = legs.map((l) => l[0]).sort((a, b) => Number(a) - Number(b));
    const [locked] = (await c.query(
      `SELECT a.id, a.balance, a.seq, a.status, u.kyc_level, ${OUTFLOW_USED}
       FROM accounts a LEFT JOIN users u ON a.kind = 'user' AND u.id = a.owner_id
       WHERE a.id IN (?, ?) ORDER BY a.id FOR UPDATE`,
      ids,
    )) as unknown as [{ id: string; balance: string; seq: string }[]];
    const byId = new Map(locked.map((a) => [String(a.id), a]));
    const postings = legs.map(([accountId, amount, type, counterparty]) => {
      const a = byId.get(accountId)!;
      return [
        accountId,
        amount,
        Number(a.seq) + 1,
        Number(a.balance) + amount,
        type,
        opId,
        counterparty,
        null,
      ];
    });
    // The payer's leg is the outflow (transfer_out / payment), the recipient's adds 0.
    const outflows = [legs[0][0], -legs[0][1], legs[1][0], 0];
    await c.query(
      `${SET_POSTED_AT};
       UPDATE accounts SET balance = balance + CASE id WHEN ? THEN ? WHEN ? THEN ? END, seq = seq + 1,
         ${bumpCounters('CASE id WHEN ? THEN ? WHEN ? THEN ? END')} WHERE id IN (?, ?);
       INSERT INTO journal_entries (kind, op_id) VALUES (?, ?);
       SET @entry_id = LAST_INSERT_ID();
       INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id, counterparty_id, memo, created_at)
       VALUES (@entry_id, ?, ?, ?, ?, ?, ?, ?, ?, @posted_at), (@entry_id, ?, ?, ?, ?, ?, ?, ?, ?, @posted_at)${also ? `;\n${also.sql}` : ''}`,
      [
        legs[0][0],
        legs[0][1],
        legs[1][0],
        legs[1][1],
        ...outflows,
        ...outflows,
        legs[0][0],
        legs[1][0],
        kind,
        opId,
        ...postings.flat(),
        ...(also?.params ?? []),
      ],
    );
  }
}
