import { Injectable } from '@nestjs/common';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { Statement } from '../db/statement';
import type { PaymentView } from './payments.dto';

/** A payment's money row as it is written: UNIQUE(initiator, key), so a key pays once. */
export interface NewPayment {
  id: string;
  initiatorId: string;
  idempotencyKey: string;
  merchantId: string;
  amount: number;
  reference: string | null;
  createdAt: Date;
}

interface PaymentRow {
  id: string;
  merchant_id: string;
  amount: string;
  reference: string | null;
  created_at: Date;
  balance_after: string;
}

/** The payments rows: every write of the table is here. */
@Injectable()
export class PaymentsRepository {
  /** The insert as a statement (a duplicate key fails it: ER_DUP_ENTRY). */
  insert(p: NewPayment): Statement {
    return {
      sql: 'INSERT INTO payments (id, initiator_id, idempotency_key, merchant_id, amount, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      params: [p.id, p.initiatorId, p.idempotencyKey, p.merchantId, p.amount, p.reference, p.createdAt],
    };
  }

  /** The payment a key made, with the payer's balance right after it (from the payer's posting). */
  async byKey(
    m: Sql,
    initiatorId: string,
    key: string,
    payerAccountId: string,
  ): Promise<PaymentView | undefined> {
    const row = await selectOne<PaymentRow>(
      m,
      `SELECT py.id, py.merchant_id, py.amount, py.reference, py.created_at, p.balance_after FROM payments py
       JOIN postings p ON p.op_id = py.id AND p.account_id = ? WHERE py.initiator_id = ? AND py.idempotency_key = ?`,
      [payerAccountId, initiatorId, key],
    );
    return (
      row && {
        id: row.id,
        merchantId: row.merchant_id,
        amount: toSafeInt(row.amount),
        reference: row.reference,
        createdAt: new Date(row.created_at).toISOString(),
        balance: toSafeInt(row.balance_after),
      }
    );
  }
}
