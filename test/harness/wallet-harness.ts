import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mysql from 'mysql2/promise';
import { loadConfig } from '@paychat/config';
import { CallResult, callJson, createTestUser, listenOnFreePort, loginTestUser } from '@paychat/testing';
import { BankGateway } from '../../apps/wallet/src/bank/bank-gateway';
import { BankSimulator } from '../../apps/wallet/src/bank/bank-simulator';
import { buildWallet } from '../../apps/wallet/src/build-wallet';
import { OutboxPublisher } from '../../apps/wallet/src/outbox/outbox-publisher';
import { OutboxRelay } from '../../apps/wallet/src/outbox/outbox.relay';
import { WalletEnv } from '../../apps/wallet/src/wallet.env';

export interface TestWalletUser {
  token: string;
  userId: string;
  accountId: string;
  bankAccountId: string;
}

export type { CallResult };

/**
 * A real wallet service on the test database, called over HTTP like any client, plus a root
 * connection for checking the ledger's invariants from outside the service.
 */
export class WalletHarness {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
    readonly db: mysql.Connection,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<WalletHarness> {
    const app = await buildWallet(loadConfig(WalletEnv, { ...process.env, ...env }));
    const url = await listenOnFreePort(app);
    const admin = new URL(process.env.WALLET_DB_URL!);
    const db = await mysql.createConnection({
      uri: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
      database: admin.pathname.slice(1),
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    return new WalletHarness(app, url, db);
  }

  async stop(): Promise<void> {
    await this.db.end();
    await this.app.close();
  }

  get bank(): BankSimulator {
    return this.app.get(BankGateway) as BankSimulator;
  }

  /** The outbox relay, for tests that deliver events one round at a time. */
  get outboxRelay(): OutboxRelay {
    return this.app.get(OutboxRelay);
  }

  /** Where the relay hands events to messages, for tests that make delivery fail. */
  get outboxPublisher(): OutboxPublisher {
    return this.app.get(OutboxPublisher);
  }

  call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; key?: string; raw?: string; requestId?: string } = {},
  ): Promise<CallResult> {
    const { key, requestId, ...rest } = opts;
    const headers = {
      ...(key ? { 'idempotency-key': key } : {}),
      ...(requestId ? { 'x-request-id': requestId } : {}),
    };
    return callJson(this.url, method, path, {
      ...rest,
      headers: Object.keys(headers).length ? headers : undefined,
    });
  }

  /** A fresh Cognito user, provisioned in the wallet, with a verified bank account and `funds` charged in. */
  async user(funds = 0, opts: { verified?: boolean } = {}): Promise<TestWalletUser> {
    const { accessToken: token } = await loginTestUser(await createTestUser());
    const me = await this.call('GET', '/v2/me', { token });
    const [[row]] = (await this.db.query(`SELECT id FROM accounts WHERE kind = 'user' AND owner_id = ?`, [
      me.body.userId,
    ])) as unknown as [[{ id: string }]];
    const bank = await this.call('POST', '/v2/wallet/bank-accounts', {
      token,
      body: { bankCode: '0001', branchCode: '123', accountNumber: '1234567', holderName: 'TEST USER' },
    });
    const user = {
      token,
      userId: String(me.body.userId),
      accountId: String(row.id),
      bankAccountId: String(bank.body.id),
    };
    // The KYC outcome is an admin action; tests record it directly.
    if (opts.verified)
      await this.db.query(`UPDATE users SET kyc_level = 'verified' WHERE id = ?`, [user.userId]);
    if (funds > 0) await this.charge(user, funds);
    return user;
  }

  async charge(user: TestWalletUser, amount: number): Promise<CallResult> {
    return this.call('POST', '/v2/wallet/charges', {
      token: user.token,
      key: randomUUID(),
      body: { amount, bankAccountId: user.bankAccountId },
    });
  }

  /** A keyed transfer of `amount` from one test user to another. */
  transfer(from: TestWalletUser, to: TestWalletUser, key: string, amount = 100): Promise<CallResult> {
    return this.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key,
      body: { toUserId: to.userId, amount },
    });
  }

  /** How many transfers a user's key created (exactly once: 1). */
  transfersWithKey(from: TestWalletUser, key: string): Promise<number> {
    return this.count('SELECT COUNT(*) n FROM transfers WHERE initiator_id = ? AND idempotency_key = ?', [
      from.userId,
      key,
    ]);
  }

  async balance(user: TestWalletUser): Promise<number> {
    return Number((await this.call('GET', '/v2/wallet', { token: user.token })).body.balance);
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const [[row]] = (await this.db.query(sql, params)) as unknown as [[{ n: string }]];
    return Number(row.n);
  }
}
