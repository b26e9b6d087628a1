import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { dedupeSk, parseMessageId } from '../db/keys';
import { MessageLog } from '../messages/message-log';
import { ConversationView, MAX_MEMBERS } from './conversation';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { ulid } from 'ulid';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const notGroup = () => new AppError('not_group_conversation', 'A direct chat has exactly two members');

/**
 * Group membership changes. Each is a `system` message in the same transaction as the META update
 * (conditional on the sequence, like every message), so membership and history never disagree.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly log: MessageLog,
    private readonly conversations: ConversationsRepository,
    private readonly service: ConversationsService,
  ) {}

  async add(convId: string, actorId: string, userIds: string[]): Promise<ConversationView> {
    const meta = await this.conversations.getForMember(convId, actorId);
    if (meta.kind !== 'group') throw notGroup();
    const newcomers = userIds.filter((id) => !meta.memberIds.includes(id));
    if (newcomers.length === 0) return this.conversations.view(meta, actorId);
    await this.service.assertMayJoin(actorId, newcomers);
    let joined: string[] = [];
    const { message } = await this.log.append(
      convId,
      { senderId: actorId, kind: 'system', text: `added ${plural(newcomers.length, 'member')}` },
      {
        dedupeSk: dedupeSk('system', ulid()),
        allowed: (m) => m.kind === 'group' && m.memberIds.includes(actorId),
        change: (m) => {
          joined = newcomers.filter((id) => !m.memberIds.includes(id));
          const members = [...m.memberIds, ...joined];
          if (members.length > MAX_MEMBERS)
            throw new AppError('member_limit_exceeded', `A group has at most ${MAX_MEMBERS} members`);
          // Newcomers read from this very message on; entries of members who left are dropped.
          const historyFrom = Object.fromEntries([
            ...Object.entries(m.historyFrom ?? {}).filter(([id]) => m.memberIds.includes(id)),
            ...joined.map((id) => [id, m.lastSeq + 1]),
          ]);
          return {
            set: 'memberIds = :members, historyFrom = :from',
            values: { ':members': members, ':from': historyFrom },
            members,
          };
        },
      },
    );
    // Newcomers start with everything so far read; their rows are idempotent puts (batched: ≤ 99).
    const seq = parseMessageId(message.id)!.seq;
    await this.conversations.addInboxRows(joined, convId, message.createdAt, seq);
    return this.service.get(convId, actorId);
  }

  async leave(convId: string, userId: string): Promise<void> {
    const meta = await this.conversations.getForMember(convId, userId);
    if (meta.kind !== 'group') throw notGroup();
    await this.log.append(
      convId,
      { senderId: userId, kind: 'system', text: 'left the chat' },
      {
        dedupeSk: dedupeSk('system', ulid()),
        allowed: (m) => m.memberIds.includes(userId),
        change: (m) => {
          const members = m.memberIds.filter((id) => id !== userId);
          return {
            set: 'memberIds = :members',
            values: { ':members': members },
            members,
            senderLeaves: true,
          };
        },
      },
    );
  }
}
