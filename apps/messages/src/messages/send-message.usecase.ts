import { Injectable } from '@nestjs/common';
import { dedupeSk } from '../db/keys';
import type { MessageView } from './message';
import { MessageLog } from './message-log';

/** A member sends a text; the same clientMessageId again (however concurrent) returns the first one. */
@Injectable()
export class SendMessage {
  constructor(private readonly log: MessageLog) {}

  execute(
    convId: string,
    senderId: string,
    clientMessageId: string,
    text: string,
  ): Promise<{ created: boolean; message: MessageView }> {
    return this.log.append(
      convId,
      { senderId, kind: 'text', text },
      {
        dedupeSk: dedupeSk(`client#${senderId}`, clientMessageId),
        allowed: (m) => m.memberIds.includes(senderId),
      },
    );
  }
}
