import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ConversationsRepository } from './conversations.repository';

const MAX_KNOWN = 100_000;

/**
 * "Is the caller a member, and from which message on may they read?" for history reads and
 * long-polls, which ask it on every request and wake. A direct chat's members are named by its id
 * and never change (nobody leaves a direct chat, and a chat is never deleted), and both read it
 * all, so once a member has been seen in one, this instance answers without a read. A group is
 * read every time: a member who left gets 404 at once.
 */
@Injectable()
export class Membership {
  private readonly direct = new LRUCache<string, true>({ max: MAX_KNOWN });

  constructor(private readonly conversations: ConversationsRepository) {}

  /** The first message seq the member may read; 404 (AppError) for anyone else, as for an unknown id. */
  async check(convId: string, userId: string): Promise<number> {
    const key = `${convId}|${userId}`;
    if (this.direct.has(key)) return 1;
    const meta = await this.conversations.getForMember(convId, userId);
    if (meta.kind === 'direct') this.direct.set(key, true);
    return meta.historyFrom?.[userId] ?? 1;
  }
}
