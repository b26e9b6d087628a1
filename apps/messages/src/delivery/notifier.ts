import { Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository';
import type { MessageView } from '../messages/message';

export interface Notification {
  userId: string;
  message: MessageView;
}

/**
 * The push port: called (never awaited by a send) for members who are not long-polling the chat.
 * Production plugs in an FCM/APNs or SNS adapter; the local one logs what it would push.
 */
export abstract class Notifier {
  abstract notify(notification: Notification): Promise<void>;
}

@Injectable()
export class LoggingNotifier implements Notifier {
  private readonly logger = new Logger('Push');

  constructor(private readonly devices: DevicesRepository) {}

  async notify({ userId, message }: Notification): Promise<void> {
    const devices = await this.devices.pushTargets(userId);
    if (devices.length === 0) return;
    // Never the text itself (personal data) nor the tokens: who, where, what kind, how many devices.
    this.logger.log(
      {
        userId,
        conversationId: message.conversationId,
        messageId: message.id,
        kind: message.kind,
        devices: devices.map((d) => d.platform),
      },
      'push',
    );
  }
}
