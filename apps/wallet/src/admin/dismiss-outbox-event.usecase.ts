import { Injectable } from '@nestjs/common';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { AdminContext } from './audit';
import { OutboxIntervention } from './outbox-intervention';

/** A rejected event an operator gave up on: never retried, no longer counted; kept for the record. */
@Injectable()
export class DismissOutboxEvent {
  constructor(
    private readonly intervention: OutboxIntervention,
    private readonly outbox: OutboxRepository,
  ) {}

  execute(who: AdminContext, eventId: string, reason: string) {
    return this.intervention.apply(who, eventId, {
      action: 'outbox.dismiss',
      allowed: ['rejected'],
      reason,
      write: (m) => this.outbox.dismiss(m, eventId),
    });
  }
}
