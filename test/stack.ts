import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, type CallResult, freePort, listenOnFreePort } from '@paychat/testing';
import { buildGateway } from '../apps/gateway/src/build-gateway';
import { GatewayEnv } from '../apps/gateway/src/gateway.env';
import { LegacyTestbed } from './harness/legacy-fixtures';
import { MessagesHarness } from './harness/messages-harness';
import { WalletHarness } from './harness/wallet-harness';

export interface StackUser {
  email: string;
  token: string;
  userId: string;
  bankAccountId: string;
}

// Whole-stack answers are of every shape; each test states what it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = CallResult<any>;

/**
 * The whole stack on real parts, each app on its own port as in production: legacy, wallet (its
 * outbox relay running), messages, and the gateway in front, called only through the gateway.
 * The messages service can be stopped and started again on the same address.
 */
export class Stack {
  private constructor(
    readonly legacy: LegacyTestbed,
    readonly wallet: WalletHarness,
    public messages: MessagesHarness | null,
    private readonly messagesPort: number,
    readonly gateway: NestFastifyApplication,
    readonly url: string,
  ) {}

  /** `legacyPort`: where the user-migration trigger of the test pool expects the legacy app. */
  static async start(gatewayEnv: Record<string, string> = {}, legacyPort?: number): Promise<Stack> {
    const legacy = await LegacyTestbed.start(process.env);
    const legacyUrl = legacyPort
      ? await legacy.app.listen(legacyPort, '127.0.0.1').then(() => `http://127.0.0.1:${legacyPort}`)
      : await listenOnFreePort(legacy.app);
    const messagesPort = await freePort();
    const messagesUrl = `http://127.0.0.1:${messagesPort}`;
    const wallet = await WalletHarness.start({
      MESSAGES_URL: messagesUrl,
      WALLET_JOBS_ENABLED: 'true',
      OUTBOX_FAST_PATH: 'true',
      OUTBOX_RELAY_INTERVAL_MS: '200',
    });
    // Earlier test files leave undelivered events behind; this stack delivers its own only.
    await wallet.db.query('UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
    const messages = await MessagesHarness.start({}, wallet, messagesPort);
    const gateway = await buildGateway(
      loadConfig(GatewayEnv, {
        ...process.env,
        LEGACY_URL: legacyUrl,
        WALLET_URL: wallet.url,
        MESSAGES_URL: messagesUrl,
        ...gatewayEnv,
      }),
    );
    return new Stack(legacy, wallet, messages, messagesPort, gateway, await listenOnFreePort(gateway));
  }

  async stopMessages(): Promise<void> {
    await this.messages?.stop();
    this.messages = null;
  }

  async startMessages(): Promise<void> {
    this.messages = await MessagesHarness.start({}, this.wallet, this.messagesPort);
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    await this.stopMessages();
    await this.wallet.stop();
    await this.legacy.close();
  }

  call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    return callJson(this.url, method, path, {
      token: opts.token,
      body: opts.body,
      headers: { ...opts.headers, ...(opts.key ? { 'idempotency-key': opts.key } : {}) },
    });
  }

  /** A newcomer's path through the gateway: sign up, log in, provision, link a bank account. */
  async signUp(name: string): Promise<StackUser> {
    const email = `stack-${randomUUID()}@test.paychat.local`;
    const password = 'Stack-Pass1!';
    await this.call('POST', '/v2/auth/signup', { body: { email, password, displayName: name } });
    const login = await this.call('POST', '/v2/auth/login', { body: { email, password } });
    const token = String(login.body.accessToken);
    const me = await this.call('GET', '/v2/me', { token });
    const bank = await this.call('POST', '/v2/wallet/bank-accounts', {
      token,
      body: { bankCode: '0001', branchCode: '001', accountNumber: '1234567', holderName: name.toUpperCase() },
    });
    return { email, token, userId: String(me.body.userId), bankAccountId: String(bank.body.id) };
  }

  charge(user: StackUser, amount: number): Promise<Answer> {
    return this.call('POST', '/v2/wallet/charges', {
      token: user.token,
      key: randomUUID(),
      body: { amount, bankAccountId: user.bankAccountId },
    });
  }

  /** Polls until `check` holds (the relay delivers asynchronously), or fails after `ms`. */
  async eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (check(value) || Date.now() > until) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
