import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import {
  type ChatEvent,
  type ChatEventResult,
  PAYMENT_REQUEST_CHANGED,
  TRANSFER_CREATED,
} from '@paychat/contracts';
import { Metrics } from '@paychat/telemetry';
import { SYSTEM_MESSAGE } from './event-plan';

/** Topics this service posts; another (topics only ever grow) is labelled `other`, so the label stays bounded. */
const KNOWN_TOPICS = new Set([TRANSFER_CREATED, PAYMENT_REQUEST_CHANGED, SYSTEM_MESSAGE]);

/**
 * What became of the relayed events: each by topic and outcome (applied, duplicate, rejected,
 * failed), and for each applied one, how long after the change in the wallet (`occurredAt`) its
 * chat was written — the delay a user sees between paying and the message.
 */
@Injectable()
export class EventMetrics {
  private readonly applied: Counter<'topic' | 'result'>;
  private readonly lag: Histogram<'topic'>;

  constructor(metrics: Metrics) {
    this.applied = metrics.counter({
      name: 'messages_events_applied_total',
      help: 'Relayed events by topic and outcome',
      labelNames: ['topic', 'result'],
    });
    this.lag = metrics.histogram({
      name: 'messages_chat_delivery_lag_seconds',
      help: 'From the change in the wallet (occurredAt) to its chat message written, by topic',
      labelNames: ['topic'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    });
  }

  /** One batch, written: its events and their results, in request order. */
  record(events: ChatEvent[], results: ChatEventResult[]): void {
    const now = Date.now();
    events.forEach((event, i) => {
      const topic = KNOWN_TOPICS.has(event.topic) ? event.topic : 'other';
      const result = results[i].outcome;
      this.applied.inc({ topic, result });
      if (result === 'applied' && event.occurredAt)
        this.lag.observe({ topic }, Math.max(0, now - Date.parse(event.occurredAt)) / 1000);
    });
  }
}
