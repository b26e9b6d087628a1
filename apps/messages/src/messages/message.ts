import type { PaymentRequestStatus } from '@paychat/contracts';

/** Enums grow: clients map an unknown kind to `unknown` (the contract says so). */
export type MessageKind = 'text' | 'transfer' | 'payment_request' | 'system';

export interface TransferInChat {
  transferId: string;
  amount: number;
  memo: string | null;
}

export interface PaymentRequestInChat {
  requestId: string;
  amount: number;
  memo: string | null;
  status: PaymentRequestStatus;
}

/** A message as clients see it; `text` for text and system messages, the money part for the others. */
export interface MessageView {
  id: string;
  conversationId: string;
  /** Null for a system message nobody sent. */
  senderId: string | null;
  kind: MessageKind;
  text?: string;
  transfer?: TransferInChat;
  paymentRequest?: PaymentRequestInChat;
  createdAt: string;
}

/** What a writer supplies; the log assigns id, sequence and time. */
export type MessageDraft = Omit<MessageView, 'id' | 'conversationId' | 'createdAt'>;

/** The stored item carries its sequence (and, for requests, the event version) besides the view. */
export interface MessageItem extends MessageView {
  seq: number;
  version?: number;
}

export function toMessageView(item: MessageItem): MessageView {
  const view: MessageView = {
    id: item.id,
    conversationId: item.conversationId,
    senderId: item.senderId ?? null,
    kind: item.kind,
    createdAt: item.createdAt,
  };
  if (item.text !== undefined) view.text = item.text;
  if (item.transfer) view.transfer = item.transfer;
  if (item.paymentRequest) view.paymentRequest = item.paymentRequest;
  return view;
}
