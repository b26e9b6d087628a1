import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import {
  callJson,
  type CallResult as TestCallResult,
  createTestUser,
  listenOnFreePort,
  loginTestUser,
} from '@paychat/testing';
import { buildMessages } from '../build-messages';
import { InboxFanout } from '../conversations/inbox-fanout';
import { MessagesEnv } from '../messages.env';

export interface TestChatUser {
  token: string;
  /** The Cognito `sub`: the messages service's user id for now. */
  userId: string;
}

// Chat answers are arrays and objects alike; the tests state what they expect.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallResult = TestCallResult<any>;

/** A real messages service on DynamoDB Local (the test table), called over HTTP like any client. */
export class MessagesHarness {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<MessagesHarness> {
    const app = await buildMessages(loadConfig(MessagesEnv, { ...process.env, ...env }));
    return new MessagesHarness(app, await listenOnFreePort(app));
  }

  stop(): Promise<void> {
    return this.app.close();
  }

  /** Waits for the best-effort inbox fan-out of the sends so far (ordering assertions). */
  fanoutIdle(): Promise<void> {
    return this.app.get(InboxFanout).idle();
  }

  call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string } = {},
  ): Promise<CallResult> {
    return callJson(this.url, method, path, opts);
  }

  async user(): Promise<TestChatUser> {
    const { accessToken: token } = await loginTestUser(await createTestUser());
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
      sub: string;
    };
    return { token, userId: payload.sub };
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
