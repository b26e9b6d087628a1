import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events leave at commit (the request's own process delivers them), with the relay as the safety
 * net. An event now carries its own id (a ULID, known before the INSERT, so the committing process
 * can name what it delivers) and the key it must stay in order with (its chat): events of one key
 * never overtake each other, different keys go in parallel — except behind an event the consumer
 * rejected (it will not apply until someone looks: `rejected_at`), which holds up nothing.
 */
export class OutboxFastPath1795510000000 implements MigrationInterface {
  name = 'OutboxFastPath1795510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox
      ADD COLUMN event_id CHAR(26) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER id,
      ADD COLUMN ordering_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER aggregate_id,
      ADD COLUMN rejected_at DATETIME(3) NULL AFTER last_error`);
    // Earlier events: a zero-padded row id is a valid ULID-alphabet id; their aggregate keeps them in order.
    await q.query(
      `UPDATE outbox SET event_id = LPAD(id, 26, '0'), ordering_key = aggregate_id WHERE event_id IS NULL`,
    );
    await q.query(`ALTER TABLE outbox
      MODIFY event_id CHAR(26) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      MODIFY ordering_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      ADD UNIQUE KEY uq_outbox_event (event_id),
      ADD KEY ix_outbox_order (ordering_key, delivered_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP INDEX ix_outbox_order, DROP INDEX uq_outbox_event,
      DROP COLUMN rejected_at, DROP COLUMN ordering_key, DROP COLUMN event_id`);
  }
}
