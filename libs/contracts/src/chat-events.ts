/**
 * What the wallet's outbox relay posts to the messages service (`POST /internal/events`, signed):
 * every P2P transfer and every payment-request change shows up in the pair's direct chat.
 */
export const TRANSFER_CREATED = 'transfer.created';
export const PAYMENT_REQUEST_CHANGED = 'payment_request.changed';

export interface ChatEvent<P = Record<string, unknown>> {
  /** Unique per event (the outbox row id): redeliveries carry the same id. */
  id: string;
  topic: string;
  aggregateId: string;
  /** Grows with every change of the aggregate; an older version never overwrites a newer one. */
  version: number;
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
