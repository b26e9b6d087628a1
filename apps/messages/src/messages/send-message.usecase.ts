import { Injectable } from '@nestjs/common';
import { directPair } from '@paychat/contracts';
import { blockedError, BlocksRepository } from '../blocks/blocks.repository';
import { dedupeSk } from '../db/keys';
import type { MessageView } from './message';
import { MessageLog } from './message-log';

/**
 * A member sends a text; the same clientMessageId again (however concurrent) returns the first one.
 * In a direct chat, a block either way refuses it (403 `blocked`): checked in the message's own
 * transaction, so no message commits after the block does. A group's messages are not filtered.
 */
@Injectable()
export class SendMessage {
  constructor(
    private readonly log: MessageLog,
    private readonly blocks: BlocksRepository,
  ) {}

  execute(
    convId: string,
    senderId: string,
    clientMessageId: string,
    text: string,
  ): Promise<{ created: boolean; message: MessageView }> {
    const pair = directPair(convId);
    return this.log.append(
      convId,
      { senderId, kind: 'text', text },
      {
        dedupeSk: dedupeSk(`client#${senderId}`, clientMessageId),
        allowed: (m) => m.memberIds.includes(senderId),
        guard: pair ? { items: this.blocks.guard(...pair), refusal: blockedError } : undefined,
      },
    );
  }
}
