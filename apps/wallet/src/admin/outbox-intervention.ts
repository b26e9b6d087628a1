import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { DataSource } from 'typeorm';
import type { Sql } from '../db/sql';
import { inTransaction } from '../db/transaction';
import { type EventState, OutboxRepository, type RejectedEventView } from '../outbox/outbox.repository';
import { type AdminContext, Audit } from './audit';

const REFUSALS: Record<EventState, string> = {
  delivered: 'The event was delivered',
  pending: 'The event was not rejected: the relay delivers it',
  rejected: 'The event is rejected',
  dismissed: 'The event was dismissed before',
};

/**
 * An operator's actions on one outbox event, each in one transaction with its audit entry: the
 * row is locked (the relay's claim skips it meanwhile), refused unless in one of the states the
 * action allows (404 unknown, 409 event_not_rejected otherwise, so a repeat changes nothing),
 * changed, and shown as it is now. The lock does not reach a delivery already in flight: one the
 * relay took just before may still land (delivered wins) or arrive twice after a retry (the
 * consumer applies an event id once).
 */
@Injectable()
export class OutboxIntervention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly audit: Audit,
  ) {}

  /**
   * A rejected (or dismissed) event is due for the relay again at once — after the consumer was
   * fixed. It stays listed as rejected until the relay delivers it, or is rejected again.
   */
  retry(who: AdminContext, eventId: string, reason: string) {
    return this.apply(who, eventId, {
      action: 'outbox.retry',
      allowed: ['rejected', 'dismissed'],
      reason,
      write: (m) => this.outbox.retryNow(m, eventId),
    });
  }

  /** A rejected event an operator gave up on: never retried, no longer counted; kept for the record. */
  dismiss(who: AdminContext, eventId: string, reason: string) {
    return this.apply(who, eventId, {
      action: 'outbox.dismiss',
      allowed: ['rejected'],
      reason,
      write: (m) => this.outbox.dismiss(m, eventId),
    });
  }

  private apply(
    who: AdminContext,
    eventId: string,
    step: { action: string; allowed: EventState[]; reason: string; write: (m: Sql) => Promise<void> },
  ): Promise<RejectedEventView & { state: EventState }> {
    return inTransaction(this.dataSource, async (m) => {
      const found = await this.outbox.lockForOperator(m, eventId);
      if (!found) throw new AppError('not_found', 'No such event');
      if (!step.allowed.includes(found.state))
        throw new AppError('event_not_rejected', REFUSALS[found.state]);
      await step.write(m);
      await this.audit.record(m, who, {
        action: step.action,
        targetType: 'outbox_event',
        targetId: eventId,
        details: { reason: step.reason, topic: found.event.topic, aggregateId: found.event.aggregateId },
      });
      const now = (await this.outbox.lockForOperator(m, eventId))!;
      return { ...now.event, state: now.state };
    });
  }
}
