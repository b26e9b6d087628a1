import type mysql from 'mysql2/promise';
import { directConversationId } from '@paychat/contracts';
import { checkLedger } from '../../apps/wallet/src/testing/ledger-invariants';
import { type Chat, exactlyOnce, localDocumentClient, transferMessages } from './chats';
import type { KeyOutcome } from './drill-load';

export interface Invariants {
  /** Σ user balances = the money charged in, and the ledger's own conservation gap. */
  conservation: { chargedIn: number; balances: number; ledgerGap: number; accountsOffPostings: number };
  /** Transfers without exactly one journal entry whose postings sum to zero. */
  zeroSum: { transfers: number; notZeroSum: number; unbalancedEntries: number };
  oneEffectPerKey: {
    keys: number;
    /** Keys with more than one transfer (the schema's unique key forbids it). */
    appliedTwice: number;
    /** A success answered with another transfer than the one the key made. */
    answeredOtherTransfer: number;
    /** Transfers made with a key no client used. */
    unknownKeys: number;
    /** Keys applied although the client's final answer was a failure (the phone showed an error). */
    appliedAfterFailure: number;
  };
  chatMessages: { transfers: number; once: number; missing: number; duplicated: number };
  /** Transfer messages shown after a message of a transfer made later in the same chat. */
  chatOrder: { outOfOrder: number; chats: number; maxBehindMs: number };
  ok: boolean;
}

interface TransferRow {
  id: string;
  from_user_id: string;
  to_user_id: string;
  initiator_id: string;
  idempotency_key: string;
  created_at: Date;
}

const count = async (db: mysql.Connection, sql: string) =>
  Number(((await db.query(sql)) as unknown as [[{ n: string | null }]])[0][0].n ?? 0);

/**
 * The money and chat invariants after a scenario has settled, from outside the services: the
 * ledger in MariaDB, the chats straight from DynamoDB, and what each client was answered.
 */
export async function checkInvariants(opts: {
  db: mysql.Connection;
  dynamoEndpoint: string;
  table: string;
  chats: Chat[];
  keys: Map<string, KeyOutcome>;
  chargedIn: number;
}): Promise<Invariants> {
  const { db } = opts;
  const ledger = await checkLedger(db);
  const conservation = {
    chargedIn: opts.chargedIn,
    balances: await count(db, `SELECT SUM(balance) n FROM accounts WHERE kind = 'user'`),
    ledgerGap: ledger.conservationGap,
    accountsOffPostings: ledger.accountsOffTheirPostings,
  };
  const zeroSum = {
    transfers: await count(db, 'SELECT COUNT(*) n FROM transfers'),
    notZeroSum: await count(
      db,
      `SELECT COUNT(*) n FROM (
         SELECT t.id FROM transfers t LEFT JOIN journal_entries j ON j.op_id = t.id
         LEFT JOIN postings p ON p.entry_id = j.id
         GROUP BY t.id HAVING COUNT(DISTINCT j.id) <> 1 OR COALESCE(SUM(p.amount), 1) <> 0) x`,
    ),
    unbalancedEntries: ledger.unbalancedEntries,
  };
  const [rows] = (await db.query(
    'SELECT id, from_user_id, to_user_id, initiator_id, idempotency_key, created_at FROM transfers ORDER BY created_at, id',
  )) as unknown as [TransferRow[]];
  const oneEffectPerKey = checkKeys(rows, opts.keys);
  const { chatMessages, chatOrder } = await checkChats(opts.dynamoEndpoint, opts.table, opts.chats, rows);
  const ok =
    conservation.balances === conservation.chargedIn &&
    conservation.ledgerGap === 0 &&
    conservation.accountsOffPostings === 0 &&
    zeroSum.notZeroSum === 0 &&
    zeroSum.unbalancedEntries === 0 &&
    oneEffectPerKey.appliedTwice === 0 &&
    oneEffectPerKey.answeredOtherTransfer === 0 &&
    oneEffectPerKey.unknownKeys === 0 &&
    chatMessages.missing === 0 &&
    chatMessages.duplicated === 0 &&
    chatOrder.outOfOrder === 0;
  return { conservation, zeroSum, oneEffectPerKey, chatMessages, chatOrder, ok };
}

function checkKeys(rows: TransferRow[], keys: Map<string, KeyOutcome>): Invariants['oneEffectPerKey'] {
  const made = new Map<string, string[]>();
  for (const row of rows) made.set(row.idempotency_key, [...(made.get(row.idempotency_key) ?? []), row.id]);
  const result = {
    keys: keys.size,
    appliedTwice: 0,
    answeredOtherTransfer: 0,
    unknownKeys: 0,
    appliedAfterFailure: 0,
  };
  for (const [key, ids] of made) {
    const outcome = keys.get(key);
    if (!outcome) result.unknownKeys++;
    if (ids.length > 1) result.appliedTwice++;
    if (outcome?.transferId && outcome.transferId !== ids[0]) result.answeredOtherTransfer++;
    if (outcome && !outcome.transferId && !outcome.unanswered) result.appliedAfterFailure++;
  }
  return result;
}

/** Each transfer's message in its chat exactly once, and each chat's messages in the order money moved. */
async function checkChats(endpoint: string, table: string, chats: Chat[], rows: TransferRow[]) {
  const made = new Map<string, { rank: number; at: number }>();
  const perChat = new Map<string, number>();
  for (const row of rows) {
    const convId = directConversationId(row.from_user_id, row.to_user_id);
    const rank = perChat.get(convId) ?? 0;
    perChat.set(convId, rank + 1);
    made.set(row.id, { rank, at: row.created_at.getTime() });
  }
  const shown = new Map<string, number>();
  const chatOrder = { outOfOrder: 0, chats: 0, maxBehindMs: 0 };
  const dynamo = localDocumentClient(endpoint);
  try {
    for (const { convId } of chats) {
      let latest: { rank: number; at: number } | undefined;
      let disordered = false;
      for await (const transferId of transferMessages(dynamo, table, convId)) {
        shown.set(transferId, (shown.get(transferId) ?? 0) + 1);
        const transfer = made.get(transferId);
        if (!transfer) continue;
        if (latest && transfer.rank < latest.rank) {
          chatOrder.outOfOrder++;
          chatOrder.maxBehindMs = Math.max(chatOrder.maxBehindMs, latest.at - transfer.at);
          disordered = true;
        } else latest = transfer;
      }
      if (disordered) chatOrder.chats++;
    }
  } finally {
    dynamo.destroy();
  }
  return {
    chatMessages: exactlyOnce(
      rows.map((r) => r.id),
      shown,
    ),
    chatOrder,
  };
}
