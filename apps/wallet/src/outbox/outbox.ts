import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface OutboxEvent {
  /** e.g. `transfer.created`; consumers switch on it. */
  topic: string;
  aggregateId: string;
  /** Increases with every change of the aggregate, so a consumer can drop stale events. */
  version: number;
  payload: Record<string, unknown>;
}

/** Writes events in the caller's transaction: they exist if and only if the change committed. */
@Injectable()
export class Outbox {
  async enqueue(m: EntityManager, event: OutboxEvent): Promise<void> {
    await m.query('INSERT INTO outbox (topic, aggregate_id, version, payload) VALUES (?, ?, ?, ?)', [
      event.topic,
      event.aggregateId,
      event.version,
      JSON.stringify(event.payload),
    ]);
  }
}
