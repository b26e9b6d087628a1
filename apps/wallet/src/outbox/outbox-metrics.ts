import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '@paychat/telemetry';
import { ScrapeTimeReading } from '../metrics/scrape-time-reading';
import type { DeliveryPath } from './outbox-delivery';
import type { PublishedEvent } from './outbox-publisher';
import { OutboxRepository } from './outbox.repository';

/**
 * How the outbox keeps up: its backlog and the age of its oldest event (read from the table at
 * scrape time), each batch's size, each event's time from its write to its delivery, and the
 * events the consumer refused.
 */
@Injectable()
export class OutboxMetrics {
  private readonly lag: Histogram<'path'>;
  private readonly batchSize: Histogram<'path'>;
  private readonly rejections: Counter<'topic'>;

  constructor(metrics: Metrics, dataSource: DataSource, rows: OutboxRepository) {
    const backlog = new ScrapeTimeReading('outbox backlog', () => rows.backlog(dataSource));
    backlog.gauge(
      metrics,
      { name: 'wallet_outbox_backlog_events', help: 'Outbox events not delivered yet (rejected ones aside)' },
      (b) => [{ value: b.events }],
    );
    backlog.gauge(
      metrics,
      {
        name: 'wallet_outbox_oldest_undelivered_age_seconds',
        help: 'Age of the oldest outbox event not delivered yet (rejected ones aside); 0 when none',
      },
      (b) => [{ value: b.oldestAgeSeconds }],
    );
    this.lag = metrics.histogram({
      name: 'wallet_outbox_delivery_lag_seconds',
      help: 'From an event written (its transaction committing) to the consumer having applied it',
      labelNames: ['path'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    });
    this.batchSize = metrics.histogram({
      name: 'wallet_outbox_batch_size_events',
      help: 'Events per batch call to the consumer',
      labelNames: ['path'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    });
    this.rejections = metrics.counter({
      name: 'wallet_outbox_rejected_events_total',
      help: 'Events the consumer refused as they are (they wait for someone to look)',
      labelNames: ['topic'],
    });
  }

  batchSent(path: DeliveryPath, events: number): void {
    this.batchSize.observe({ path }, events);
  }

  /** Events recorded as delivered just now. */
  delivered(path: DeliveryPath, events: PublishedEvent[]): void {
    const now = Date.now();
    for (const e of events) this.lag.observe({ path }, Math.max(0, now - Date.parse(e.occurredAt)) / 1000);
  }

  rejected(topic: string): void {
    this.rejections.inc({ topic });
  }
}
