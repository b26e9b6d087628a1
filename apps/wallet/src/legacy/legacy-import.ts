import { Injectable, Logger } from '@nestjs/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { newId } from '../db/new-id';
import { toSafeInt } from '../db/rows';
import { inTransaction } from '../db/transaction';
import { AccountsRepository } from '../ledger/accounts.repository';
import { Ledger } from '../ledger/ledger';

export interface ImportReport {
  /** What the legacy app holds: users with a balance row, and their sum. */
  legacy: { users: number; total: number };
  /** What the wallet has imported so far (all runs). */
  imported: { users: number; total: number };
  /** Imported by this run. */
  thisRun: number;
  /** Legacy users whose imported amount differs from their legacy balance, or is missing. Must be empty. */
  differences: { legacyUserId: number; legacy: number; imported: number | null }[];
}

const BATCH = 200;

export interface ImportOptions {
  /** Users per transaction (a crash loses at most the batch in flight, which a rerun redoes). */
  batchSize?: number;
  /** Tests: throw after importing that many users in this run, as a crash would. */
  failAfter?: number;
}

/**
 * The balance carve-out (README: the strangler runbook): each legacy balance becomes an `opening_balance` entry
 * (legacy_migration → the user's account) in an account keyed by the legacy user id — with no
 * owner until the migrated user claims it, or the already-migrated user's own account. Refuses to
 * run unless legacy balance writes are read-only (so the figures cannot move meanwhile).
 * Idempotent and resumable: a `legacy_imports` row is written in the same transaction as its
 * entry, so a rerun (after a crash, or a second time) imports only what is missing. Ends with the
 * verification report.
 */
@Injectable()
export class LegacyImport {
  private readonly logger = new Logger(LegacyImport.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly accounts: AccountsRepository,
  ) {}

  /** One import at a time (two operators, a retried task): the second is refused, not interleaved. */
  async run(legacy: Pool, opts: ImportOptions = {}): Promise<ImportReport> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      const [{ got }] = (await lock.query(`SELECT GET_LOCK('paychat_legacy_import', 0) AS got`)) as {
        got: number;
      }[];
      if (Number(got) !== 1) throw new Error('another legacy import is running');
      return await this.importAll(legacy, opts);
    } finally {
      await lock.query(`SELECT RELEASE_LOCK('paychat_legacy_import')`).catch(() => undefined);
      await lock.release();
    }
  }

  private async importAll(legacy: Pool, opts: ImportOptions): Promise<ImportReport> {
    const batch = opts.batchSize ?? BATCH;
    const [[setting]] = await legacy.query<RowDataPacket[]>(
      `SELECT value FROM settings WHERE name = 'balance_writes'`,
    );
    if (setting?.value !== 'read_only')
      throw new Error('legacy balance writes are not read-only: make them read-only (and drained) first');
    const balances = await this.legacyBalances(legacy);
    const done = await this.imported();
    const todo = [...balances].filter(([id]) => !done.has(id));
    let thisRun = 0;
    for (let i = 0; i < todo.length; i += batch) {
      await inTransaction(this.dataSource, async (m) => {
        for (const [legacyUserId, amount] of todo.slice(i, i + batch)) {
          if (opts.failAfter !== undefined && thisRun >= opts.failAfter) throw new Error('simulated crash');
          const accountId = await this.accounts.openLegacyAccount(m, legacyUserId);
          const opId = amount > 0 ? newId() : null;
          await m.query(
            'INSERT INTO legacy_imports (legacy_user_id, amount, account_id, op_id) VALUES (?, ?, ?, ?)',
            [legacyUserId, amount, accountId, opId],
          );
          if (opId)
            await this.ledger.post(m, {
              kind: 'opening_balance',
              opId,
              creditInactive: true,
              legs: [
                {
                  accountId,
                  amount,
                  type: 'opening_balance',
                  ifInactive: 'account_frozen',
                },
                { system: 'legacy_migration', amount: -amount, type: 'opening_balance' },
              ],
            });
          thisRun++;
        }
      });
      this.logger.log({ imported: thisRun, of: todo.length }, 'legacy import progress');
    }
    return this.report(balances, thisRun);
  }

  /** The verification report alone (e.g. before flipping the route). */
  async verify(legacy: Pool): Promise<ImportReport> {
    return this.report(await this.legacyBalances(legacy), 0);
  }

  private async report(balances: Map<number, number>, thisRun: number): Promise<ImportReport> {
    const imported = await this.imported();
    const differences = [...balances]
      .filter(([id, amount]) => imported.get(id) !== amount)
      .map(([legacyUserId, legacyAmount]) => ({
        legacyUserId,
        legacy: legacyAmount,
        imported: imported.get(legacyUserId) ?? null,
      }));
    const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
    return {
      legacy: { users: balances.size, total: sum(balances.values()) },
      imported: { users: imported.size, total: sum(imported.values()) },
      thisRun,
      differences,
    };
  }

  private async legacyBalances(legacy: Pool): Promise<Map<number, number>> {
    const [rows] = await legacy.query<RowDataPacket[]>(
      'SELECT user_id, amount FROM balances ORDER BY user_id',
    );
    return new Map(rows.map((r) => [Number(r.user_id), toSafeInt(r.amount as string)]));
  }

  private async imported(): Promise<Map<number, number>> {
    const rows = (await this.dataSource.query('SELECT legacy_user_id, amount FROM legacy_imports')) as {
      legacy_user_id: number;
      amount: string;
    }[];
    return new Map(rows.map((r) => [Number(r.legacy_user_id), toSafeInt(r.amount)]));
  }
}
