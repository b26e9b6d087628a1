import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the admin console reads and does. An operator may dismiss an event the consumer rejected
 * (`dismissed_at`): the relay never claims it again and it leaves the rejected count; the index
 * finds the live rejected events without scanning the delivered ones. The latest full
 * reconciliation pass is found by kind; the audit log is filtered by actor, action, target or time.
 */
export class AdminConsole1795530000000 implements MigrationInterface {
  name = 'AdminConsole1795530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox
      ADD COLUMN dismissed_at DATETIME(3) NULL AFTER rejected_at,
      ADD KEY ix_outbox_rejected (dismissed_at, rejected_at)`);
    await q.query('ALTER TABLE ledger_snapshots ADD KEY ix_snapshots_kind (kind, id)');
    await q.query(`ALTER TABLE audit_log
      ADD KEY ix_audit_actor (actor_id, id),
      ADD KEY ix_audit_action (action, id),
      ADD KEY ix_audit_subject (target_id, id),
      ADD KEY ix_audit_time (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP KEY ix_audit_time, DROP KEY ix_audit_subject,
      DROP KEY ix_audit_action, DROP KEY ix_audit_actor`);
    await q.query('ALTER TABLE ledger_snapshots DROP KEY ix_snapshots_kind');
    await q.query('ALTER TABLE outbox DROP KEY ix_outbox_rejected, DROP COLUMN dismissed_at');
  }
}
