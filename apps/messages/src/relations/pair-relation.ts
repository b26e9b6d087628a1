import { DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { directConversationId } from '@paychat/contracts';
import { APP_CONFIG } from '@paychat/platform';
import { BlocksRepository } from '../blocks/blocks.repository';
import type { ConversationMeta } from '../conversations/conversation';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { batchGetAll } from '../db/dynamo-helpers';
import { convPk, inboxSk, META, userPk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';

export interface PairRelationView {
  /** The pair's direct chat exists, or both are members of one group. */
  sharesChat: boolean;
  /** Either has blocked the other. */
  blocked: boolean;
}

/**
 * What the wallet asks before a payment request: do the two share a chat, and is there a block
 * between them. The direct chat is one GetItem (in parallel with the blocks' BatchGetItem); only
 * without it are both users' group inbox rows queried and intersected, and a common group's META
 * confirms both are still members (an inbox row can outlive a leave: a late fan-out recreates it).
 */
@Injectable()
export class PairRelation {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly conversations: ConversationsRepository,
    private readonly blocks: BlocksRepository,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  async lookup(a: string, b: string): Promise<PairRelationView> {
    const [blocked, direct] = await Promise.all([
      this.blocks.anyBetween(a, [b]),
      this.conversations.getMeta(directConversationId(a, b)),
    ]);
    return { blocked, sharesChat: !!direct || (await this.shareGroup(a, b)) };
  }

  private async shareGroup(a: string, b: string): Promise<boolean> {
    const [mine, theirs] = await Promise.all([this.groupsOf(a), this.groupsOf(b)]);
    const common = [...mine].filter((id) => theirs.has(id));
    if (common.length === 0) return false;
    const metas = await batchGetAll(
      this.db,
      this.table,
      common.map((id) => ({ PK: convPk(id), SK: META })),
    );
    return [...metas.values()].some((m) => {
      const members = (m as unknown as ConversationMeta).memberIds;
      return members.includes(a) && members.includes(b);
    });
  }

  /** The groups in a user's inbox: keys only, every page. */
  private async groupsOf(userId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :groups)',
          ExpressionAttributeValues: { ':pk': userPk(userId), ':groups': inboxSk('G-') },
          ProjectionExpression: 'SK',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) ids.add(String(item.SK).slice(inboxSk('').length));
      start = out.LastEvaluatedKey;
    } while (start);
    return ids;
  }
}
