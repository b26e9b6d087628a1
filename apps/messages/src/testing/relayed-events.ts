import { BaseEnv, loadConfig } from '@paychat/config';
import { PAYMENT_REQUEST_CHANGED, TRANSFER_CREATED } from '@paychat/contracts';
import { type PairKey, ServiceKeys, signRequest } from '@paychat/signing';
import { ulid } from 'ulid';
import type { CallResult, MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';

/** A pair key of the test stack (INTERNAL_SECRETS' default): what `caller` signs its calls to `target` with. */
export const localKey = (caller: string, target = 'messages'): PairKey =>
  ServiceKeys.parse(loadConfig(BaseEnv).INTERNAL_SECRETS, caller).signingKey(target);
export const BATCH_PATH = '/internal/events/batch';

/** What the wallet's relay sends, signed with `key` (a raw call: the answer is checked, not thrown). */
export function postBatch(
  m: MessagesHarness,
  events: object[],
  key: PairKey | null = localKey('wallet'),
): Promise<CallResult> {
  const raw = JSON.stringify({ events });
  const headers = key ? signRequest(key, { method: 'POST', path: BATCH_PATH, body: raw }) : {};
  return m.call('POST', BATCH_PATH, { raw, headers });
}

/** The outcome of each event of a batch, in order. */
export async function outcomes(m: MessagesHarness, events: object[]): Promise<string[]> {
  const res = await postBatch(m, events);
  if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.results.map((r: { outcome: string }) => r.outcome);
}

export function transferEvent(from: string, to: string, amount = 1200, id = ulid()) {
  const payload = {
    id,
    fromUserId: from,
    toUserId: to,
    amount,
    memo: 'lunch',
    createdAt: new Date().toISOString(),
  };
  return { id: ulid(), topic: TRANSFER_CREATED, aggregateId: id, version: 1, payload };
}

export function requestEvent(requester: string, payer: string, id: string, version: number, status: string) {
  const payload = {
    id,
    requesterId: requester,
    payerId: payer,
    amount: 1500,
    memo: 'movie',
    status,
    transferId: null,
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    createdAt: new Date().toISOString(),
  };
  return { id: ulid(), topic: PAYMENT_REQUEST_CHANGED, aggregateId: id, version, payload };
}

export interface ChatMessage {
  id: string;
  kind: string;
  transfer?: { amount: number };
  paymentRequest?: { status: string };
}

/** A chat's last (up to) 100 messages, oldest first. */
export async function history(m: MessagesHarness, u: TestChatUser, conv: string): Promise<ChatMessage[]> {
  const res = await m.call('GET', `/v2/conversations/${conv}/messages?limit=100`, { token: u.token });
  return (res.body.items as ChatMessage[]).reverse();
}
