import { LimitQuery } from '@paychat/platform';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { CONVERSATION_ID, MESSAGE_ID } from './keys';

/** User ids are Cognito subjects for now (UUIDs; later our own ULIDs): a conservative shape. */
export const USER_ID = /^[A-Za-z0-9-]{1,64}$/;
export const MAX_MEMBERS = 100;

export class CreateConversationDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MEMBERS - 1)
  @ArrayUnique()
  @Matches(USER_ID, { each: true, message: 'memberIds must be user ids' })
  memberIds!: string[];

  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string;
}

export class ConversationParams {
  @Matches(CONVERSATION_ID, { message: 'id is not a conversation id' })
  id!: string;
}

export class SendMessageDto {
  @IsString()
  @Length(1, 64)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientMessageId must be printable ASCII without spaces' })
  clientMessageId!: string;

  @IsString()
  @Length(1, 2000)
  text!: string;
}

export class ReadDto {
  @Matches(MESSAGE_ID, { message: 'messageId is not a message id' })
  messageId!: string;
}

export class ListConversationsQuery extends LimitQuery {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,1024}$/, { message: 'cursor is not valid' })
  cursor?: string;
}

export class HistoryQuery extends LimitQuery {
  @IsOptional()
  @Matches(MESSAGE_ID, { message: 'before is not a message id' })
  before?: string;

  @IsOptional()
  @Matches(MESSAGE_ID, { message: 'after is not a message id' })
  after?: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  senderId: string;
  kind: 'text';
  text: string;
  createdAt: string;
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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
