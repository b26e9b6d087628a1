import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRepository } from '../outbox/outbox.repository';

/** How the event pipeline keeps up: what waits for delivery, since when, and what waits for an operator. */
@Injectable()
export class OutboxStatus {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
  ) {}

  async execute() {
    const m = this.dataSource.manager;
    const [backlog, rejected] = await Promise.all([this.outbox.backlog(m), this.outbox.rejectedCount(m)]);
    return {
      backlog: backlog.events,
      oldestWaitingAt: backlog.oldestAt?.toISOString() ?? null,
      oldestWaitingAgeSeconds: Math.round(backlog.oldestAgeSeconds * 1000) / 1000,
      rejected,
    };
  }
}
