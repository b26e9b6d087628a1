import { Injectable } from '@nestjs/common';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { AdminContext } from './audit';
import { OutboxIntervention } from './outbox-intervention';

/**
 * A rejected (or dismissed) event is due for the relay again at once — after the consumer was
 * fixed. It stays listed as rejected until the relay delivers it, or is rejected again.
 */
@Injectable()
export class RetryOutboxEvent {
  constructor(
    private readonly intervention: OutboxIntervention,
    private readonly outbox: OutboxRepository,
  ) {}

  execute(who: AdminContext, eventId: string, reason: string) {
    return this.intervention.apply(who, eventId, {
      action: 'outbox.retry',
      allowed: ['rejected', 'dismissed'],
      reason,
      write: (m) => this.outbox.retryNow(m, eventId),
    });
  }
}
