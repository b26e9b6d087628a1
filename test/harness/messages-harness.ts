import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import {
  callJson,
  type CallResult as TestCallResult,
  createTestUser,
  freePort,
  loginTestUser,
} from '@paychat/testing';
import { ulid } from 'ulid';
import { buildMessages } from '../../apps/messages/src/build-messages';
import { InboxFanout } from '../../apps/messages/src/delivery/inbox-fanout';
import { MessagesEnv } from '../../apps/messages/src/messages.env';
import { WalletHarness } from './wallet-harness';

export interface TestChatUser {
  token: string;
  /** The wallet's user id (ULID): chats name members by it. */
  userId: string;
}

// Chat answers are arrays and objects alike; the tests state what they expect.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallResult = TestCallResult<any>;

/**
 * A real messages service on DynamoDB Local (the test table), called over HTTP like any client,
 * with the real wallet it resolves users through (on the test MySQL database).
 */
export class MessagesHarness {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
    readonly wallet: WalletHarness,
    private readonly ownsWallet: boolean,
  ) {}

  /** With its own wallet, whose outbox relay delivers to this instance (tests call runOnce). */
  static async start(
    env: Record<string, string> = {},
    wallet?: WalletHarness,
    port?: number,
  ): Promise<MessagesHarness> {
    port ??= await freePort();
    const url = `http://127.0.0.1:${port}`;
    const directory = wallet ?? (await WalletHarness.start({ MESSAGES_URL: url }));
    const config = loadConfig(MessagesEnv, { ...process.env, WALLET_URL: directory.url, ...env });
    const app = await buildMessages(config);
    await app.listen(port, '127.0.0.1');
    return new MessagesHarness(app, url, directory, !wallet);
  }

  /** A second instance of the service on the same table and wallet (cross-instance behaviour). */
  another(env: Record<string, string> = {}): Promise<MessagesHarness> {
    return MessagesHarness.start(env, this.wallet);
  }

  async stop(): Promise<void> {
    await this.app.close();
    if (this.ownsWallet) await this.wallet.stop();
  }

  /** Waits for the best-effort inbox fan-out of the sends so far (ordering assertions). */
  fanoutIdle(): Promise<void> {
    return this.app.get(InboxFanout).idle();
  }

  call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<CallResult> {
    return callJson(this.url, method, path, opts);
  }

  /** A fresh Cognito user, provisioned in the wallet (its first authenticated call). */
  async user(): Promise<TestChatUser> {
    const { accessToken: token } = await loginTestUser(await createTestUser());
    const me = await this.wallet.call('GET', '/v2/me', { token });
    return { token, userId: String(me.body.userId) };
  }

  /** Users that exist in the wallet but never signed in (for big groups without 99 logins). */
  async directoryUsers(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => ulid());
    await this.wallet.db.query('INSERT INTO users (id, email, display_name) VALUES ?', [
      ids.map((id) => [id, `${id.toLowerCase()}@test.paychat.local`, 'Directory User']),
    ]);
    return ids;
  }

  async conversation(owner: TestChatUser, others: TestChatUser[], title?: string): Promise<string> {
    const res = await this.call('POST', '/v2/conversations', {
      token: owner.token,
      body: { memberIds: others.map((o) => o.userId), ...(title ? { title } : {}) },
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`create: ${res.status}`);
    return String(res.body.id);
  }

  send(user: TestChatUser, convId: string, text: string, clientMessageId: string): Promise<CallResult> {
    return this.call('POST', `/v2/conversations/${convId}/messages`, {
      token: user.token,
      body: { clientMessageId, text },
    });
  }
}
