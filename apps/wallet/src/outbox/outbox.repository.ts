import { Injectable } from '@nestjs/common';
import { placeholders } from '../db/placeholders';
import { changedRows, selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { Statement } from '../db/statement';
import type { OutboxEvent } from './outbox';
import type { EventOrigin, PublishedEvent } from './outbox-publisher';

/** Short: when the messages service is back, every waiting chat moves again within seconds. */
const MAX_BACKOFF_SECONDS = 10;
/** An event the consumer rejected will not fix itself soon: it is tried rarely, until someone looks. */
const MAX_REJECTED_BACKOFF_SECONDS = 300;
/** The trace_context column's size. */
const MAX_TRACE_CONTEXT = 1024;
/** The backlog is counted up to this: a scrape stays cheap in an outage, and beyond it the figure changes nothing. */
const MAX_BACKLOG_COUNTED = 100_000;

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  aggregate_id: string;
  ordering_key: string;
  version: number;
  payload: string;
  trace_context: string | null;
  request_id: string | null;
  created_at: Date;
}

const toEvent = (r: OutboxRow): PublishedEvent => ({
  id: r.event_id,
  topic: r.topic,
  aggregateId: r.aggregate_id,
  orderingKey: r.ordering_key,
  version: r.version,
  occurredAt: r.created_at.toISOString(),
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  traceContext: r.trace_context ? (JSON.parse(r.trace_context) as Record<string, string>) : null,
  requestId: r.request_id,
});

/** The trace context as stored: one too long for its column keeps its traceparent (tracestate is optional). */
function traceContextColumn(context: EventOrigin['traceContext']): string | null {
  if (!context) return null;
  const json = JSON.stringify(context);
  return json.length <= MAX_TRACE_CONTEXT ? json : JSON.stringify({ traceparent: context.traceparent });
}

/** The events waiting for delivery (rejected ones aside) and the age of the oldest. */
export interface OutboxBacklog {
  events: number;
  oldestAgeSeconds: number;
  /** When the oldest was written; null when none waits. */
  oldestAt: Date | null;
}

/** An event the consumer rejected, as an operator sees it. */
export interface RejectedEventView {
  id: string;
  topic: string;
  aggregateId: string;
  createdAt: string;
  rejectedAt: string | null;
  dismissedAt: string | null;
  attempts: number;
  error: string | null;
  requestId: string | null;
}

/** Where an event is, for an operator's retry or dismissal. */
export type EventState = 'delivered' | 'pending' | 'rejected' | 'dismissed';

/** One minute of delivered events: how many, and how long they took from write to delivery. */
export interface DeliveryMinute {
  minute: string;
  delivered: number;
  avgLagMs: number;
  maxLagMs: number;
}

interface RejectedRow {
  id: string;
  event_id: string;
  topic: string;
  aggregate_id: string;
  created_at: Date;
  rejected_at: Date | null;
  dismissed_at: Date | null;
  delivered_at: Date | null;
  attempts: number;
  last_error: string | null;
  request_id: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const toRejectedView = (r: RejectedRow): RejectedEventView => ({
  id: r.event_id,
  topic: r.topic,
  aggregateId: r.aggregate_id,
  createdAt: new Date(r.created_at).toISOString(),
  rejectedAt: iso(r.rejected_at),
  dismissedAt: iso(r.dismissed_at),
  attempts: Number(r.attempts),
  error: r.last_error,
  requestId: r.request_id,
});

const stateOf = (r: RejectedRow): EventState =>
  r.delivered_at ? 'delivered' : r.dismissed_at ? 'dismissed' : r.rejected_at ? 'rejected' : 'pending';

/** The rejected events nobody dismissed (delivery clears rejected_at): ix_outbox_rejected. */
const LIVE_REJECTED = 'dismissed_at IS NULL AND rejected_at IS NOT NULL AND delivered_at IS NULL';

const REJECTED_COLUMNS =
  'id, event_id, topic, aggregate_id, created_at, rejected_at, dismissed_at, delivered_at, attempts, last_error, request_id';

/** What one delivery came to, by event id: each outcome is written in the same round trip. */
export interface DeliveryOutcomes {
  delivered: string[];
  /** Failed events, held back with their chats (one error for them all). */
  failed?: { ids: string[]; error: string };
  rejected: { id: string; error: string }[];
}

/** The `outbox` table: every statement that reads or writes it (the other outbox files call these). */
@Injectable()
export class OutboxRepository {
  /** A new event's row, for the writer's round trip; the relay may take it once `leaseMs` has passed. */
  insert(
    event: OutboxEvent & EventOrigin & { eventId: string; occurredAt: Date },
    leaseMs: number,
  ): Statement {
    return {
      sql: `INSERT INTO outbox (event_id, topic, aggregate_id, ordering_key, version, payload, trace_context, request_id, created_at, available_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3) + INTERVAL ? MICROSECOND)`,
      params: [
        event.eventId,
        event.topic,
        event.aggregateId,
        event.orderingKey,
        event.version,
        JSON.stringify(event.payload),
        traceContextColumn(event.traceContext),
        event.requestId,
        event.occurredAt,
        leaseMs * 1000,
      ],
    };
  }

  /**
   * In `m`'s transaction: claims up to `limit` due events, in order, each only with every older
   * pending event of its chat (OutboxRelay's rule), and leases them to the caller for `leaseMs`.
   */
  async claimDue(m: Sql, limit: number, leaseMs: number): Promise<PublishedEvent[]> {
    const rows = (await m.query(
      `SELECT o.id, o.event_id, o.topic, o.aggregate_id, o.ordering_key, o.version, o.payload, o.trace_context, o.request_id, o.created_at
       FROM outbox o
       WHERE o.delivered_at IS NULL AND o.available_at <= CURRENT_TIMESTAMP(3) AND o.dismissed_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key AND e.delivered_at IS NULL AND e.rejected_at IS NULL
                         AND e.id < o.id AND e.available_at > CURRENT_TIMESTAMP(3))
       ORDER BY o.id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    )) as OutboxRow[];
    const claimed = await firstInLine(m, rows);
    if (claimed.length > 0) {
      await m.query(
        `UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) + INTERVAL ? MICROSECOND
         WHERE id IN (${placeholders(claimed.length)})`,
        [leaseMs * 1000, ...claimed.map((r) => r.id)],
      );
    }
    return claimed.map(toEvent);
  }

  /**
   * Of `eventIds`, those that committed, are still undelivered, and have no older undelivered
   * event in their chat outside `eventIds` — one indexed read.
   */
  async deliverable(m: Sql, eventIds: string[]): Promise<Set<string>> {
    const rows = (await m.query(
      `SELECT o.event_id FROM outbox o
       WHERE o.event_id IN (${placeholders(eventIds.length)}) AND o.delivered_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key AND e.delivered_at IS NULL AND e.rejected_at IS NULL
                         AND e.id < o.id AND e.event_id NOT IN (${placeholders(eventIds.length)}))`,
      [...eventIds, ...eventIds],
    )) as { event_id: string }[];
    return new Set(rows.map((r) => r.event_id));
  }

  /** Moves the undelivered ones of `eventIds` a whole `leaseMs` ahead. */
  async extendLease(m: Sql, eventIds: string[], leaseMs: number): Promise<void> {
    await m.query(
      `UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) + INTERVAL ? MICROSECOND
       WHERE event_id IN (${placeholders(eventIds.length)}) AND delivered_at IS NULL`,
      [leaseMs * 1000, ...eventIds],
    );
  }

  /**
   * Writes a delivery's outcomes in one round trip: everything applied is marked delivered by one
   * statement, the failed events' chats are held back together, each rejected event alone.
   */
  async recordOutcomes(m: Sql, outcomes: DeliveryOutcomes): Promise<void> {
    const statements: Statement[] = [];
    const { delivered, failed, rejected } = outcomes;
    if (delivered.length)
      statements.push({
        sql: `UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3), last_error = NULL, rejected_at = NULL
              WHERE event_id IN (${placeholders(delivered.length)})`,
        params: delivered,
      });
    if (failed) statements.push(holdChats(failed.ids, failed.error));
    for (const r of rejected) statements.push(reject(r.id, r.error));
    if (statements.length === 0) return;
    await m.query(
      statements.map((s) => s.sql).join(';\n'),
      statements.flatMap((s) => s.params),
    );
  }

  /**
   * The events waiting for delivery and the age of the oldest (by the database's clock). Rejected
   * ones are left out: they wait for someone to look (wallet_outbox_rejected_events_total says so),
   * and would otherwise keep the age climbing however well delivery runs.
   */
  async backlog(m: Sql): Promise<OutboxBacklog> {
    const row = await selectOne<{ n: string; age_us: string | null; oldest: Date | null }>(
      m,
      `SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(created_at), CURRENT_TIMESTAMP(3)) AS age_us,
              MIN(created_at) AS oldest
       FROM (SELECT created_at FROM outbox WHERE delivered_at IS NULL AND rejected_at IS NULL
             LIMIT ${MAX_BACKLOG_COUNTED}) pending`,
      [],
    );
    return {
      events: toSafeInt(row!.n),
      oldestAgeSeconds: Math.max(0, Number(row!.age_us ?? 0) / 1e6),
      oldestAt: row!.oldest ? new Date(row!.oldest) : null,
    };
  }

  /** How many rejected events wait for an operator (counted up to the backlog's cap). */
  async rejectedCount(m: Sql): Promise<number> {
    const row = await selectOne<{ n: string }>(
      m,
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbox WHERE ${LIVE_REJECTED} LIMIT ${MAX_BACKLOG_COUNTED}) r`,
      [],
    );
    return toSafeInt(row!.n);
  }

  /** The rejected events nobody dismissed, newest first, below row id `belowId`. */
  async rejectedPage(
    m: Sql,
    limit: number,
    belowId: number,
  ): Promise<(RejectedEventView & { rowId: number })[]> {
    const rows = (await m.query(
      `SELECT ${REJECTED_COLUMNS} FROM outbox WHERE ${LIVE_REJECTED} AND id < ? ORDER BY id DESC LIMIT ?`,
      [belowId, limit],
    )) as RejectedRow[];
    return rows.map((r) => ({ ...toRejectedView(r), rowId: toSafeInt(r.id) }));
  }

  /** In `m`'s transaction: the event, locked against the relay's claim, and where it stands; undefined if unknown. */
  async lockForOperator(
    m: Sql,
    eventId: string,
  ): Promise<{ event: RejectedEventView; state: EventState } | undefined> {
    const row = await selectOne<RejectedRow>(
      m,
      `SELECT ${REJECTED_COLUMNS} FROM outbox WHERE event_id = ? FOR UPDATE`,
      [eventId],
    );
    return row && { event: toRejectedView(row), state: stateOf(row) };
  }

  /** A rejected (or dismissed) event is due for the relay again at once; it stays rejected until delivered. */
  async retryNow(m: Sql, eventId: string): Promise<void> {
    await m.query(
      `UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3), dismissed_at = NULL
       WHERE event_id = ? AND delivered_at IS NULL AND rejected_at IS NOT NULL`,
      [eventId],
    );
  }

  /** A rejected event is neither retried nor counted any more (kept for the record). */
  async dismiss(m: Sql, eventId: string): Promise<void> {
    await m.query(
      `UPDATE outbox SET dismissed_at = CURRENT_TIMESTAMP(3)
       WHERE event_id = ? AND ${LIVE_REJECTED}`,
      [eventId],
    );
  }

  /**
   * Events delivered since `since`, per minute of delivery, with their write-to-delivery lag
   * (ix_outbox_pending's delivered_at range; delivered rows are kept a day, so 24 h is covered).
   */
  async deliveryLagPerMinute(m: Sql, since: Date): Promise<DeliveryMinute[]> {
    const rows = (await m.query(
      `SELECT DATE_FORMAT(delivered_at, '%Y-%m-%dT%H:%i:00.000Z') AS minute, COUNT(*) AS n,
              AVG(TIMESTAMPDIFF(MICROSECOND, created_at, delivered_at)) AS avg_us,
              MAX(TIMESTAMPDIFF(MICROSECOND, created_at, delivered_at)) AS max_us
       FROM outbox WHERE delivered_at >= ? GROUP BY minute`,
      [since],
    )) as { minute: string; n: string; avg_us: string; max_us: string }[];
    return rows.map((r) => ({
      minute: r.minute,
      delivered: toSafeInt(r.n),
      avgLagMs: Math.max(0, Math.round(Number(r.avg_us) / 1000)),
      maxLagMs: Math.max(0, Math.round(Number(r.max_us) / 1000)),
    }));
  }

  /** Deletes up to `limit` events delivered over a day ago (the janitor's); returns how many. */
  purgeDelivered(m: Sql, limit: number): Promise<number> {
    return changedRows(
      m,
      'DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < CURRENT_TIMESTAMP(3) - INTERVAL 1 DAY LIMIT ?',
      [limit],
    );
  }
}

/**
 * The rows with no older pending (undelivered, not rejected) event of their chat outside `rows`.
 * The claim's own check sees events in backoff or leased; this one also sees those SKIP LOCKED
 * passed over because another relay is claiming them at this very moment (not leased yet).
 */
async function firstInLine(m: Sql, rows: OutboxRow[]): Promise<OutboxRow[]> {
  if (rows.length === 0) return rows;
  const chats = [...new Set(rows.map((r) => r.ordering_key))];
  const ids = rows.map((r) => r.id);
  const blockers = (await m.query(
    `SELECT ordering_key, MIN(id) AS id FROM outbox
     WHERE ordering_key IN (${placeholders(chats.length)}) AND delivered_at IS NULL AND rejected_at IS NULL
       AND id NOT IN (${placeholders(ids.length)})
     GROUP BY ordering_key`,
    [...chats, ...ids],
  )) as { ordering_key: string; id: string }[];
  const blocker = new Map(blockers.map((b) => [b.ordering_key, BigInt(b.id)]));
  return rows.filter((r) => {
    const first = blocker.get(r.ordering_key);
    return first === undefined || BigInt(r.id) < first;
  });
}

/** Exponential in `attempts`, capped. */
const backoff = (attempts: string, capSeconds: number) =>
  `CURRENT_TIMESTAMP(3) + INTERVAL LEAST(${capSeconds}, POW(2, LEAST(${attempts}, 9))) SECOND`;

/**
 * The failed events' chats wait together: every failed event of a chat becomes due at the same
 * time, from the chat's most-tried one, so none of them can leave before the first.
 */
function holdChats(ids: string[], error: string): Statement {
  const inIds = `event_id IN (${placeholders(ids.length)})`;
  return {
    sql: `UPDATE outbox o JOIN (SELECT ordering_key, MAX(attempts) AS attempts FROM outbox WHERE ${inIds}
                              GROUP BY ordering_key) chat ON chat.ordering_key = o.ordering_key
          SET o.attempts = o.attempts + 1, o.last_error = ?, o.available_at = ${backoff('chat.attempts', MAX_BACKOFF_SECONDS)}
          WHERE o.${inIds}`,
    params: [...ids, error.slice(0, 255), ...ids],
  };
}

/** An event the consumer rejected is retried rarely and stops holding up its chat. */
function reject(id: string, error: string): Statement {
  return {
    sql: `UPDATE outbox SET attempts = attempts + 1, last_error = ?, rejected_at = CURRENT_TIMESTAMP(3),
            available_at = ${backoff('attempts', MAX_REJECTED_BACKOFF_SECONDS)}
          WHERE event_id = ?`,
    params: [error.slice(0, 255), id],
  };
}
