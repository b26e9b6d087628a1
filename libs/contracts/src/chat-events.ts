/**
 * What the wallet's outbox posts to the messages service (`POST /internal/events/batch`, signed):
 * every P2P transfer and every payment-request change shows up in the pair's direct chat.
 */
export const TRANSFER_CREATED = 'transfer.created';
export const PAYMENT_REQUEST_CHANGED = 'payment_request.changed';

export interface ChatEvent<P = Record<string, unknown>> {
  /** Unique per event (the outbox row's event id, a ULID): redeliveries carry the same id. */
  id: string;
  topic: string;
  aggregateId: string;
  /** Grows with every change of the aggregate; an older version never overwrites a newer one. */
  version: number;
  /**
   * When the change happened in the wallet (ISO 8601, UTC, ms): the time its chat message shows, so
   * a chat delivered late still reads in the order money moved. Absent (an older sender): now.
   */
  occurredAt?: string;
  payload: P;
}

export interface TransferCreatedPayload {
  id: string;
  fromUserId: string;
  toUserId: string;
  amount: number;
  memo: string | null;
  createdAt: string;
}

export type PaymentRequestStatus = 'pending' | 'paid' | 'declined' | 'cancelled' | 'expired';

export interface PaymentRequestChangedPayload {
  id: string;
  requesterId: string;
  payerId: string;
  amount: number;
  memo: string | null;
  status: PaymentRequestStatus;
  transferId: string | null;
  expiresAt: string;
  createdAt: string;
}

/**
 * `POST /internal/events/batch` (signed, wallet only): many events in one call. Events of one chat
 * are applied in the order given; different chats in parallel. Ids are ULIDs (the outbox row's event id).
 */
export interface ChatEventBatch {
  events: ChatEvent[];
}

/** The most events the relay sends in one batch call. */
export const MAX_EVENT_BATCH = 200;

/**
 * Per event, in request order:
 * - `applied`: it is in the chat now;
 * - `duplicate`: it was already applied (or its topic is unknown and acknowledged): done;
 * - `rejected`: it can never apply as sent (bad payload, not members): retry rarely, someone must look;
 * - `failed`: a transient failure (DynamoDB slow or down), or an earlier event of the same chat in
 *   this batch failed and this one was not tried (so it cannot overtake): retry soon.
 */
export type ChatEventOutcome = 'applied' | 'duplicate' | 'rejected' | 'failed';

export interface ChatEventResult {
  id: string;
  outcome: ChatEventOutcome;
  /** For `rejected` / `failed`: a stable problem code and a short reason. */
  code?: string;
  detail?: string;
}

export interface ChatEventBatchResult {
  results: ChatEventResult[];
}
