import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each event remembers the request that wrote it, so its delivery can be tied back to it: the W3C
 * trace context (JSON of `traceparent`/`tracestate`, when the request was traced) and the request
 * id (`x-request-id`, which messages logs for the delivery). Both null for a background job's events.
 */
export class OutboxOrigin1795520000000 implements MigrationInterface {
  name = 'OutboxOrigin1795520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox
      ADD COLUMN trace_context VARCHAR(1024) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER payload,
      ADD COLUMN request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER trace_context`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox DROP COLUMN request_id, DROP COLUMN trace_context');
  }
}
