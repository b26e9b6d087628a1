import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { BlocksRepository } from '../blocks/blocks.repository';
import { WalletDirectory } from '../users/wallet-directory';
import type { ConversationView } from './conversation';
import { ConversationsRepository } from './conversations.repository';

const invalid = (message: string) =>
  new AppError('validation_failed', 'Request is invalid', [{ field: 'memberIds', message }]);

/**
 * Starting chats: one other member makes the pair's direct chat, more make a group. Nobody is put
 * in a chat with the caller across a block (either way): 403 `blocked`, nothing written.
 */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly directory: WalletDirectory,
    private readonly blocks: BlocksRepository,
  ) {}

  async create(
    callerId: string,
    memberIds: string[],
    title: string | undefined,
  ): Promise<{ created: boolean; view: ConversationView }> {
    if (memberIds.includes(callerId)) throw invalid('must not include the caller (always a member)');
    await this.assertMayJoin(callerId, memberIds);
    if (memberIds.length === 1) {
      if (title) throw invalid('a direct chat (one other member) has no title');
      const { created, meta } = await this.conversations.ensureDirect(callerId, memberIds[0]);
      return { created, view: await this.conversations.view(meta, callerId) };
    }
    const meta = await this.conversations.createGroup([callerId, ...memberIds], title);
    return { created: true, view: await this.conversations.view(meta, callerId) };
  }

  async get(convId: string, userId: string): Promise<ConversationView> {
    return this.conversations.view(await this.conversations.getForMember(convId, userId), userId);
  }

  /**
   * `userIds` may be put in a chat by `actorId`: active users of the wallet now (unknown or
   * disabled → 404), and no block between the actor and any of them (403).
   */
  async assertMayJoin(actorId: string, userIds: string[]): Promise<void> {
    const active = await this.directory.activeUsers(userIds);
    if (userIds.some((id) => !active.has(id)))
      throw new AppError('recipient_not_found', 'A member is not an active user');
    await this.blocks.assertNone(actorId, userIds);
  }
}
