import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { convPk, MSG_FIRST, MSG_LAST } from '../../apps/messages/src/db/keys';
import { RawMessages } from '../messages-raw';
import { Api, inParallel } from './api';

export interface Users {
  userIds: string[];
  tokens: string[];
}

/** A direct chat between users[a] and users[b] (indices). */
export interface Chat {
  convId: string;
  a: number;
  b: number;
}

interface MessageView {
  id: string;
  kind: string;
  transfer?: { transferId: string };
}

/** Opens the direct chat of each pair through the API (as user a), 8 at a time. */
export async function openChats(api: Api, users: Users, pairs: [number, number][]): Promise<Chat[]> {
  const chats: Chat[] = [];
  await inParallel(pairs, 8, async ([a, b], i) => {
    const { id } = await api.expect<{ id: string }>(
      [200, 201],
      'POST',
      '/v2/conversations',
      users.tokens[a],
      {
        body: { memberIds: [users.userIds[b]] },
      },
    );
    chats[i] = { convId: id, a, b };
  });
  return chats;
}

/** `count` text messages into each chat, the two members taking turns (the raw SDK: seeding, not load). */
export async function fillBacklog(
  raw: RawMessages,
  users: Users,
  chats: Chat[],
  count: number,
): Promise<void> {
  await inParallel(chats, 8, async ({ convId, a, b }) => {
    for (let n = 0; n < count; n++) {
      const [from, to] = n % 2 ? [b, a] : [a, b];
      await raw.send(convId, users.userIds[from], users.userIds[to], randomUUID(), `backlog message ${n}`);
    }
  });
}

/**
 * Each chat's member b long-polling through the gateway as a phone does (`after=<last seen>`,
 * `waitSeconds=25`), noting when each transfer message first reaches them.
 */
export class ChatWatchers {
  /** transferId → when its message first arrived (ms since the epoch). */
  readonly seenAt = new Map<string, number>();
  /** A transfer's message arriving again (it never should). */
  repeats = 0;
  /** Failed polls (each is retried after a short pause). */
  errors = 0;
  private readonly stopped = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly api: Api,
    private readonly tokens: string[],
  ) {
    setMaxListeners(0, this.stopped.signal); // one listener per pending long-poll
  }

  /** Starts watching each chat from its newest message (each needs one: long-polls wait `after` one). */
  async watch(chats: Chat[]): Promise<void> {
    await inParallel(chats, 8, async ({ convId, b }) => {
      const token = this.tokens[b];
      const page = await this.api.expect<{ items: MessageView[] }>(
        [200],
        'GET',
        `/v2/conversations/${convId}/messages?limit=1`,
        token,
      );
      if (!page.items[0]) throw new Error(`chat ${convId} has no message to long-poll after`);
      this.loops.push(this.poll(convId, token, page.items[0].id));
    });
  }

  async close(): Promise<void> {
    this.stopped.abort();
    await Promise.all(this.loops);
  }

  private async poll(convId: string, token: string, after: string): Promise<void> {
    const signal = this.stopped.signal;
    while (!signal.aborted) {
      try {
        const res = await this.api.call<{ items: MessageView[] }>(
          'GET',
          `/v2/conversations/${convId}/messages?after=${after}&waitSeconds=25&limit=100`,
          token,
          { signal },
        );
        if (res.status !== 200) throw new Error(`long-poll answered ${res.status}`);
        const now = Date.now();
        for (const m of res.body.items) {
          after = m.id;
          if (m.kind !== 'transfer' || !m.transfer) continue;
          if (this.seenAt.has(m.transfer.transferId)) this.repeats++;
          else this.seenAt.set(m.transfer.transferId, now);
        }
      } catch {
        if (signal.aborted) return;
        this.errors++;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
}

export interface ExactlyOnce {
  transfers: number;
  once: number;
  missing: number;
  duplicated: number;
}

/** A document client for DynamoDB Local (dummy credentials); `destroy()` it when done. */
export function localDocumentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

/** The transfer ids of a chat's transfer messages, in the chat's order, straight from DynamoDB. */
export async function* transferMessages(db: DynamoDBDocumentClient, table: string, convId: string) {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': convPk(convId), ':from': MSG_FIRST, ':to': MSG_LAST },
        ProjectionExpression: 'transfer',
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const id = (item.transfer as { transferId?: string } | undefined)?.transferId;
      if (id) yield id;
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** How many of `transferIds` were shown once, never, or more than once (`shown`: id → times). */
export function exactlyOnce(transferIds: Iterable<string>, shown: Map<string, number>): ExactlyOnce {
  const result: ExactlyOnce = { transfers: 0, once: 0, missing: 0, duplicated: 0 };
  for (const id of transferIds) {
    result.transfers++;
    const n = shown.get(id) ?? 0;
    if (n === 0) result.missing++;
    else if (n === 1) result.once++;
    else result.duplicated++;
  }
  return result;
}

/** Reads every message of `chats` straight from DynamoDB: how often each of `transferIds` appears. */
export async function countTransferMessages(
  endpoint: string,
  table: string,
  chats: Chat[],
  transferIds: Iterable<string>,
): Promise<ExactlyOnce> {
  const db = localDocumentClient(endpoint);
  const times = new Map<string, number>();
  try {
    for (const { convId } of chats)
      for await (const id of transferMessages(db, table, convId)) times.set(id, (times.get(id) ?? 0) + 1);
  } finally {
    db.destroy();
  }
  return exactlyOnce(transferIds, times);
}
