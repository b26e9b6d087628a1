import type { MessageView } from '../messages/message';

export const UNREAD_CAP = 100;
export const MAX_MEMBERS = 100;

/** The conversation item (`SK=META`): the membership authority and the sequence of its messages. */
export interface ConversationMeta {
  PK: string;
  SK: string;
  id: string;
  kind: 'direct' | 'group';
  title?: string;
  memberIds: string[];
  /**
   * A group's members added after it was made → the first message seq each may read (the one
   * announcing them): newcomers do not read history from before they joined. Others read from 1.
   */
  historyFrom?: Record<string, number>;
  lastSeq: number;
  lastMessage?: MessageView;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationView {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  memberIds: string[];
  createdAt: string;
  updatedAt: string;
  lastMessage: MessageView | null;
  unreadCount: number;
}

/** Unread = messages after my read pointer, capped: no counting, one subtraction. */
export function toConversationView(meta: ConversationMeta, readSeq: number): ConversationView {
  return {
    id: meta.id,
    kind: meta.kind,
    title: meta.title ?? null,
    memberIds: meta.memberIds,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
    lastMessage: meta.lastMessage ?? null,
    unreadCount: Math.min(UNREAD_CAP, Math.max(0, meta.lastSeq - readSeq)),
  };
}
