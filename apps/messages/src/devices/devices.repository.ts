import { createHash } from 'node:crypto';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import { LRUCache } from 'lru-cache';
import { cancelReasons, pause } from '../db/dynamo-helpers';
import { DEVICE_PREFIX, devicePk, deviceSk, OWNER, userPk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';

export type Platform = 'ios' | 'android';

export interface Device {
  platform: Platform;
  token: string;
}

const MAX_ATTEMPTS = 20;
/** Push targets are looked up per delivered message; tokens change rarely, so they are cached briefly. */
const TARGETS_TTL_MS = 60_000;
const TARGETS_MAX = 50_000;
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Push tokens. A token belongs to one device and so to one user at a time: registering it moves it
 * to the latest user (the phone changed hands or accounts), in one transaction with its owner item.
 */
@Injectable()
export class DevicesRepository {
  private readonly table: string;
  private readonly targets = new LRUCache<string, Device[]>({ max: TARGETS_MAX, ttl: TARGETS_TTL_MS });

  constructor(
    private readonly db: DynamoDBDocumentClient,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  async register(userId: string, device: Device): Promise<void> {
    this.targets.clear(); // the token may have moved from another user: drop what this instance knew
    const hash = hashOf(device.token);
    for (let attempt = 0; ; attempt++) {
      const owner = await this.owner(hash);
      const now = new Date().toISOString();
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: { PK: devicePk(hash), SK: OWNER, userId },
                  // Optimistic: the owner is still the one read (or there is none).
                  ConditionExpression: owner ? 'userId = :old' : 'attribute_not_exists(PK)',
                  ...(owner ? { ExpressionAttributeValues: { ':old': owner } } : {}),
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { PK: userPk(userId), SK: deviceSk(hash), ...device, updatedAt: now },
                },
              },
              ...(owner && owner !== userId
                ? [{ Delete: { TableName: this.table, Key: { PK: userPk(owner), SK: deviceSk(hash) } } }]
                : []),
            ],
          }),
        );
        return;
      } catch (err) {
        if (!cancelReasons(err) || attempt >= MAX_ATTEMPTS) throw err;
        await pause(attempt);
      }
    }
  }

  /** Idempotent: a token that is not (or no longer) mine is left alone. */
  async unregister(userId: string, token: string): Promise<void> {
    this.targets.delete(userId);
    const hash = hashOf(token);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: { PK: devicePk(hash), SK: OWNER },
                ConditionExpression: 'userId = :me',
                ExpressionAttributeValues: { ':me': userId },
              },
            },
            { Delete: { TableName: this.table, Key: { PK: userPk(userId), SK: deviceSk(hash) } } },
          ],
        }),
      );
    } catch (err) {
      if (!cancelReasons(err)) throw err;
    }
  }

  async forUser(userId: string): Promise<Device[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :u AND begins_with(SK, :d)',
        ExpressionAttributeValues: { ':u': userPk(userId), ':d': DEVICE_PREFIX },
      }),
    );
    return (out.Items ?? []).map((i) => ({ platform: i.platform as Platform, token: i.token as string }));
  }

  /** `forUser`, cached for up to a minute (a stale token costs one failed push, not a lost message). */
  async pushTargets(userId: string): Promise<Device[]> {
    const hit = this.targets.get(userId);
    if (hit) return hit;
    const devices = await this.forUser(userId);
    this.targets.set(userId, devices);
    return devices;
  }

  private async owner(hash: string): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { PK: devicePk(hash), SK: OWNER }, ConsistentRead: true }),
    );
    return out.Item?.userId as string | undefined;
  }
}
