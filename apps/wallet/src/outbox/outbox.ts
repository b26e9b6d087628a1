import { Injectable } from '@nestjs/common';
import type { Statement } from '../db/statement';

export interface OutboxEvent {
  /** e.g. `transfer.created`; consumers switch on it. */
  topic: string;
  aggregateId: string;
  /** Increases with every change of the aggregate, so a consumer can drop stale events. */
  version: number;
  payload: Record<string, unknown>;
}

/** Events are written in the caller's transaction: they exist if and only if the change committed. */
@Injectable()
export class Outbox {
  /** The insert as a statement, to travel in the same round trip as the ledger's writes. */
  insert(event: OutboxEvent): Statement {
    return {
      sql: 'INSERT INTO outbox (topic, aggregate_id, version, payload) VALUES (?, ?, ?, ?)',
      params: [event.topic, event.aggregateId, event.version, JSON.stringify(event.payload)],
    };
  }
}
