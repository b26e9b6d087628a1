import { Injectable } from '@nestjs/common';
import { BoundedMap } from '../bounded-map';
import { ConversationsRepository } from './conversations.repository';

const MAX_KNOWN = 100_000;

/**
 * "Is the caller a member?" for history reads and long-polls, which ask it on every request and
 * wake. A direct chat's members are named by its id and never change (nobody leaves a direct
 * chat, and a chat is never deleted), so once a member has been seen in one, this instance
 * answers without a read. A group is read every time: a member who left gets 404 at once.
 */
@Injectable()
export class Membership {
  private readonly direct = new BoundedMap<string, true>(MAX_KNOWN);

  constructor(private readonly conversations: ConversationsRepository) {}

  /** Resolves for a member; 404 (AppError) for anyone else, exactly as for an unknown id. */
  async check(convId: string, userId: string): Promise<void> {
    const key = `${convId}|${userId}`;
    if (this.direct.has(key)) return;
    const meta = await this.conversations.getForMember(convId, userId);
    if (meta.kind === 'direct') this.direct.set(key, true);
  }
}
